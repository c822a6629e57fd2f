"""The hover card: what is wrong under the mouse (category, message) and the suggestions, clickable."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import kinds
from app.marks import Mark

MAX_SUGGESTIONS = 5


def suggestion_text(replacement: str) -> str:
    return replacement if replacement.strip() else ("(delete)" if not replacement else repr(replacement))


class HoverCard(QFrame):
    chosen = Signal(object, int)     # mark, replacement index
    ignore = Signal(object)          # mark

    def __init__(self, parent: QWidget):
        # A tool-tip window: floats over the editor without taking the keyboard focus from it.
        super().__init__(parent, Qt.ToolTip | Qt.FramelessWindowHint)
        self.setObjectName("hoverCard")
        self.setFrameShape(QFrame.StyledPanel)
        self.setStyleSheet("#hoverCard { background: palette(base); border: 1px solid palette(mid);"
                           " border-radius: 4px; } QPushButton { text-align: left; padding: 3px 8px; }")
        self.mark: Mark | None = None
        self._kind = QLabel()
        self._message = QLabel()
        self._message.setWordWrap(True)
        self._buttons = QVBoxLayout()
        self._buttons.setSpacing(2)
        ignore = QPushButton("Ignore")
        ignore.setFlat(True)
        ignore.clicked.connect(lambda: self.mark and self.ignore.emit(self.mark))
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(ignore)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addWidget(self._kind)
        layout.addWidget(self._message)
        layout.addLayout(self._buttons)
        layout.addLayout(footer)
        self.setMaximumWidth(420)

    def show_for(self, mark: Mark, at: QPoint) -> None:
        self.mark = mark
        look = kinds.LOOKS[mark.kind]
        line = {"wave": "wavy", "dash": "dashed", "dot": "dotted"}[look.line]
        self._kind.setText(f'<span style="color:{look.color}; font-weight:600">{kinds.label(mark.kind)}</span>'
                           f' <span style="color:gray">({line} underline)</span>')
        self._message.setText(mark.message or "")
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            item.widget().deleteLater()
        for i, replacement in enumerate(mark.replacements[:MAX_SUGGESTIONS]):
            button = QPushButton(suggestion_text(replacement))
            font = button.font()
            font.setBold(True)
            button.setFont(font)
            button.setToolTip(f"Replace “{mark.finding.original}” with “{replacement}”")
            button.clicked.connect(lambda _=False, i=i: self.mark and self.chosen.emit(self.mark, i))
            self._buttons.addWidget(button)
        self.adjustSize()
        self.move(at)
        self.show()
        self.raise_()

    def dismiss(self) -> None:
        self.hide()
        self.mark = None
