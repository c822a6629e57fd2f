"""Streaming readers for the clean corpora and the learner-error sets in ../shared/data."""
from __future__ import annotations

import json
import lzma
from pathlib import Path
from typing import Iterator

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def open_text(path: Path):
    return lzma.open(path, "rt", encoding="utf-8") if path.suffix == ".xz" else open(path, encoding="utf-8")


def lines(path: Path) -> Iterator[str]:
    """Non-empty stripped lines of a (possibly xz-compressed) text file, streamed; a clean corpus's
    lines as the text they stand for (`evaluate.clean_line`)."""
    from edgemodel.evaluate import clean_line
    corpus = path.name.split(".")[0]
    with open_text(path) as f:
        for line in f:
            line = line.strip()
            if line:
                yield clean_line(corpus, line)


def detokenize(tokens: list[str]) -> str:
    """M2's PTB-style tokens as raw text, the same way evaluation detokenizes the dev sets."""
    from edgemodel.evaluate import detokenize as with_spans
    return with_spans(tokens)[0]


def m2_pairs(path: Path, annotator: int = 0,
             keep_commas: bool = False) -> Iterator[tuple[list[str], list[str], list[tuple[int, int, str, str]]]]:
    """(source tokens, corrected tokens, edits) per M2 block, for one annotator; `keep_commas`: leave
    out the edits that only delete a comma."""
    with open(path, encoding="utf-8") as f:
        block: list[str] = []
        for line in list(f) + [""]:
            line = line.rstrip("\n")
            if line:
                block.append(line)
                continue
            if not block:
                continue
            src = block[0][2:].split()
            edits = []
            for a in block[1:]:
                span, etype, corr, _, _, ann = a[2:].split("|||")
                if int(ann) != annotator or etype in {"noop", "UNK"}:
                    continue
                s, e = map(int, span.split())
                if s < 0 or keep_commas and deletes_comma(" ".join(src[s:e]), corr):
                    continue
                edits.append((s, e, etype, corr))
            tgt = list(src)
            for s, e, _, corr in sorted(edits, reverse=True):
                tgt[s:e] = corr.split() if corr and corr != "-NONE-" else []
            yield src, tgt, edits
            block = []


def deletes_comma(original: str, correction: str | None) -> bool:
    """An edit that only removes a comma (886 of the 44,564 learner pairs have one). Trained on them,
    the model removed commas from clean text too (11 of 800 clean dev lines at step 93000; of its 28
    removals on BEA dev, 7 were the gold's), so learner targets keep them."""
    return original.strip() == "," and not (correction or "").replace("-NONE-", "").strip()


def fce_pairs(path: Path, keep_commas: bool = False) -> Iterator[tuple[str, str]]:
    """(erroneous, corrected) raw-text sentence pairs from FCE JSON (character-offset edits);
    `keep_commas`: leave out the edits that only delete a comma."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            essay = json.loads(line)
            text = essay["text"]
            edits = sorted(essay["edits"][0][1], key=lambda e: e[0]) if essay.get("edits") else []
            corrected, pos = [], 0
            for start, end, corr, *_ in edits:
                if start < pos or corr is None:  # nested or detection-only edits
                    continue
                if keep_commas and deletes_comma(text[start:end], corr):
                    continue
                corrected.append(text[pos:start])
                corrected.append(corr or "")
                pos = end
            corrected.append(text[pos:])
            for src_par, tgt_par in zip(text.split("\n"), "".join(corrected).split("\n")):
                src_par, tgt_par = src_par.strip(), tgt_par.strip()
                if src_par and tgt_par:
                    yield src_par, tgt_par


def real_pairs(data_dir: Path) -> list[tuple[str, str]]:
    """Learner sentences with their corrections, less comma deletions (`deletes_comma`; non-commercial
    licences: recorded in the model card)."""
    pairs = []
    for part in "ABC":
        path = data_dir / "gec" / "wi_locness" / f"{part}.train.gold.bea19.m2"
        pairs += [(detokenize(s), detokenize(t)) for s, t, _ in m2_pairs(path, keep_commas=True)]
    # FCE paragraphs: keep the sentence-sized ones.
    pairs += [(s, t) for s, t in fce_pairs(data_dir / "gec" / "fce" / "fce.train.json", keep_commas=True)
              if len(s.split()) <= 40]
    return pairs


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """`noisy \t clean` lines (the noise model's sampled pairs)."""
    with open_text(path) as f:
        return [tuple(line.rstrip("\n").split("\t")) for line in f if line.count("\t") == 1]
