"""Train the sentencepiece tokenizer on the clean text.

    python -m edgemodel.train.tokenizer --data ../shared/data --out assets/spm.model

Unigram, byte fallback (no input is ever unknown), identity normalisation (case, punctuation
and Unicode are kept as written, so corrections never change characters the model did not mean to).
"""
from __future__ import annotations

import argparse
import itertools
import random
import tempfile
from pathlib import Path

import sentencepiece as spm

from edgemodel.train.corpus import DEFAULT_DATA, detokenize, fce_pairs, lines, m2_pairs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("assets/spm.model"))
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--sentences", type=int, default=300_000)
    args = ap.parse_args(argv)

    rng = random.Random(0)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as tmp:
        for s in itertools.islice(lines(args.data / "clean" / "wiki.train.txt.xz"), args.sentences):
            tmp.write(s + "\n")
        # Everyday and learner vocabulary (dialogue, "I", "you", contractions) is rare in
        # Wikipedia but is what users write: Brown twice, the corrected learner essays once.
        for s in itertools.chain(lines(args.data / "clean" / "brown.train.txt.xz"),
                                 lines(args.data / "clean" / "brown.train.txt.xz")):
            tmp.write((s.lower() if rng.random() < 0.1 else s) + "\n")
        for part in "ABC":
            for _, tgt, _ in m2_pairs(args.data / "gec" / "wi_locness" / f"{part}.train.gold.bea19.m2"):
                tmp.write(detokenize(tgt) + "\n")
        for _, tgt in fce_pairs(args.data / "gec" / "fce" / "fce.train.json"):
            tmp.write(tgt + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        input=tmp.name, model_prefix=str(args.out.with_suffix("")), vocab_size=args.vocab,
        model_type="unigram", byte_fallback=True, character_coverage=0.9995,
        normalization_rule_name="identity", split_digits=True, max_sentence_length=4096,
        pad_id=0, unk_id=1, bos_id=2, eos_id=3, num_threads=2, minloglevel=1,
        input_sentence_size=args.sentences + 200_000, shuffle_input_sentence=True)
    Path(tmp.name).unlink()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
