"""Underlines: typing produces underlines where the checker says, in the kind's colour and style."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st
from PySide6.QtGui import QColor

from app_fixtures import assert_marks_match_text, expected_marks, flagged_text, shown_marks, wait_idle
from app_fixtures import checker, home, make_window, model_dir, qapp  # noqa: F401  (pytest fixtures)
from app import kinds
from app.checking import Utf16, split_units
from edgemodel import split_sentences

def test_typing_shows_underlines_at_the_checkers_offsets_and_colours(qtbot, make_window, checker):
    text = flagged_text(checker, ascii_only=True)
    window = make_window()
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, text)
    wait_idle(qtbot, window)
    assert window.editor.text() == text
    expected = expected_marks(window, checker)
    assert expected
    assert shown_marks(window) == expected
    for u in window.editor.underlines():
        look = kinds.LOOKS[u.kind]
        assert (u.color, u.line) == (look.color, look.line)
        if u.mark.start != u.mark.end:
            assert (u.start, u.end) == (u.mark.start, u.mark.end)
    assert_marks_match_text(window)
    summary = kinds.summary({k: sum(1 for m in expected if m[2] is k) for k in {m[2] for m in expected}})
    qtbot.waitUntil(lambda: window.status_issues.text() == summary)   # refreshed after a short debounce


def test_underlines_are_painted_in_the_kinds_colour(qtbot, make_window, checker):
    text = flagged_text(checker, predicate=lambda issue, _: issue.end - issue.start >= 2)
    window = make_window()
    window.editor.set_text(text)
    wait_idle(qtbot, window)
    window.editor.set_thick_underlines(True)   # two-pixel lines: a solid colour sample survives antialiasing
    qtbot.wait(50)
    image = window.editor.viewport().grab().toImage()
    underline = max(window.editor.underlines(), key=lambda u: u.end - u.start)
    rect = window.editor._mark_rect(underline.mark)
    target = QColor(underline.color)

    def near(c: QColor) -> bool:
        return abs(c.red() - target.red()) + abs(c.green() - target.green()) + abs(c.blue() - target.blue()) < 90

    hits = sum(near(image.pixelColor(x, y)) for x in range(int(rect.left()) + 1, int(rect.right()))
               for y in range(int(rect.top()), min(image.height(), int(rect.bottom()) + 3)))
    assert hits >= 3, f"no {underline.color} pixels under {underline.start}-{underline.end}"


def test_paragraphs_markdown_and_wide_characters(qtbot, make_window, checker):
    """Units are checked separately and positions converted to UTF-16: the result must still be the
    whole-document check, at the right places after emoji (two UTF-16 units each)."""
    text = ("# A titel with a eror\n\n"
            "😀 He go to school yesterday 🚀 and buyed a apple.\n"
            "this line continue the paragraf.\n\n"
            "```\ncode here is not chekced\n\nstill code\n```\n"
            "- a list item with mistaks\n"
            "- another item who are wrong\n\n"
            "    indented code block tesst\n\n"
            "Last paragraf 🙂 with `inline cod` and https://exampel.com/ links.")
    window = make_window()
    window.editor.set_text(text)
    wait_idle(qtbot, window)
    assert window.editor.text() == text
    assert shown_marks(window) == expected_marks(window, checker)
    assert_marks_match_text(window)


def test_utf16_positions():
    text = "a😀b🚀c"
    u16 = Utf16(text)
    assert [u16.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [u16.to_py(u16.to_qt(i)) for i in range(len(text) + 1)] == list(range(len(text) + 1))


_LINES = st.sampled_from(["", "", "Some text here.", "another line. And more", "# Heading", "- item one",
                          "1. numbered", "> quote", "```", "~~~", "    indented", "\tcode", "| a | b |",
                          "Visit https://example.com/x now.", "ends with colon:", "Mr. Smith went. Then",
                          "   ", "😀 emoji line."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=25), st.sampled_from(["\n", "\n\n"]))
def test_units_split_sentences_as_the_whole_text_does(lines, end):
    """The claim checking by unit rests on: the checker's sentences of the whole text are exactly the
    sentences of its units, offset by the unit's start."""
    text = "\n".join(lines) + end
    whole = [(s.start, s.end, s.text, s.opens_paragraph) for s in split_sentences(text)]
    by_unit = [(a + s.start, a + s.end, s.text, s.opens_paragraph)
               for a, b in split_units(text) for s in split_sentences(text[a:b])]
    assert by_unit == whole
