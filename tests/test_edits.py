"""Alignment, kinds and messages, and sentence splitting: pure functions, no model."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgemodel.edits import align, classify, is_dialect_variant
from edgemodel.issue import Issue, Kind, apply_all
from edgemodel.text import MAX_SENTENCE_CHARS, protected_spans, split_sentences


@pytest.mark.parametrize("src,tgt,edits", [
    ("He go to school yesterday and buyed a apple.", "He went to school yesterday and bought an apple.",
     [("go", "went", Kind.GRAMMAR, "Verb form"), ("buyed", "bought", Kind.GRAMMAR, "Verb form"),
      ("a", "an", Kind.GRAMMAR, "Article")]),
    ("I has a question.", "I have a question.", [("has", "have", Kind.GRAMMAR, "Subject–verb agreement")]),
    ("This is the the best day.", "This is the best day.", [("the the", "the", Kind.GRAMMAR, "Repeated word")]),
    ("i live in london.", "I live in London.", [("i", "I", Kind.CAPITALIZATION, "Capitalize"),
                                                ("london", "London", Kind.CAPITALIZATION, "Capitalize")]),
    ("She went to store.", "She went to the store.", [("store", "the store", Kind.GRAMMAR, "Missing article")]),
    ("My freind is here.", "My friend is here.", [("freind", "friend", Kind.SPELLING, "spelling")]),
    ("However it rained.", "However, it rained.", [("However", "However,", Kind.PUNCTUATION, "comma")]),
    ("I like alot of things.", "I like a lot of things.", [("alot", "a lot", Kind.SPELLING, "two words")]),
    ("It is bigger then that.", "It is bigger than that.", [("then", "than", Kind.WORD_CHOICE, "than")]),
    ("Their going home.", "They're going home.", [("Their", "They're", Kind.WORD_CHOICE, "They're")]),
    ("I dont know.", "I don't know.", [("dont", "don't", Kind.PUNCTUATION, "apostrophe")]),
    ("We discussed about it.", "We discussed it.", [("about it", "it", Kind.GRAMMAR, "Unnecessary preposition")]),
    ("I went there", "I went there.", [("there", "there.", Kind.PUNCTUATION, "period")]),
    ("I have a friend, his name is Tom.", "I have a friend. His name is Tom.",
     [(", his", ". His", Kind.PUNCTUATION, "start a new one")]),
    ("It rained. So we left.", "It rained, so we left.", [(". So", ", so", Kind.PUNCTUATION, "comma")]),
    ("Same  spacing   changes only.", "Same spacing changes only.", []),
])
def test_edits_kinds_and_messages(src, tgt, edits):
    got = align(src, tgt)
    assert [(e.source, e.target) for e in got] == [(a, b) for a, b, _, _ in edits]
    for e, (_, _, kind, words) in zip(got, edits):
        k, message = classify(e)
        assert k is kind, (e, message)
        assert words.lower() in message.lower(), message
        assert src[e.start:e.end] == e.source and tgt[e.target_start:e.target_end] == e.target


@given(st.text(alphabet="ab ,.'\n", max_size=30), st.text(alphabet="ab ,.'\n", max_size=30))
@settings(max_examples=300, deadline=None)
def test_applying_all_edits_gives_the_target_up_to_whitespace(src, tgt):
    edits = align(src, tgt)
    issues = [Issue(e.start, e.end, Kind.GRAMMAR, (e.target,), "m", 1.0) for e in edits]
    assert " ".join(apply_all(src, issues).split()) == " ".join(tgt.split())


def test_dialect_variants_are_recognised():
    for a, b in [("colour", "color"), ("realise", "realize"), ("centre", "center"), ("travelled", "traveled"),
                 ("catalogue", "catalog"), ("defence", "defense"), ("organisation", "organization")]:
        assert is_dialect_variant(a, b) and is_dialect_variant(b, a)
    for a, b in [("form", "from"), ("there", "their"), ("cat", "car"), ("motor", "motour")[:1] * 2]:
        assert not is_dialect_variant(a, b), (a, b)


def test_sentences_have_offsets_into_the_text():
    text = ("# Title\n\nDr. Smith arrived at 5 p.m. on Jan. 5. He left early! Did he?\n"
            "This line wraps\nonto the next one.\n\n- a list item\n- another item\n\n"
            "```\ncode block. Not prose.\n```\n    indented code\n\nLast one.")
    sentences = split_sentences(text)
    assert all(text[s.start:s.end].replace("\n", " ") == s.text for s in sentences)
    texts = [s.text for s in sentences]
    assert "Dr. Smith arrived at 5 p.m. on Jan. 5." in texts
    assert "He left early!" in texts and "Did he?" in texts
    assert "This line wraps onto the next one." in texts  # a wrapped line continues its sentence
    assert "- a list item" in texts and "- another item" in texts
    assert not [t for t in texts if "code block" in t or "indented code" in t]
    assert texts[0] == "# Title" and texts[-1] == "Last one."


def test_model_text_keeps_length_and_removes_controls():
    text = "Bad \x00 control and lone \ud800 surrogate here."
    (s,) = split_sentences(text)
    assert len(s.text) == s.end - s.start
    assert "\x00" not in s.text and "\ud800" not in s.text


def test_long_sentences_are_cut_into_pieces():
    text = "word " * 2000
    pieces = split_sentences(text)
    assert len(pieces) > 1 and all(len(p.text) <= MAX_SENTENCE_CHARS for p in pieces)
    assert all(text[p.start:p.end] == p.text for p in pieces)


def test_protected_spans():
    text = "See https://example.com/a_b, mail me@example.org, run `rm -rf x` and [a](http://x.y/z)."
    spans = [text[a:b] for a, b in protected_spans(text)]
    assert "https://example.com/a_b" in spans and "me@example.org" in spans and "`rm -rf x`" in spans
    assert any("http://x.y/z" in s for s in spans)
    text = "Write to usflight.org.uk or Marketo.com/docs. It was fine.Then he left."
    assert [text[a:b] for a, b in protected_spans(text)] == ["usflight.org.uk", "Marketo.com/docs"]


@pytest.mark.parametrize("source, target, inflection", [
    ("deaths", "death", True), ("obtaining", "obtain", True), ("go", "went", True),
    ("teh", "the", False), ("the deaths", "death", False), ("deaths", "deaths,", False),
])
def test_inflection_edits(source, target, inflection):
    from edgemodel.edits import Edit, is_inflection
    assert is_inflection(Edit(0, len(source), source, target, 0, len(target))) is inflection
