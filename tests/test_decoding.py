"""Aggressive decoding must return exactly what greedy decoding returns, on the shipped model."""
from conftest import varied_sentences

from edgemodel import decoding


def test_aggressive_equals_greedy_on_varied_sentences(checker):
    model, tok = checker.model, checker.tokenizer
    sentences = varied_sentences(320)
    assert len(sentences) >= 300
    passes = {"greedy": 0, "aggressive": 0}
    for s in sentences:
        src = tok.encode(s)
        g = decoding.greedy(model, src)
        a = decoding.aggressive(model, src)
        assert a.tokens == g.tokens, s
        assert len(a.logprobs) == len(a.tokens)
        for x, y in zip(a.logprobs, g.logprobs):
            assert x == y, s  # bit-identical: see Exporter.attend_rows
        passes["greedy"] += g.passes
        passes["aggressive"] += a.passes
    # The point of drafting: far fewer decoder runs than greedy's one per token.
    assert passes["aggressive"] < passes["greedy"] / 2, passes


def test_empty_source_decodes(checker):
    g = decoding.greedy(checker.model, [])
    a = decoding.aggressive(checker.model, [])
    assert a.tokens == g.tokens
    assert len(g.tokens) <= decoding.max_output_len([])


def test_resync_needs_a_unique_match():
    src = [5, 6, 7, 5, 6, 8]
    assert decoding.resync([9, 7], src) == [5, 6, 8]          # 7 occurs once
    assert decoding.resync([9, 5, 6, 8], src) == []           # "5 6 8" once: draft is what follows
    assert decoding.resync([9, 5, 6], src) is None            # "5 6" and "6", "5" all repeat
    assert decoding.resync([4], src) is None


def test_long_drafts_verified_in_slices_still_equal_greedy(checker, monkeypatch):
    monkeypatch.setattr(decoding, "MAX_DRAFT", 4)
    model, tok = checker.model, checker.tokenizer
    for s in varied_sentences(40, seed=3):
        src = tok.encode(s)
        assert decoding.aggressive(model, src).tokens == decoding.greedy(model, src).tokens, s
