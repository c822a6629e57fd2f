"""Shared pieces of the app tests (tests/test_app_*.py): a real QApplication (offscreen), a real
MainWindow on the real model, a private PROOFLINE_HOME, and dialogs answered by a script."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from app.checking import Utf16  # noqa: E402
from app.dialogs import Dialogs  # noqa: E402
from edgemodel import Checker, ModelError  # noqa: E402
from edgemodel.runtime import default_model_dir  # noqa: E402
from edgemodel.userdata import Settings  # noqa: E402

# Low enough that even an early model reports issues: the tests compare with what the checker
# says, never with particular corrections, so any model will do.
TEST_THRESHOLD = 0.0
CHECK_TIMEOUT_MS = 60_000


class ScriptedDialogs(Dialogs):
    """Answers questions from a script: `answers` maps a title to the label to choose (missing: the
    last choice, i.e. Cancel). Records everything asked and told."""

    def __init__(self, answers: dict[str, str] | None = None):
        super().__init__(None)
        self.answers = dict(answers or {})
        self.asked: list[tuple[str, str, list[str]]] = []
        self.told: list[tuple[str, str, str]] = []
        self.open_answer: str | None = None
        self.save_answer: str | None = None

    def ask(self, title, text, choices, default=None):
        self.asked.append((title, text, choices))
        return self.answers.get(title, choices[-1])

    def tell(self, title, text, level="info"):
        self.told.append((title, text, level))

    def open_path(self, directory=""):
        return self.open_answer

    def save_path(self, suggested=""):
        return self.save_answer


FIXTURE_SENTENCES = ROOT / "tests" / "fixtures" / "sentences.txt"
ERRORS = ["He go to school yesterday and buyed a apple.", "Ths sentense has speling erors in it.",
          "She dont like there new house becuase its to small.", "I recieved the pakage yesterday.",
          "She definately wants to go their tomorow.", "The wether is beautifull todya.",
          "Me and him goes to the libary evry day.", "It were a intresting experiance for all of we."]


@pytest.fixture(scope="session")
def qapp():
    """pytest-qt's QApplication, made the way the app makes it (fonts, GC); checking processes
    are stopped at the end of the session."""
    from app.qtapp import application
    from app.scheduler import CheckService
    app = application(["proofline-tests"])
    yield app
    CheckService.stop_all()


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    """A snapshot of the bundled model: the app (in its checking process) and the tests (here) use
    the very same model even if a training run replaces assets/ meanwhile."""
    snapshot = tmp_path_factory.mktemp("model")
    for source in default_model_dir().iterdir():
        if source.is_file() and source.suffix != ".py":
            shutil.copy2(source, snapshot / source.name)
    return snapshot


@pytest.fixture
def home(tmp_path, monkeypatch):
    path = tmp_path / "home"
    monkeypatch.setenv("PROOFLINE_HOME", str(path))
    Settings(threshold=TEST_THRESHOLD).save()
    return path


@pytest.fixture(scope="session")
def checker(model_dir):
    """A checker on the same model snapshot as the app's, for the expected results."""
    try:
        return Checker(model_dir)
    except ModelError as e:
        pytest.fail(f"the bundled model does not load: {e}")


@pytest.fixture
def make_window(qtbot, home, model_dir):
    from app.window import MainWindow
    windows = []

    def make(dialogs: ScriptedDialogs | None = None, **kwargs) -> MainWindow:
        kwargs.setdefault("model_dir", model_dir)
        window = MainWindow(dialogs=dialogs or ScriptedDialogs(), **kwargs)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.editor.document().setModified(False)
        window.shutdown()


def candidates() -> list[str]:
    extra = FIXTURE_SENTENCES.read_text(encoding="utf-8").splitlines() if FIXTURE_SENTENCES.exists() else []
    return list(dict.fromkeys(ERRORS + [s for s in extra if s.strip()]))


def flagged_text(checker, min_issues: int = 1, predicate=lambda issue, text: True, ascii_only: bool = False) -> str:
    """One paragraph of candidate sentences in which the model (whichever is in assets/ today)
    reports at least `min_issues` issues satisfying `predicate`. Skips the test if it flags none:
    a model still in training may leave every sentence as it is."""
    from app.profile import Profile
    options = Profile().options()
    picked: list[str] = []
    for sentence in candidates():
        if ascii_only and not sentence.isascii():
            continue
        if any(predicate(i, sentence) for i in checker.check(sentence, options)):
            picked.append(sentence)
            text = " ".join(picked)
            if sum(bool(predicate(i, text)) for i in checker.check(text, options)) >= min_issues:
                return text
    pytest.skip(f"the model flags fewer than {min_issues} such issues in all candidate sentences")


def wait_idle(qtbot, window, timeout=CHECK_TIMEOUT_MS) -> None:
    """Until the model is loaded, no edit is waiting for its debounce and the last job is done."""
    qtbot.waitUntil(lambda: window.scheduler.idle, timeout=timeout)


def expected_marks(window, checker, text: str | None = None) -> list[tuple[int, int, object, tuple]]:
    """What the checker reports for the whole text, in Qt positions: what the editor must show."""
    text = window.editor.text() if text is None else text
    u16 = Utf16(text)
    options, _ = window._check_options()
    return [(u16.to_qt(i.start), u16.to_qt(i.end), i.kind, i.replacements) for i in checker.check(text, options)]


def shown_marks(window) -> list[tuple[int, int, object, tuple]]:
    return [(m.start, m.end, m.kind, m.replacements) for m in window.editor.store.all()]


def assert_marks_match_text(window) -> None:
    """The invariant: every underline sits on exactly the text it was computed for."""
    editor = window.editor
    for m in editor.store.all():
        assert editor.text_at(m.start, m.end) == m.finding.original, (m.start, m.end, m.finding.original)
