"""Everyday editing: settings (persisted), find/replace, zoom, word count, title, undo/redo, New."""
from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app import kinds
from app_fixtures import expected_marks, flagged_text, shown_marks, wait_idle
from app_fixtures import checker, home, make_window, model_dir, qapp  # noqa: F401  (pytest fixtures)
from edgemodel.userdata import Settings



def test_settings_persist_and_apply(qtbot, make_window, checker):
    text = flagged_text(checker)
    window = make_window()
    window.editor.set_text(text)
    wait_idle(qtbot, window)
    kinds_shown = {m.kind for m in window.editor.store.all()}
    assert kinds_shown
    off = next(iter(kinds_shown))

    dialog = window.open_settings()
    dialog.kind_boxes[off].setChecked(False)
    dialog.threshold.setValue(20)
    dialog.dialect.setCurrentIndex(dialog.dialect.findData("en-GB"))
    dialog.font_family.setCurrentFont(QFont("DejaVu Sans Mono"))
    dialog.font_size.setValue(15)
    dialog.thick.setChecked(True)
    dialog.accept()

    saved = Settings.load()
    assert (saved.threshold, saved.dialect, saved.disabled_kinds) == (0.2, "en-GB", [off.value])
    assert saved.extra["font_size"] == 15 and saved.extra["thick_underlines"] is True
    assert window.editor.font().pointSize() == 15 and window.editor.thick_underlines
    wait_idle(qtbot, window)   # re-checked with the new options
    assert shown_marks(window) == expected_marks(window, checker)
    assert not any(m.kind is off for m in window.editor.store.all())

    window.shutdown()
    again = make_window()      # a restart keeps all of it
    assert again.profile.options().threshold == 0.2 and off in again.profile.options().disabled_kinds
    assert again.editor.font().pointSize() == 15 and again.actions["thick"].isChecked()


def test_find_and_replace(qtbot, make_window):
    window = make_window()
    window.editor.set_text("one fish two fish red fish")
    window.actions["replace"].trigger()
    bar = window.find_bar
    assert bar.isVisible() and bar.replace_field.isVisible()
    bar.find_field.setText("fish")
    assert bar.find()
    assert window.editor.textCursor().selectedText() == "fish"
    bar.replace_field.setText("cat")
    bar.replace()
    assert window.editor.text() == "one cat two fish red fish"
    assert bar.replace_all() == 2
    assert window.editor.text() == "one cat two cat red cat"
    window.editor.undo()   # Replace All is one undo step
    assert window.editor.text() == "one cat two fish red fish"
    bar.find_field.setFocus()
    qtbot.keyClick(bar.find_field, Qt.Key_Escape)
    assert not bar.isVisible()


def test_zoom_word_count_title_and_undo(qtbot, make_window):
    window = make_window()
    size = window.editor.font().pointSizeF()
    window.actions["zoom_in"].trigger()
    window.actions["zoom_in"].trigger()
    assert window.editor.font().pointSizeF() == size + 2
    window.actions["zoom_out"].trigger()
    assert window.editor.font().pointSizeF() == size + 1
    window.actions["zoom_reset"].trigger()
    assert window.editor.font().pointSizeF() == size

    assert window.windowTitle() == "Untitled[*] — Proofline" and not window.isWindowModified()
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "three short words")
    assert window.isWindowModified()
    qtbot.waitUntil(lambda: window.status_words.text() == "3 words")
    assert window.actions["undo"].isEnabled()
    window.actions["undo"].trigger()
    assert window.editor.text() == ""
    assert window.actions["redo"].isEnabled()
    window.actions["redo"].trigger()
    assert window.editor.text() == "three short words"

    window.dialogs.answers["Unsaved Changes"] = "Don't Save"
    window.actions["new"].trigger()
    assert window.editor.text() == "" and not window.isWindowModified()


def test_status_bar_shows_checking_then_counts(qtbot, make_window, checker):
    window = make_window()
    window.editor.set_text(flagged_text(checker))
    qtbot.waitUntil(lambda: window.status_checking.text().startswith("Checking"), timeout=10_000)
    wait_idle(qtbot, window)
    assert window.status_checking.text() == "Checked"
    marks = window.editor.store.all()
    summary = kinds.summary(Counter(m.kind for m in marks))
    assert summary.startswith(f"{len(marks)} issue")
    qtbot.waitUntil(lambda: window.status_issues.text() == summary)
    assert window.panel.count.text() == summary
