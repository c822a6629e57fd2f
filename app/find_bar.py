"""Find and replace, as a bar under the editor (Ctrl+F / Ctrl+H, Escape closes)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget


class FindBar(QWidget):
    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.find_field = QLineEdit(placeholderText="Find")
        self.replace_field = QLineEdit(placeholderText="Replace with")
        self.case = QCheckBox("Match case")
        self.status = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.find_field, 2)
        for text, slot in (("Previous", lambda: self.find(backward=True)), ("Next", self.find)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(self.replace_field, 2)
        for text, slot in (("Replace", self.replace), ("Replace All", self.replace_all)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(self.case)
        layout.addWidget(self.status, 1)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        self.find_field.returnPressed.connect(self.find)
        self.replace_field.returnPressed.connect(self.replace)
        self.hide()

    def open(self, replace: bool) -> None:
        self.replace_field.setVisible(replace)
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_field.setText(selected)
        self.show()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.editor.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            self.close_bar()
        else:
            super().keyPressEvent(event)

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case.isChecked():
            flags |= QTextDocument.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindBackward
        return flags

    def find(self, backward: bool = False) -> bool:
        needle = self.find_field.text()
        if not needle:
            return False
        if self.editor.find(needle, self._flags(backward)):
            self.status.clear()
            return True
        cursor = self.editor.textCursor()   # wrap around
        cursor.movePosition(QTextCursor.End if backward else QTextCursor.Start)
        self.editor.setTextCursor(cursor)
        found = self.editor.find(needle, self._flags(backward))
        self.status.setText("" if found else "Not found")
        return found

    def _selection_matches(self) -> bool:
        selected, needle = self.editor.textCursor().selectedText(), self.find_field.text()
        return selected == needle if self.case.isChecked() else selected.lower() == needle.lower()

    def replace(self) -> None:
        if self.find_field.text() and self._selection_matches():
            self.editor.textCursor().insertText(self.replace_field.text())
        self.find()

    def replace_all(self) -> int:
        needle = self.find_field.text()
        if not needle:
            return 0
        document, count = self.editor.document(), 0
        cursor = QTextCursor(document)
        cursor.beginEditBlock()   # one undo step
        found = document.find(needle, 0, self._flags())
        while not found.isNull():
            cursor.setPosition(found.selectionStart())
            cursor.setPosition(found.selectionEnd(), QTextCursor.KeepAnchor)
            cursor.insertText(self.replace_field.text())
            count += 1
            found = document.find(needle, cursor.position(), self._flags())
        cursor.endEditBlock()
        self.status.setText(f"Replaced {count}")
        return count
