"""The issues panel: every issue with its sentence; click to jump there; fix all of one kind."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

from app import kinds
from app.card import suggestion_text
from app.editor import draw_underlines
from app.marks import Mark
from edgemodel import Kind

COLUMNS = ("Kind", "Suggestion", "Sentence")
# Role numbers as plain ints: comparing against the Qt enum objects costs ~15 µs a call.
_DISPLAY, _DECORATION, _TOOLTIP = (int(r.value) for r in (Qt.DisplayRole, Qt.DecorationRole, Qt.ToolTipRole))
_ROOT = QModelIndex()


def kind_icon(kind: Kind) -> QIcon:
    """The kind's underline (colour and line style) as a small icon."""
    pixmap = QPixmap(QSize(22, 12))
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    draw_underlines(painter, [(1, 21, 6)], kinds.LOOKS[kind], 1.5)
    painter.end()
    return QIcon(pixmap)


class IssuesModel(QAbstractTableModel):
    def __init__(self):
        super().__init__()
        self.marks: list[Mark] = []
        self._icons = {k: kind_icon(k) for k in Kind}

    def set_marks(self, marks: list[Mark]) -> None:
        self.beginResetModel()
        self.marks = marks
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.marks)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=_DISPLAY):
        # Called for every role of every visible cell on each repaint: plain ints, answer fast.
        if role == _DISPLAY:
            mark, column = self.marks[index.row()], index.column()
            if column == 0:
                return kinds.label(mark.kind)
            if column == 1:
                return f"{mark.finding.original or '…'} → {suggestion_text(mark.replacements[0])}"
            return mark.finding.sentence
        if role == _DECORATION and index.column() == 0:
            return self._icons[self.marks[index.row()].kind]
        if role == _TOOLTIP:
            mark = self.marks[index.row()]
            return f"{kinds.label(mark.kind)}: {mark.message}\n\n{mark.finding.sentence}"
        return None


class IssuesPanel(QWidget):
    jump = Signal(object)      # Mark
    fix_all = Signal(object)   # Kind

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = IssuesModel()
        # Uniform rows and fixed column widths: the view asks only for the visible rows, so a
        # document with thousands of issues updates the panel in constant time.
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.ElideRight)
        self.view.header().setStretchLastSection(True)
        self.view.setColumnWidth(0, 115)
        self.view.setColumnWidth(1, 150)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        self.count = QLabel("No issues")
        self.fix_button = QPushButton("Fix All of This Kind")
        self.fix_button.setEnabled(False)
        self.fix_button.clicked.connect(self._fix_all)
        self._kind: Kind | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.fix_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def set_marks(self, marks: list[Mark], summary: str) -> None:
        self.model.set_marks(marks)
        self.count.setText(summary)
        if self._kind is not None and not any(m.kind is self._kind for m in marks):
            self._select_kind(None)

    def _select_kind(self, kind: Kind | None) -> None:
        self._kind = kind
        self.fix_button.setEnabled(kind is not None)
        self.fix_button.setText(f"Fix All {kinds.label(kind)}" if kind else "Fix All of This Kind")

    def _clicked(self, index: QModelIndex) -> None:
        mark = self.model.marks[index.row()]
        self._select_kind(mark.kind)
        self.jump.emit(mark)

    def _fix_all(self) -> None:
        if self._kind is not None:
            self.fix_all.emit(self._kind)
