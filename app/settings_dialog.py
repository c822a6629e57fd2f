"""Settings: which categories are checked, confidence threshold, dialect, underline style, font,
and the personal dictionary / ignore list. Everything is stored through app.profile.Profile."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFontComboBox, QFormLayout, \
    QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QSlider, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from app import kinds
from app.profile import Profile
from edgemodel import Kind
from edgemodel.userdata import WordList

DIALECTS = {"en-US": "American English", "en-GB": "British English"}


class WordListEditor(QWidget):
    """A persisted word list with a Remove button (removals are saved on OK)."""

    def __init__(self, words: WordList, empty: str):
        super().__init__()
        self.words = words
        self.list = QListWidget()
        self.list.addItems(sorted(words.words, key=str.lower))
        self.list.setSelectionMode(QListWidget.ExtendedSelection)
        self.removed: set[str] = set()
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        if not words.words:
            layout.addWidget(QLabel(empty))
        layout.addWidget(remove, alignment=Qt.AlignRight)

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.removed.add(item.text())
            self.list.takeItem(self.list.row(item))

    def commit(self) -> bool:
        for word in self.removed:
            self.words.remove(word)
        return bool(self.removed)


class SettingsDialog(QDialog):
    def __init__(self, profile: Profile, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.profile = profile
        settings = profile.settings

        self.kind_boxes: dict[Kind, QCheckBox] = {}
        kinds_box = QGroupBox("Check for")
        kinds_layout = QVBoxLayout(kinds_box)
        for kind in Kind:
            box = QCheckBox(kinds.label(kind))
            box.setChecked(kind not in profile.disabled_kinds())
            self.kind_boxes[kind] = box
            kinds_layout.addWidget(box)
        self.threshold = QSlider(Qt.Horizontal)
        self.threshold.setRange(0, 100)
        self.threshold.setValue(round(settings.threshold * 100))
        threshold_label = QLabel()
        self.threshold.valueChanged.connect(lambda v: threshold_label.setText(f"{v}%"))
        threshold_label.setText(f"{self.threshold.value()}%")
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(self.threshold, 1)
        threshold_row.addWidget(threshold_label)
        self.dialect = QComboBox()
        for code, name in DIALECTS.items():
            self.dialect.addItem(name, code)
        self.dialect.setCurrentIndex(max(0, self.dialect.findData(settings.dialect)))
        checking = QWidget()
        form = QFormLayout(checking)
        form.addRow(kinds_box)
        form.addRow("Show issues the checker is at least this sure of:", threshold_row)
        form.addRow("Dialect:", self.dialect)

        self.font_family = QFontComboBox()
        if profile.get("font_family"):
            self.font_family.setCurrentFont(QFont(profile.get("font_family")))
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 72)
        self.font_size.setValue(profile.get("font_size"))
        self.thick = QCheckBox("Thicker underlines")
        self.thick.setChecked(profile.get("thick_underlines"))
        appearance = QWidget()
        form2 = QFormLayout(appearance)
        form2.addRow("Font:", self.font_family)
        form2.addRow("Size:", self.font_size)
        form2.addRow(self.thick)
        form2.addRow(QLabel("Spelling: red wavy underline. Grammar and word choice: blue dashed.\n"
                            "Punctuation, capitalization and style: amber dotted."))

        self.dictionary = WordListEditor(profile.dictionary, "No words yet: use “Add to Dictionary” on a flagged word.")
        self.ignored = WordListEditor(profile.ignored, "Nothing ignored yet: use “Ignore All” on a flagged text.")
        self.forget_ignored = QCheckBox(f"Forget the {len(profile.ignored_issues.words)} findings ignored one by one")
        ignored_page = QWidget()
        ignored_layout = QVBoxLayout(ignored_page)
        ignored_layout.addWidget(self.ignored)
        ignored_layout.addWidget(self.forget_ignored)

        tabs = QTabWidget()
        tabs.addTab(checking, "Checking")
        tabs.addTab(appearance, "Appearance")
        tabs.addTab(self.dictionary, "Personal Dictionary")
        tabs.addTab(ignored_page, "Ignored")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Store the dialog's values (called on OK)."""
        settings = self.profile.settings
        settings.threshold = self.threshold.value() / 100
        settings.dialect = self.dialect.currentData()
        settings.disabled_kinds = sorted(k.value for k, box in self.kind_boxes.items() if not box.isChecked())
        settings.extra.update(font_family=self.font_family.currentFont().family(), font_size=self.font_size.value(),
                              thick_underlines=self.thick.isChecked())
        settings.save()
        self.dictionary.commit()
        self.ignored.commit()
        if self.forget_ignored.isChecked():
            for key in list(self.profile.ignored_issues.words):
                self.profile.ignored_issues.remove(key)

    def accept(self) -> None:
        self.save()
        super().accept()
