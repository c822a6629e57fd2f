"""Context menu, hover card, Ignore / Ignore all / Add to dictionary / Turn off (persisted across
restarts), F7 navigation, the issues panel."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from app_fixtures import assert_marks_match_text, expected_marks, flagged_text, shown_marks, wait_idle
from app_fixtures import checker, home, make_window, model_dir, qapp  # noqa: F401  (pytest fixtures)
from edgemodel import Kind, apply_all
from edgemodel.userdata import Settings, ignore_list, personal_dictionary



def _one_word(issue, text) -> bool:
    word = text[issue.start:issue.end].strip()
    return bool(word) and not any(c.isspace() for c in word)


@pytest.fixture
def text(checker, home):
    """A paragraph in which today's model flags at least two things (skip if it flags nothing)."""
    return flagged_text(checker, min_issues=2, predicate=lambda i, t: i.end > i.start and t[i.start:i.end].strip())


def open_text(qtbot, window, text):
    window.editor.set_text(text)
    wait_idle(qtbot, window)


def point_of(window, mark) -> QPoint:
    rect = window.editor._mark_rect(mark)
    assert rect is not None
    return rect.center().toPoint()


def run_context_menu(qtbot, window, mark, choose) -> list[tuple]:
    """Right-click on the mark (a real QContextMenuEvent on the viewport) and trigger the action
    `choose(actions)` returns in the menu that opens. Returns (text, data) of the menu's actions."""
    seen = []

    def intercept(menu):
        def act():
            seen.extend((a.text(), a.data()) for a in menu.actions())
            action = choose(menu.actions())
            menu.close()
            if action is not None:
                action.trigger()
        QTimer.singleShot(0, act)   # runs inside the menu's own event loop

    window.editor.menu_about_to_show.connect(intercept)
    pos = point_of(window, mark)
    event = QContextMenuEvent(QContextMenuEvent.Mouse, pos, window.editor.viewport().mapToGlobal(pos))
    QApplication.sendEvent(window.editor.viewport(), event)
    window.editor.menu_about_to_show.disconnect(intercept)
    return seen


def action_with(kind: str):
    return lambda actions: next(a for a in actions if isinstance(a.data(), tuple) and a.data()[0] == kind)


def first_mark(window, predicate=lambda m: m.end > m.start):
    return next(m for m in window.editor.store.all() if predicate(m))


def test_context_menu_applies_a_suggestion(qtbot, make_window, checker, text):
    window = make_window()
    open_text(qtbot, window, text)
    mark = first_mark(window, lambda m: m.end > m.start and m.replacements[0] != m.finding.original)
    expected = text[:mark.start] + mark.replacements[0] + text[mark.end:]
    seen = run_context_menu(qtbot, window, mark, action_with("suggestion"))
    # Suggestions first, then Ignore..., then the usual edit menu (Undo, Copy, ...).
    assert seen[0][1] == ("suggestion", 0)
    datas = [d[0] if isinstance(d, tuple) else None for _, d in seen]
    assert datas.index("ignore") > datas.index("suggestion")
    assert "disable_kind" in datas
    assert any("Copy" in t for t, _ in seen[datas.index("disable_kind"):])
    assert window.editor.text() == expected
    window.editor.undo()
    assert window.editor.text() == text
    wait_idle(qtbot, window)
    assert shown_marks(window) == expected_marks(window, checker)


def test_hover_card_shows_kind_message_suggestions_and_escape_closes(qtbot, make_window, text):
    window = make_window()
    open_text(qtbot, window, text)
    mark = first_mark(window)
    qtbot.mouseMove(window.editor.viewport(), point_of(window, mark))
    qtbot.waitUntil(window.editor.card.isVisible)
    card = window.editor.card
    assert card.mark is mark
    assert mark.kind.value.capitalize() in card._kind.text()
    assert card._message.text() == mark.message
    buttons = [card._buttons.itemAt(i).widget() for i in range(card._buttons.count())]
    assert [b.text() for b in buttons][0] in (mark.replacements[0], "(delete)", repr(mark.replacements[0]))
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key_Escape)
    assert not card.isVisible()
    assert window.editor.text() == text   # Escape only closed the card

    qtbot.mouseMove(window.editor.viewport(), QPoint(5, window.editor.viewport().height() - 5))  # off it...
    qtbot.mouseMove(window.editor.viewport(), point_of(window, mark))                             # ...and back
    qtbot.waitUntil(card.isVisible)
    qtbot.mouseClick(card._buttons.itemAt(0).widget(), Qt.LeftButton)
    assert window.editor.text() == text[:mark.start] + mark.replacements[0] + text[mark.end:]


def test_add_to_dictionary_persists_across_restarts(qtbot, make_window, checker, home):
    text = flagged_text(checker, predicate=lambda i, t: i.kind is Kind.SPELLING and _one_word(i, t))
    window = make_window()
    open_text(qtbot, window, text)
    mark = first_mark(window, lambda m: m.kind is Kind.SPELLING and " " not in m.finding.original.strip())
    word = mark.finding.original.strip()
    run_context_menu(qtbot, window, mark, action_with("add_word"))
    assert word in personal_dictionary()
    assert not any(m.finding.original.strip() == word for m in window.editor.store.all())
    window.shutdown()

    again = make_window()   # a restart: same PROOFLINE_HOME, new window, state from disk
    open_text(qtbot, again, text)
    assert word in again.profile.options().dictionary
    assert not any(m.finding.original.strip() == word for m in again.editor.store.all())
    assert shown_marks(again) == [m for m in expected_marks(again, checker)
                                  if text[m[0]:m[1]].strip() != word]


def test_ignore_all_and_ignore_persist_across_restarts(qtbot, make_window, checker, text):
    window = make_window()
    open_text(qtbot, window, text)
    marks = [m for m in window.editor.store.all() if m.finding.original.strip()]
    assert len(marks) >= 2
    ignore_all, ignore_one = marks[0], marks[-1]
    all_text, one_key = ignore_all.finding.original.strip(), ignore_one.finding.key
    run_context_menu(qtbot, window, ignore_all, action_with("ignore_all"))
    run_context_menu(qtbot, window, ignore_one, action_with("ignore"))
    assert all_text in ignore_list()
    remaining = window.editor.store.all()
    assert not any(m.finding.original.strip() == all_text for m in remaining)
    assert not any(m.finding.key == one_key for m in remaining)
    window.shutdown()

    again = make_window()
    open_text(qtbot, again, text)
    shown = again.editor.store.all()
    assert not any(m.finding.original.strip() == all_text for m in shown)
    assert not any(m.finding.key == one_key for m in shown)
    assert_marks_match_text(again)


def test_turn_off_a_category_persists(qtbot, make_window, text):
    window = make_window()
    open_text(qtbot, window, text)
    kind = first_mark(window).kind
    run_context_menu(qtbot, window, first_mark(window), action_with("disable_kind"))
    assert not any(m.kind is kind for m in window.editor.store.all())
    assert kind.value in Settings.load().disabled_kinds
    window.shutdown()
    again = make_window()
    open_text(qtbot, again, text)
    assert not any(m.kind is kind for m in again.editor.store.all())


def test_f7_and_shift_f7_walk_the_issues(qtbot, make_window, text):
    window = make_window()
    open_text(qtbot, window, text)
    marks = window.editor.store.all()
    assert len(marks) >= 2
    window.editor.setFocus()
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    window.actions["next_issue"].trigger()
    assert window.editor.textCursor().selectionStart() == marks[0].start
    assert window.editor.card.isVisible() and window.editor.card.mark is marks[0]
    window.actions["next_issue"].trigger()
    assert window.editor.textCursor().selectionStart() == marks[1].start
    window.actions["previous_issue"].trigger()
    assert window.editor.textCursor().selectionStart() == marks[0].start
    window.actions["previous_issue"].trigger()   # wraps around
    assert window.editor.textCursor().selectionStart() == marks[-1].start
    qtbot.keyClick(window.editor, Qt.Key_Escape)
    assert not window.editor.card.isVisible()
    assert [a.shortcut().toString() for a in (window.actions["next_issue"], window.actions["previous_issue"])] \
        == ["F7", "Shift+F7"]


def test_issues_panel_lists_jumps_and_fixes_all_of_a_kind(qtbot, make_window, checker, text):
    window = make_window()
    open_text(qtbot, window, text)
    marks = window.editor.store.all()
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == len(marks))
    model = window.panel.model
    for row, mark in enumerate(marks):
        assert model.index(row, 2).data() == mark.finding.sentence
        assert mark.finding.sentence and mark.finding.sentence in text
    target = marks[len(marks) // 2]
    row = marks.index(target)
    rect = window.panel.view.visualRect(model.index(row, 1))
    qtbot.mouseClick(window.panel.view.viewport(), Qt.LeftButton, pos=rect.center())
    cursor = window.editor.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (target.start, target.end)
    assert window.editor.card.isVisible()

    kind = target.kind
    assert window.panel.fix_button.isEnabled() and kind.value in window.panel.fix_button.text().lower()
    issues = [i for i in checker.check(text, window.profile.options()) if i.kind is kind]
    window.panel.fix_button.click()
    assert window.editor.text() == apply_all(text, issues)
    window.editor.undo()   # one undo step for the whole fix
    assert window.editor.text() == text
