"""No lost work: atomic save, failed save keeps the old file, encodings, confirmations, autosave and
crash recovery, drag and drop, recent files, a missing or corrupt model."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app_fixtures import ROOT, ScriptedDialogs
from app_fixtures import checker, home, make_window, model_dir, qapp  # noqa: F401  (pytest fixtures)
from app import autosave


@pytest.fixture
def docs(tmp_path):
    """A folder for the documents only (PROOFLINE_HOME is elsewhere in tmp_path)."""
    path = tmp_path / "docs"
    path.mkdir()
    return path


def type_text(qtbot, window, text):
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, text)


def test_save_writes_atomically_and_keeps_line_ends_and_special_spaces(qtbot, make_window, docs):
    path = docs / "notes.md"
    original = "# Notes\r\nfirst\u00a0line\r\nsecond line\r\n".encode("utf-8")
    path.write_bytes(original)
    window = make_window()
    assert window.open_path(path)
    assert window.windowTitle() == "notes.md[*] — Proofline" and not window.isWindowModified()
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    type_text(qtbot, window, "third")
    assert window.isWindowModified()
    assert window.save()
    assert path.read_bytes() == original + b"third"
    assert not window.isWindowModified()
    assert sorted(p.name for p in docs.iterdir()) == ["notes.md"]   # no temp file left behind


def test_a_failed_save_keeps_the_old_file_and_says_so(qtbot, make_window, docs, monkeypatch):
    path = docs / "keep.txt"
    path.write_text("precious original\n", encoding="utf-8")
    dialogs = ScriptedDialogs()
    window = make_window(dialogs)
    assert window.open_path(path)
    type_text(qtbot, window, "new words ")

    def refuse(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:   # (not monkeypatch.undo(): that would drop PROOFLINE_HOME too)
        patch.setattr(os, "replace", refuse)
        assert not window.save()
    assert path.read_text(encoding="utf-8") == "precious original\n"
    assert sorted(p.name for p in docs.iterdir()) == ["keep.txt"]
    title, text, level = dialogs.told[-1]
    assert level == "error" and "No space left" in text and "not changed" in text
    assert window.isWindowModified() and window.editor.text() == "new words precious original\n"
    assert window.save()
    assert path.read_text(encoding="utf-8") == "new words precious original\n"


def test_a_non_utf8_file_is_offered_in_its_likely_encoding(qtbot, make_window, tmp_path):
    path = tmp_path / "legacy.txt"
    data = "café naïve “quoted” text\n".encode("cp1252")
    path.write_bytes(data)
    dialogs = ScriptedDialogs()
    window = make_window(dialogs)
    assert not window.open_path(path)   # Cancel: nothing opened, nothing mangled
    title, text, choices = dialogs.asked[-1]
    assert "not valid UTF-8" in text and choices == ["Open as Windows-1252", "Cancel"]
    assert window.editor.text() == "" and window.file.path is None

    dialogs.answers[title] = "Open as Windows-1252"
    assert window.open_path(path)
    assert window.editor.text() == "café naïve “quoted” text\n"
    window.editor.textCursor().insertText("Ünïcode ")   # (QTest can only type ASCII)
    assert window.save()
    assert path.read_bytes() == "Ünïcode café naïve “quoted” text\n".encode("cp1252")


def test_a_binary_file_gives_a_clear_message_not_a_crash(qtbot, make_window, tmp_path):
    path = tmp_path / "image.png"
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    path.write_bytes(data)
    dialogs = ScriptedDialogs()
    window = make_window(dialogs)
    assert not window.open_path(path)
    title, text, choices = dialogs.asked[-1]
    assert "binary" in text and "damage" in text and choices[0].startswith("Open as Latin-1")

    dialogs.answers[title] = choices[0]   # the user insists: it opens, and saving asks first
    assert window.open_path(path)
    type_text(qtbot, window, "x")
    assert not window.save()
    assert dialogs.asked[-1][0] == "Save Changes the File"
    assert path.read_bytes() == data


def test_other_unicode_files_open_directly(qtbot, make_window, tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("hello wörld 😀\n".encode("utf-16"))
    dialogs = ScriptedDialogs()
    window = make_window(dialogs)
    assert window.open_path(path) and not dialogs.asked
    assert window.editor.text() == "hello wörld 😀\n"


def test_closing_or_opening_over_unsaved_changes_asks_first(qtbot, make_window, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("other file\n", encoding="utf-8")
    dialogs = ScriptedDialogs()
    window = make_window(dialogs)
    type_text(qtbot, window, "unsaved work")
    assert not window.open_path(other)                 # Cancel
    assert dialogs.asked[-1][0] == "Unsaved Changes"
    assert window.editor.text() == "unsaved work"
    assert not window.close() and window.isVisible()   # Cancel again: still open

    dialogs.answers["Unsaved Changes"] = "Save"
    dialogs.save_answer = str(tmp_path / "saved.txt")
    assert window.close()
    assert (tmp_path / "saved.txt").read_text(encoding="utf-8") == "unsaved work"


def test_dont_save_discards(qtbot, make_window):
    dialogs = ScriptedDialogs({"Unsaved Changes": "Don't Save"})
    window = make_window(dialogs)
    type_text(qtbot, window, "throwaway")
    window.autosave()
    assert window.close()
    assert not window.autosaver.file.exists()


CRASH = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.qtapp import application
    from app.window import MainWindow
    from app_fixtures import ScriptedDialogs
    app = application()
    window = MainWindow(model_dir={model!r}, dialogs=ScriptedDialogs())
    window.open_path({path!r})
    window.editor.textCursor().insertText("Work that was never saved. ")
    window.autosave()
    os._exit(3)   # a crash: no close, no cleanup
""")


def test_autosave_is_offered_back_after_a_crash(qtbot, make_window, tmp_path, home, model_dir):
    path = tmp_path / "draft.md"
    path.write_text("The draft.\n", encoding="utf-8")
    script = CRASH.format(root=str(ROOT), tests=str(ROOT / "tests"), model=str(model_dir), path=str(path))
    run = subprocess.run([sys.executable, "-c", script], env=dict(os.environ), capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 3, run.stderr[-2000:]
    assert len(list(autosave.autosave_dir().glob("*.json"))) == 1

    dialogs = ScriptedDialogs({"Restore Unsaved Work?": "Restore"})
    window = make_window(dialogs)
    assert "draft.md" in dialogs.asked[0][1]
    assert window.editor.text() == "Work that was never saved. The draft.\n"
    assert window.file.path == path and window.isWindowModified()
    assert path.read_text(encoding="utf-8") == "The draft.\n"   # the file is untouched until saved
    assert [r.session for r in autosave.orphans()] == []          # the crashed session's record is gone
    assert window.save()
    assert path.read_text(encoding="utf-8") == "Work that was never saved. The draft.\n"
    assert not window.autosaver.file.exists()


def test_autosave_runs_periodically(qtbot, make_window):
    window = make_window()
    window._autosave_timer.setInterval(50)
    type_text(qtbot, window, "typed")
    qtbot.waitUntil(window.autosaver.file.exists, timeout=5000)
    assert "typed" in window.autosaver.file.read_text(encoding="utf-8")
    assert not autosave.orphans()   # a running session's autosave is not offered to anyone


def test_dropping_a_file_opens_it_and_recent_files_remember_it(qtbot, make_window, tmp_path):
    path = tmp_path / "dropped.txt"
    path.write_text("Dropped text.\n", encoding="utf-8")
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    at = QPoint(20, 20)
    enter = QDragEnterEvent(at, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)   # a drag comes in...
    QApplication.sendEvent(window.editor.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window.editor.viewport(), QDropEvent(at, Qt.CopyAction, mime, Qt.LeftButton,
                                                                Qt.NoModifier))   # ...and drops
    assert window.editor.text() == "Dropped text.\n"
    assert window.windowTitle().startswith("dropped.txt")
    assert window.profile.get("recent_files")[0] == str(path.resolve())
    window.recent_menu.aboutToShow.emit()
    assert str(path.resolve()) in [a.text() for a in window.recent_menu.actions()]


def test_missing_model_leaves_a_working_editor_that_says_why(qtbot, make_window, tmp_path):
    empty = tmp_path / "no-model"
    empty.mkdir()
    window = make_window(model_dir=empty)
    qtbot.waitUntil(lambda: window.scheduler.model is not None, timeout=60_000)
    assert not window.scheduler.model.available
    assert "missing" in window.scheduler.model.detail
    assert window.status_checking.text() == "Checking unavailable"
    assert window.banner.isVisible() and "missing" in window.banner.text()
    type_text(qtbot, window, "Still editable.")
    window.dialogs.save_answer = str(tmp_path / "out.txt")
    assert window.save()
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "Still editable."


def test_corrupt_model_is_reported(qtbot, make_window, tmp_path, model_dir):
    broken = tmp_path / "broken-model"
    shutil.copytree(model_dir, broken)
    (broken / "encoder.onnx").write_bytes(b"this is not an onnx file")
    window = make_window(model_dir=broken)
    qtbot.waitUntil(lambda: window.scheduler.model is not None, timeout=60_000)
    assert not window.scheduler.model.available
    assert "encoder.onnx" in window.scheduler.model.detail   # the message names what is wrong
    assert window.banner.isVisible()
