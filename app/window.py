"""The main window: menus, opening and saving files, autosave and recovery, status bar, panel."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from app import autosave, files, kinds
from edgemodel.userdata import in_dictionary
from app.dialogs import Dialogs
from app.editor import Editor
from app.find_bar import FindBar
from app.issues_panel import IssuesPanel
from app.marks import Mark
from app.profile import Profile
from app.scheduler import Scheduler
from app.settings_dialog import SettingsDialog
from edgemodel import Kind

ABOUT = ("<b>Proofline</b><br>Offline spelling and grammar checking. Your text never leaves this computer: "
         "the checker is a small model that runs on this machine, and Proofline makes no network connections.")


class MainWindow(QMainWindow):
    def __init__(self, model_dir: str | Path | None = None, dialogs: Dialogs | None = None, restore: bool = True):
        super().__init__()
        self.setObjectName("main")
        self.profile = Profile()
        self.dialogs = dialogs or Dialogs(self)
        self.file = files.TextFile()
        self.exact = True    # saving writes back the bytes that were loaded (else: ask first)
        self.settings_dialog: SettingsDialog | None = None

        self.editor = Editor()
        self.find_bar = FindBar(self.editor)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px 10px;")
        self.banner.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(central)

        self.panel = IssuesPanel()
        self.dock = QDockWidget("Issues", self)
        self.dock.setObjectName("issues")
        self.dock.setWidget(self.panel)
        self.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.resizeDocks([self.dock], [440], Qt.Horizontal)

        self.status_checking = QLabel()
        self.status_issues = QLabel("No issues")
        self.status_words = QLabel()
        # Wide enough from the start: a label that grows re-lays out (and repaints) the whole window,
        # and these change many times a second while a long document is checked.
        metrics = self.fontMetrics()
        for label, sample in ((self.status_checking, "Checking… 00000/00000"),
                              (self.status_issues, "0000 issues (000 spelling, 000 grammar, 000 word choice)"),
                              (self.status_words, "000,000 words")):
            label.setMinimumWidth(metrics.horizontalAdvance(sample) + 12)
            label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.statusBar().addPermanentWidget(label)

        self.scheduler = Scheduler(self.editor, self._check_options, model_dir)
        self.autosaver = autosave.Autosaver()
        self._autosave_timer = QTimer(self, interval=1000 * max(5, self.profile.get("autosave_seconds")),
                                      timeout=self.autosave)
        self._issues_timer = QTimer(self, singleShot=True, interval=150, timeout=self._refresh_issues)
        self._words_timer = QTimer(self, singleShot=True, interval=300, timeout=self._refresh_words)

        self.editor.marks_changed.connect(self._marks_changed)
        self.editor.textChanged.connect(self._words_timer.start)
        self.editor.document().modificationChanged.connect(self._modification_changed)
        self.editor.ignore_requested.connect(self.ignore)
        self.editor.ignore_all_requested.connect(self.ignore_all)
        self.editor.add_word_requested.connect(self.add_to_dictionary)
        self.editor.disable_kind_requested.connect(self.disable_kind)
        self.editor.files_dropped.connect(self.open_dropped)
        self.panel.jump.connect(self.editor.select_mark)
        self.panel.fix_all.connect(self.editor.fix_all)
        self.scheduler.state_changed.connect(self._update_checking)

        self.actions: dict[str, QAction] = {}
        self._build_menus()
        self._apply_appearance()
        self.setAcceptDrops(True)
        self.resize(1100, 720)
        self._update_title()
        self._refresh_words()
        self._update_checking()
        self.scheduler.start()
        self._autosave_timer.start()
        if restore:
            self.offer_restore()

    # --- menus ----------------------------------------------------------------------------------
    def _action(self, menu: QMenu, name: str, text: str, slot, shortcut=None, checkable=False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.actions[name] = action
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("&File")
        self._action(m, "new", "&New", self.new, QKeySequence.New)
        self._action(m, "open", "&Open…", self.open, QKeySequence.Open)
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        self._action(m, "save", "&Save", self.save, QKeySequence.Save)
        self._action(m, "save_as", "Save &As…", self.save_as, QKeySequence.SaveAs)
        m.addSeparator()
        self._action(m, "quit", "&Quit", self.close, QKeySequence.Quit)

        m = bar.addMenu("&Edit")
        undo = self._action(m, "undo", "&Undo", self.editor.undo, QKeySequence.Undo)
        redo = self._action(m, "redo", "&Redo", self.editor.redo, QKeySequence.Redo)
        undo.setEnabled(False)
        redo.setEnabled(False)
        self.editor.undoAvailable.connect(undo.setEnabled)
        self.editor.redoAvailable.connect(redo.setEnabled)
        m.addSeparator()
        self._action(m, "cut", "Cu&t", self.editor.cut, QKeySequence.Cut)
        self._action(m, "copy", "&Copy", self.editor.copy, QKeySequence.Copy)
        self._action(m, "paste", "&Paste", self.editor.paste, QKeySequence.Paste)
        self._action(m, "select_all", "Select &All", self.editor.selectAll, QKeySequence.SelectAll)
        m.addSeparator()
        self._action(m, "find", "&Find…", lambda: self.find_bar.open(replace=False), QKeySequence.Find)
        self._action(m, "replace", "&Replace…", lambda: self.find_bar.open(replace=True), QKeySequence("Ctrl+H"))
        m.addSeparator()
        self._action(m, "next_issue", "&Next Issue", lambda: self.editor.goto_issue(1), QKeySequence("F7"))
        self._action(m, "previous_issue", "P&revious Issue", lambda: self.editor.goto_issue(-1),
                     QKeySequence("Shift+F7"))

        m = bar.addMenu("&View")
        self._action(m, "zoom_in", "Zoom &In", lambda: self.editor.set_zoom(self.editor.zoom + 1),
                     [QKeySequence.ZoomIn, QKeySequence("Ctrl+=")])
        self._action(m, "zoom_out", "Zoom &Out", lambda: self.editor.set_zoom(self.editor.zoom - 1),
                     QKeySequence.ZoomOut)
        self._action(m, "zoom_reset", "&Actual Size", lambda: self.editor.set_zoom(0), QKeySequence("Ctrl+0"))
        m.addSeparator()
        m.addAction(self.dock.toggleViewAction())
        self._action(m, "thick", "&Thicker Underlines", self._toggle_thick, checkable=True)

        m = bar.addMenu("&Tools")
        self._action(m, "check_now", "&Check Now", self.scheduler.check_now)
        self._action(m, "settings", "&Settings…", self.open_settings, QKeySequence.Preferences)

        m = bar.addMenu("&Help")
        self._action(m, "about", "&About Proofline", lambda: self.dialogs.tell("About Proofline", ABOUT))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.profile.get("recent_files")
        for path in recent:
            self.recent_menu.addAction(path, lambda p=path: self.open_path(p))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear Recent Files", lambda: self.profile.set("recent_files", []))
        else:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # --- documents ------------------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return self.editor.document().isModified()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.file.name}[*] — Proofline")
        self.setWindowModified(self.modified)

    def _modification_changed(self, modified: bool) -> None:
        self.setWindowModified(modified)
        if not modified:
            self.autosaver.discard()   # back at the saved state (e.g. undone): nothing to recover

    def _set_document(self, text: str, file: files.TextFile, exact: bool = True) -> None:
        self.autosaver.discard()
        self.file, self.exact = file, exact
        self.editor.set_text(text)
        self._update_title()
        self.scheduler.check_now()

    def confirm_discard(self) -> bool:
        """True if the current text may be replaced or closed: it is saved, or the user said so."""
        if not self.modified:
            return True
        answer = self.dialogs.ask("Unsaved Changes", f"Save the changes to “{self.file.name}”?",
                                  ["Save", "Don't Save", "Cancel"], "Save")
        if answer == "Save":
            return self.save()
        if answer == "Don't Save":
            self.autosaver.discard()
            return True
        return False

    def new(self) -> None:
        if self.confirm_discard():
            self._set_document("", files.TextFile())

    def open(self) -> None:
        if not self.confirm_discard():
            return
        start = str(self.file.path.parent) if self.file.path else ""
        path = self.dialogs.open_path(start)
        if path:
            self.open_path(path, confirmed=True)

    def open_dropped(self, paths: list[str]) -> None:
        if paths:
            self.open_path(paths[0])

    def open_path(self, path: str | Path, confirmed: bool = False) -> bool:
        path = Path(path)
        if not confirmed and not self.confirm_discard():
            return False
        try:
            try:
                loaded = files.load(path)
            except files.NotText as e:
                loaded = self._load_other_encoding(e)
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            self.dialogs.tell("Cannot Open File", f"Could not open “{path}”:\n{reason}", "error")
            return False
        if loaded is None:
            self.statusBar().showMessage(f"Did not open {path.name}", 5000)
            return False
        self._set_document(loaded.text, loaded.file, loaded.exact)
        self.profile.add_recent(str(path.resolve()))
        return True

    def _load_other_encoding(self, e: files.NotText) -> files.Loaded | None:
        name = files.encoding_name(e.encoding)
        text = f"“{e.path.name}” cannot be opened as UTF-8 text: {e.reason}.\n\n"
        if e.binary:
            text += (f"You can open it as {name} to look at it, but it is probably not a text document, and "
                     "saving it from Proofline would damage it.")
        else:
            text += f"It is probably {name} text. Open it as {name}? It will be saved back in {name}."
        choice = f"Open as {name}"
        if self.dialogs.ask("Not a UTF-8 Text File", text, [choice, "Cancel"], "Cancel") != choice:
            return None
        return files.load(e.path, e.encoding)

    def save(self) -> bool:
        if self.file.path is None:
            return self.save_as()
        return self._write(self.file)

    def save_as(self) -> bool:
        suggested = str(self.file.path) if self.file.path else "Untitled.txt"
        path = self.dialogs.save_path(suggested)
        if not path:
            return False
        return self._write(replace(self.file, path=Path(path)))

    def _write(self, file: files.TextFile) -> bool:
        text = self.editor.text()
        if not self.exact and file.path == self.file.path:
            answer = self.dialogs.ask(
                "Save Changes the File", f"Saving will not write “{file.name}” back byte for byte: its line "
                "endings or some characters were normalized when it was opened. Save anyway?", ["Save", "Cancel"],
                "Cancel")
            if answer != "Save":
                return False
        try:
            data = files.encode(text, file)
        except UnicodeEncodeError as e:
            name = files.encoding_name(file.encoding)
            answer = self.dialogs.ask(
                "Cannot Save in This Encoding", f"The text contains “{e.object[e.start:e.end]}”, which {name} "
                "cannot store. Save it as UTF-8 instead?", ["Save as UTF-8", "Cancel"], "Save as UTF-8")
            if answer != "Save as UTF-8":
                return False
            file = replace(file, encoding="utf-8")
            data = files.encode(text, file)
        try:
            files.save(file, data)
        except OSError as e:
            self.dialogs.tell("Save Failed", f"Could not save “{file.path}”:\n{e.strerror or e}\n\n"
                              "The file on disk was not changed, and your text is still open here.", "error")
            self.autosave()
            return False
        self.file, self.exact = file, True
        self.editor.document().setModified(False)
        self.autosaver.discard()
        self.profile.add_recent(str(file.path.resolve()))
        self._update_title()
        self.statusBar().showMessage(f"Saved {file.path}", 4000)
        return True

    # --- autosave and recovery ------------------------------------------------------------------
    def autosave(self) -> None:
        if not self.modified:
            return
        try:
            self.autosaver.save(self.editor.text(), str(self.file.path) if self.file.path else None,
                                self.file.encoding, self.file.newline)
        except OSError as e:
            self.statusBar().showMessage(f"Autosave failed: {e.strerror or e}", 10000)

    def offer_restore(self) -> bool:
        """Offer the newest autosave a crashed session left; True if it was restored."""
        records = autosave.orphans()
        if not records:
            return False
        record = records[0]
        name = f"“{Path(record.path).name}”" if record.path else "an untitled document"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.saved_at))
        answer = self.dialogs.ask("Restore Unsaved Work?",
                                  f"Proofline did not close normally. It has unsaved changes to {name}, autosaved "
                                  f"{when}. Restore them?", ["Restore", "Discard", "Not Now"], "Restore")
        if answer == "Discard":
            record.file.unlink(missing_ok=True)
        if answer != "Restore":
            return False
        file = files.TextFile(Path(record.path) if record.path else None, record.encoding, record.newline)
        self._set_document(record.text, file)
        self.editor.document().setModified(True)
        self._update_title()
        self.autosave()                        # now this session's record...
        record.file.unlink(missing_ok=True)    # ...so the crashed session's can go
        return True

    def closeEvent(self, event) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop checking and autosaving (idempotent)."""
        self._autosave_timer.stop()
        self.scheduler.stop()
        self.autosaver.close()
        self.editor.card.dismiss()

    # --- drops outside the editor ----------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if Editor._dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = Editor._dropped_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.open_dropped(paths)

    # --- checking -------------------------------------------------------------------------------
    def _check_options(self):
        return self.profile.options(), frozenset(self.profile.ignored_issues.words)

    def ignore(self, mark: Mark) -> None:
        self.profile.ignored_issues.add(mark.finding.key)
        self.editor.remove_marks(lambda m: m.finding.key == mark.finding.key)

    def ignore_all(self, mark: Mark) -> None:
        text = mark.finding.original.strip()
        self.profile.ignored.add(text)
        self.editor.remove_marks(lambda m: m.finding.original.strip() == text)

    def add_to_dictionary(self, mark: Mark) -> None:
        word = mark.finding.original.strip()
        self.profile.dictionary.add(word)
        self.editor.remove_marks(lambda m: in_dictionary(m.finding.original, {word}))

    def disable_kind(self, kind: Kind) -> None:
        self.profile.set_kind_enabled(kind, False)
        self.editor.remove_marks(lambda m: m.kind is kind)
        self.statusBar().showMessage(f"{kinds.label(kind)} checking is off (Tools ▸ Settings turns it back on)", 8000)

    def _marks_changed(self) -> None:
        # While a long document is being checked results arrive every few ms: refresh the panel
        # and the counts now and then, not on every result.
        if not self._issues_timer.isActive():
            self._issues_timer.start(1000 if self.scheduler.busy else 150)

    def _refresh_issues(self) -> None:
        marks = self.editor.store.all()
        summary = kinds.summary(Counter(m.kind for m in marks))
        self.status_issues.setText(summary)
        self.panel.set_marks(marks, summary)

    def _refresh_words(self) -> None:
        words = len(self.editor.document().toRawText().split())
        self.status_words.setText(f"{words:,} word{'s' if words != 1 else ''}")

    def _update_checking(self) -> None:
        s = self.scheduler
        if s.model is None:
            text, tip = "Loading the checker…", ""
        elif not s.model.available:
            text, tip = "Checking unavailable", s.model.detail
            self.banner.setText(f"Checking is unavailable: {s.model.detail}. You can still edit and save.")
            self.banner.show()
        elif s.busy:
            text = f"Checking… {s.done}/{s.total}" if s.total > 1 else "Checking…"
            tip = s.model.detail
        else:
            text, tip = "Checked", s.model.detail
        self.status_checking.setText(text)
        self.status_checking.setToolTip(tip)
        if not s.busy and self._issues_timer.isActive():
            self._issues_timer.start(150)   # done: show the final counts promptly

    # --- settings -------------------------------------------------------------------------------
    def _apply_appearance(self) -> None:
        family, size = self.profile.get("font_family"), self.profile.get("font_size")
        font = QFont(family) if family else QFont(self.editor.font())
        font.setPointSize(size)
        self.editor.set_base_font(font)
        thick = self.profile.get("thick_underlines")
        self.editor.set_thick_underlines(thick)
        self.actions["thick"].setChecked(thick)

    def _toggle_thick(self, on: bool) -> None:
        self.profile.set("thick_underlines", on)
        self.editor.set_thick_underlines(on)

    def open_settings(self) -> SettingsDialog:
        self.settings_dialog = SettingsDialog(self.profile, self)
        self.settings_dialog.accepted.connect(self.settings_changed)
        self.settings_dialog.open()
        return self.settings_dialog

    def settings_changed(self) -> None:
        self._apply_appearance()
        self.scheduler.options_changed()
