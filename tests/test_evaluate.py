"""edgemodel.evaluate on tiny fixtures written here (no ../shared needed)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from edgemodel import evaluate as ev

# --------------------------------------------------------------------------- fixtures

BEA_M2 = """\
S He go to school yesterday and buyed a book .
A 1 2|||R:VERB:TENSE|||went|||REQUIRED|||-NONE-|||0
A 6 7|||R:VERB:INFL|||bought|||REQUIRED|||-NONE-|||0

S I do n't like it .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0

S She have two cat .
A 1 2|||R:VERB:SVA|||has|||REQUIRED|||-NONE-|||0
A 3 4|||R:NOUN:NUM|||cats|||REQUIRED|||-NONE-|||0
"""

# two annotators who disagree: 0 wants "an", 1 wants "the"
CWEB_G_M2 = """\
S We saw a elephant at the zoo .
A 2 3|||R:DET|||an|||REQUIRED|||-NONE-|||0
A 2 3|||R:DET|||the|||REQUIRED|||-NONE-|||1

S The weather is nice today .
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||0
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||1
"""
CWEB_G_SOURCE = "We saw a elephant at the zoo.\nThe weather is nice today.\n"
CWEB_S_M2 = """\
S Buy our product 's now !
A 3 4|||U:PART||||||REQUIRED|||-NONE-|||0
A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||1
"""
CWEB_S_SOURCE = "Buy our product's now!\n"

JFLEG_SRC = ["He go to school .", "I has a apple ."]
JFLEG_REFS = [["He goes to school .", "I have an apple ."],
              ["He went to school .", "I have an apple ."]]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "dev" / "jfleg").mkdir(parents=True)
    (tmp_path / "dev" / "jfleg" / "dev.src").write_text("\n".join(JFLEG_SRC) + "\n")
    for i, refs in enumerate(JFLEG_REFS):
        (tmp_path / "dev" / "jfleg" / f"dev.ref{i}").write_text("\n".join(refs) + "\n")
    (tmp_path / "gec" / "wi_locness").mkdir(parents=True)
    (tmp_path / "gec" / "wi_locness" / "ABCN.dev.gold.bea19.m2").write_text(BEA_M2)
    cweb = tmp_path / "dev" / "cweb"
    cweb.mkdir(parents=True)
    (cweb / "CWEB-G.dev.m2").write_text(CWEB_G_M2)
    (cweb / "CWEB-G.dev.source").write_text(CWEB_G_SOURCE)
    (cweb / "CWEB-S.dev.m2").write_text(CWEB_S_M2)
    (cweb / "CWEB-S.dev.source").write_text(CWEB_S_SOURCE)
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "wiki.dev.txt").write_text(
        "Paris is the capital of France.\nThe river flows north.\nIt has 3 bridges.\nThe town grew.\n")
    (tmp_path / "clean" / "brown.dev.txt").write_text("\"Come here,\" she said.\nHe did not answer.\n")
    return tmp_path


def mapping(table: dict[str, str]):
    return lambda xs: [table.get(x, x) for x in xs]


def needs_errant():
    pytest.importorskip("errant")
    pytest.importorskip("spacy")
    if not ev.errant_available():
        pytest.skip(f"spaCy model {ev.SPACY_MODEL} not installed")


# --------------------------------------------------------------------------- tokenisation

def test_detokenize_and_spans():
    tokens = 'I do n\'t know , he said " hello " ( maybe ) .'.split()
    text, spans = ev.detokenize(tokens)
    assert text == 'I don\'t know, he said "hello" (maybe).'
    assert [text[a:b] for a, b in spans] == tokens


def test_retokenize_keeps_source_tokens_and_tokenizes_changes():
    tokens = "a lot of U.S people do n't know .".split()
    text, spans = ev.detokenize(tokens)
    assert text == "a lot of U.S people don't know."
    assert ev.retokenize(tokens, text, spans, text) == tokens
    assert ev.retokenize(tokens, text, spans, "  " + text + "\n") == tokens
    # "U.S" kept as in the source although the tokenizer alone would split it differently
    assert ev.retokenize(tokens, text, spans, "A lot of U.S people doesn't know!") == \
        "A lot of U.S people does n't know !".split()
    assert ev.retokenize(tokens, text, spans, "alot of U.S people don't know.") == \
        "alot of U.S people do n't know .".split()
    assert ev.retokenize(tokens, text, spans, "") == []


def test_tokenize():
    assert ev.tokenize("Mr. Smith can't go, isn't it? (Yes...)") == \
        ["Mr.", "Smith", "ca", "n't", "go", ",", "is", "n't", "it", "?", "(", "Yes", "...", ")"]


def test_spans_in_text():
    assert ev.spans_in_text(["product", "'s", "now", "!"], "product's  now!") == [(0, 7), (7, 9), (11, 14), (14, 15)]
    assert ev.spans_in_text(["a", "b"], "a c") is None


# --------------------------------------------------------------------------- GLEU

def test_gleu_by_hand():
    src = "a b c d e f g h".split()
    ref = "a b c d e f g i".split()
    # identity: matches 7,6,5,4 minus the source n-grams not in the ref (h, g h, f g h, e f g h)
    assert ev.gleu_stats(src, ref, src) == [8, 8, 6, 8, 5, 7, 4, 6, 3, 5]
    mean, std = ev.corpus_gleu([src], [[ref]], [src])
    assert mean == pytest.approx(100 * (6 / 8 * 5 / 7 * 4 / 6 * 3 / 5) ** 0.25)  # 68.04
    assert std == 0
    assert ev.corpus_gleu([src], [[ref]], [ref])[0] == pytest.approx(100.0)
    # dropping the wrong word: every n-gram right, but brevity penalty exp(1 - 8/7)
    assert ev.corpus_gleu([src], [[ref]], [src[:-1]])[0] == pytest.approx(100 * math.exp(-1 / 7))
    assert ev.corpus_gleu([src], [[ref]], [[]])[0] == 0.0


def test_gleu_multi_reference_is_deterministic_and_bounded():
    srcs = [s.split() for s in JFLEG_SRC]
    refs = [[r[i].split() for r in JFLEG_REFS] for i in range(len(srcs))]
    a = ev.corpus_gleu(srcs, refs, [r[0] for r in refs])
    assert a == ev.corpus_gleu(srcs, refs, [r[0] for r in refs])
    per_ref = [ev.corpus_gleu(srcs, [[r[k]] for r in refs], [r[0] for r in refs])[0] for k in range(2)]
    assert min(per_ref) <= a[0] <= max(per_ref)


def test_per_sentence_statistics_only_when_asked(data_dir):
    plain = ev.evaluate(ev.identity, data_dir, sets=["jfleg"])
    kept = ev.evaluate(ev.identity, data_dir, sets=["jfleg"], sentences=True)
    assert "sentences" not in plain["jfleg"] and plain["jfleg"]["gleu"] == kept["jfleg"]["gleu"]
    per_ref = kept["jfleg"]["sentences"]
    assert [len(refs) for refs in per_ref] == [2, 2]   # sentence x reference
    assert ev.gleu_of_sentences(per_ref)[0] == pytest.approx(kept["jfleg"]["gleu"], abs=0.005)


def test_jfleg_perfect_beats_identity(data_dir):
    perfect = {ev.detokenize(s.split())[0]: ev.detokenize(r.split())[0] for s, r in zip(JFLEG_SRC, JFLEG_REFS[0])}
    ident = ev.eval_jfleg(ev.identity, data_dir)
    best = ev.eval_jfleg(mapping(perfect), data_dir)
    assert ident["n"] == best["n"] == 2
    assert 0 <= ident["gleu"] < best["gleu"] <= 100
    assert ev.eval_jfleg(lambda xs: [""] * len(xs), data_dir)["gleu"] == 0.0


# --------------------------------------------------------------------------- M2 scoring

def test_read_m2(data_dir):
    gold = ev.read_m2(data_dir / "gec" / "wi_locness" / "ABCN.dev.gold.bea19.m2")
    assert len(gold) == 3
    assert gold[0].tokens[:3] == ["He", "go", "to"]
    assert gold[0].edits[1] == (6, 7, 0, "R:VERB:INFL", "bought")
    assert len(ev.read_m2(data_dir / "gec" / "wi_locness" / "ABCN.dev.gold.bea19.m2", limit=2)) == 2


def test_score_m2_known_counts(data_dir):
    gold = ev.read_m2(data_dir / "gec" / "wi_locness" / "ABCN.dev.gold.bea19.m2")
    # sentence 0: one gold edit right, one missed, one wrong edit added; others untouched
    hyp = [[(1, 2, "R:VERB:TENSE", "went"), (7, 8, "R:DET", "the")], [], []]
    s = ev.score_m2(gold, hyp)
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 3)
    hyp = [[(1, 2, "R:VERB:TENSE", "went"), (7, 8, "R:DET", "the")], [], [(1, 2, "R:VERB:SVA", "has"),
                                                                        (3, 4, "R:NOUN:NUM", "cats")]]
    s = ev.score_m2(gold[:1], hyp[:1])
    assert (s["precision"], s["recall"], s["f0.5"]) == (50.0, 50.0, 50.0)
    s = ev.score_m2(gold, hyp)
    assert (s["tp"], s["fp"], s["fn"]) == (3, 1, 1)
    assert s["precision"] == 75.0 and s["recall"] == 75.0
    assert s["sentences"] == [[1, 1, 1], [0, 0, 0], [2, 0, 0]]   # what a paired bootstrap resamples
    # an edit of the right span with the wrong correction is a false positive and a miss
    s = ev.score_m2(gold[2:], [[(1, 2, "R:VERB", "had")]])
    assert (s["tp"], s["fp"], s["fn"]) == (0, 1, 2)
    # no edits at all: precision 1 by errant's convention, recall 0
    s = ev.score_m2(gold, [[], [], []])
    assert (s["precision"], s["recall"], s["f0.5"], s["fn"]) == (100.0, 0.0, 0.0, 4)


def test_score_m2_picks_best_annotator(data_dir):
    gold = ev.read_m2(data_dir / "dev" / "cweb" / "CWEB-G.dev.m2")
    for cor in ("an", "the"):
        s = ev.score_m2(gold, [[(2, 3, "R:DET", cor)], []])
        assert (s["tp"], s["fp"], s["fn"]) == (1, 0, 0)
    s = ev.score_m2(gold, [[(2, 3, "R:DET", "one")], []])
    assert (s["tp"], s["fp"], s["fn"]) == (0, 1, 1)
    # annotator 1 says nothing is wrong in the S sentence: an unchanged output matches it fully
    gold_s = ev.read_m2(data_dir / "dev" / "cweb" / "CWEB-S.dev.m2")
    s = ev.score_m2(gold_s, [[]])
    assert (s["tp"], s["fp"], s["fn"]) == (0, 0, 0)


def test_prf_matches_errant_convention():
    assert ev.prf(0, 0, 0) == (1.0, 1.0, 1.0)
    assert ev.prf(1, 1, 1) == (0.5, 0.5, 0.5)
    assert ev.prf(2, 0, 2)[2] == round(1.25 * 1 * 0.5 / (0.25 * 1 + 0.5), 4)


# --------------------------------------------------------------------------- clean text and robustness

def test_false_alarm_rate(data_dir):
    def model(xs):
        out = []
        for x in xs:
            if x.startswith("The river"):
                out.append("The river flows northward.")
            elif x.startswith("He did"):
                out.append("He didn't answer.")
            elif x.startswith("It has"):
                out.append("It  has 3 bridges. ")  # whitespace only: not a change
            else:
                out.append(x)
        return out
    r = ev.eval_clean(model, data_dir)
    assert r["false_alarm_wiki"] == 25.0
    assert r["false_alarm_brown"] == 50.0
    assert r["false_alarm_rate"] == pytest.approx(100 * 2 / 6, abs=0.01)
    assert r["n"] == 6
    assert ev.eval_clean(model, data_dir, limit=1)["false_alarm_rate"] == 0.0
    assert ev.eval_clean(ev.identity, data_dir)["false_alarm_rate"] == 0.0


def test_brown_artefacts_are_read_as_the_sentences_they_stand_for(data_dir):
    """Brown's "theatre;;" and "innocent??" are encoding artefacts, and its lowercase pieces of
    sentences stand for sentences: fixing those is no false alarm, and training text has them fixed;
    a title's "Panties!!" in Wikipedia is the writer's."""
    (data_dir / "clean" / "brown.dev.txt").write_text("He walked out of the theatre;;\nis it possible??\n")
    (data_dir / "clean" / "wiki.dev.txt").write_text('The album "New Boots and Panties!!" sold well.\n')
    fix = lambda xs: [(x[0].upper() + x[1:]).replace(";;", ";").replace("??", "?").replace("!!", "!") for x in xs]
    r = ev.eval_clean(fix, data_dir)
    assert (r["false_alarm_brown"], r["false_alarm_wiki"]) == (0.0, 100.0)
    assert ev.eval_clean(ev.identity, data_dir)["false_alarm_rate"] == 0.0
    from edgemodel.train.corpus import lines
    assert list(lines(data_dir / "clean" / "brown.dev.txt")) == ["He walked out of the theatre;", "Is it possible?"]
    assert list(lines(data_dir / "clean" / "wiki.dev.txt")) == ['The album "New Boots and Panties!!" sold well.']


def test_run_model_tolerates_bad_outputs():
    outs, _, bad = ev.run_model(lambda xs: xs[:-1], ["a", "b", "c"], batch_size=2)
    assert outs == ["a", "", ""] and bad == 2  # each batch of 2 and 1 loses its last output
    outs, _, bad = ev.run_model(lambda xs: [None, 3] + xs, ["a", "b"])
    assert outs == ["", "3"] and bad == 4
    seen = []
    ev.run_model(lambda xs: seen.append(len(xs)) or xs, ["x"] * 5, batch_size=2)
    assert seen == [2, 2, 1]


def test_evaluate_without_errant_sets(data_dir):
    r = ev.evaluate(ev.identity, data_dir, sets=["jfleg", "clean"])
    assert set(r) == {"jfleg", "clean"}
    assert r["clean"]["false_alarm_rate"] == 0.0
    with pytest.raises(ValueError):
        ev.evaluate(ev.identity, data_dir, sets=["nope"])
    assert ev.evaluate(ev.identity, data_dir / "missing", sets=["jfleg"]) == {}


def test_table_and_cli(data_dir, tmp_path, capsys):
    out = tmp_path / "eval.json"
    ev.main(["--data", str(data_dir), "--sets", "jfleg", "clean", "--out", str(out)])
    printed = capsys.readouterr().out
    assert "| jfleg | gleu |" in printed and "identity" in printed
    saved = json.loads(out.read_text())
    assert saved["identity"]["clean"]["false_alarm_rate"] == 0.0
    table = ev.format_table({"model": {"jfleg": {"gleu": 50.0}}, "identity": {"jfleg": {"gleu": 40.0}}})
    assert "| jfleg | gleu | 50.00 | 40.00 |" in table


# --------------------------------------------------------------------------- with ERRANT

def test_bea_with_errant(data_dir):
    needs_errant()
    r = ev.eval_bea(ev.identity, data_dir)
    assert (r["tp"], r["fp"], r["fn"], r["precision"], r["f0.5"]) == (0, 0, 4, 100.0, 0.0)
    model = mapping({"He go to school yesterday and buyed a book.": "He went to school yesterday and buyed the book."})
    r = ev.eval_bea(model, data_dir, limit=1)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 1, 1)
    assert (r["precision"], r["recall"], r["f0.5"]) == (50.0, 50.0, 50.0)
    model = mapping({"He go to school yesterday and buyed a book.": "He went to school yesterday and bought a book.",
                     "She have two cat.": "She has two cats."})
    r = ev.eval_bea(model, data_dir)
    assert (r["tp"], r["fp"], r["fn"], r["f0.5"]) == (4, 0, 0, 100.0)
    # garbage of any shape is scored, not fatal
    r = ev.eval_bea(lambda xs: ["", "??"], data_dir)
    assert r["tp"] == 0 and r["fp"] > 0 and r["bad_outputs"] == 1


def test_cweb_with_errant(data_dir):
    needs_errant()
    r = ev.eval_cweb(ev.identity, data_dir)
    assert (r["tp"], r["fp"], r["fn"], r["n"]) == (0, 0, 1, 3)
    model = mapping({"We saw a elephant at the zoo.": "We saw an elephant at the zoo.",
                     "Buy our product's now!": "Buy our products now!"})
    r = ev.eval_cweb(model, data_dir)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 1, 0)  # the S edit is a false positive for annotator 1
    assert r["f0.5_g"] == 100.0
    full = ev.evaluate(model, data_dir)
    assert set(full) == {"jfleg", "bea", "cweb", "clean"}


def test_plot_history(tmp_path):
    pytest.importorskip("matplotlib")
    history = tmp_path / "history.jsonl"
    lines = [{"step": s, "tokens": 1000 * s, "hours": s / 10,
              "scores": {"jfleg": {"gleu": 38 + s}, "bea": {"precision": 40.0, "recall": 10.0, "f0.5": 20 + s},
                         "clean": {"false_alarm_rate": 10 - s}}} for s in (1, 2, 3)]
    history.write_text("".join(json.dumps(x) + "\n" for x in lines))
    out = tmp_path / "plots" / "dev.png"
    ev.plot_history(history, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines[-1]["scores"]["loss"] = {"learner_train": 0.3, "bea_dev": 0.8}   # a third panel, where recorded
    history.write_text("".join(json.dumps(x) + "\n" for x in lines))
    ev.plot_history(history, out)
    from PIL import Image
    assert Image.open(out).size[0] > 1.4 * 11 * 110
