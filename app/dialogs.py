"""Every question the window asks the user, in one place: tests pass their own `Dialogs` to answer
them without a person, and the rest of the app never calls QMessageBox/QFileDialog directly."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

FILE_FILTER = "Text and Markdown (*.txt *.md *.markdown);;All files (*)"


class Dialogs:
    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    def ask(self, title: str, text: str, choices: list[str], default: str | None = None) -> str | None:
        """The chosen label, or None if the user closed the box (Escape = the last choice)."""
        box = QMessageBox(QMessageBox.Question, title, text, parent=self.parent)
        buttons = {box.addButton(c, QMessageBox.AcceptRole if i == 0 else QMessageBox.RejectRole
                                 if i == len(choices) - 1 else QMessageBox.DestructiveRole): c
                   for i, c in enumerate(choices)}
        for button, label in buttons.items():
            if label == default:
                box.setDefaultButton(button)
        box.setEscapeButton(list(buttons)[-1])
        box.exec()
        return buttons.get(box.clickedButton())

    def tell(self, title: str, text: str, level: str = "info") -> None:
        """level: "info", "warning" or "error"."""
        {"info": QMessageBox.information, "warning": QMessageBox.warning,
         "error": QMessageBox.critical}[level](self.parent, title, text)

    def open_path(self, directory: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "Open", directory, FILE_FILTER)
        return path or None

    def save_path(self, suggested: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, "Save As", suggested, FILE_FILTER)
        return path or None
