"""Learner-like errors sampled into clean sentences by a noise model (back-translation).

The noise model is the corrector's network trained the other way round (`train --reverse yes`):
clean -> noisy, on the learner pairs (their clean side tagged) and on the rule-based generator's
pairs. Sampled with LEARNER_TAG before a clean sentence, it writes the errors a learner might make
there ("Macau is a city" -> "Macau are a city", "found in" -> "found at"), errors in context that
the generator has no rule for. The pairs it writes are training data for the corrector
(`train --sampled FILE --sampled-share S`).

    python -m edgemodel.train.backtranslate runs/noise/last.pt --data ../shared/data --out sampled.tsv --count 40000
"""
from __future__ import annotations

import argparse
import difflib
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import torch

from edgemodel.checker import CONTENT_ZIPF
from edgemodel.model import Seq2Seq
from edgemodel.spelling import WORD, Lexicon
from edgemodel.tokenizer import Tokenizer
from edgemodel.train.corpus import DEFAULT_DATA, read_pairs
from edgemodel.train.data import LEARNER_TAG, clean_sentences


@dataclass
class SamplingOptions:
    temperature: float = 1.0
    top_p: float = 0.95          # nucleus: sample among the fewest tokens holding this much probability
    # Below this similarity (difflib ratio) to the clean sentence a sample is mostly rewritten: no
    # learner's sentence is that far from its correction, and the rewrite cannot be undone.
    min_similarity: float = 0.75
    # A first noise model dropped commas in 32% of its usable samples (learners' corrections: 18%);
    # keeping a third of the samples that change only punctuation brings the mix near the learners'.
    punctuation_only_keep: float = 0.33


SLIP_SIMILARITY = 0.75   # a misspelled word against the word meant: "homogenous" 0.95, "metalonai" 0.71


def sample(model: Seq2Seq, srcs: list[list[int]], options: SamplingOptions) -> list[list[int] | None]:
    """One sampled output per source (token ids without BOS/EOS); None where it never ended."""
    def nucleus(logits: torch.Tensor) -> torch.Tensor:
        p = torch.softmax(logits / max(options.temperature, 1e-6), -1)
        p, order = p.sort(-1, descending=True)
        keep = (p.cumsum(-1) - p) < options.top_p
        keep[:, 0] = True
        return order.gather(1, torch.multinomial(p * keep, 1))
    longest = max(len(s) for s in srcs)
    outs, finished = model.decode_batch(srcs, nucleus, [longest + 20] * len(srcs))
    return [o if f else None for o, f in zip(outs, finished)]


def usable(noisy: str, clean: str, lexicon: Lexicon, min_similarity: float = SamplingOptions.min_similarity) -> bool:
    """A sample worth training on: changed, still the same sentence, no tag or line breaks left in it;
    every word it brought in a real word ("found at") or a slip of one of the sentence's own words
    ("homogenous"), never an invented one ("participategeneous"); and every word carrying meaning it
    lost still there as a slip: "the clergy" -> "Oxford" cannot be corrected back, and would teach
    the corrector to rewrite what it cannot know."""
    if noisy == clean or "@@" in noisy or any(c in noisy for c in "\t\n"):
        return False
    if difflib.SequenceMatcher(None, noisy, clean, autojunk=False).ratio() < min_similarity:
        return False
    old, new = Counter(WORD.findall(clean)), Counter(WORD.findall(noisy))

    def slip_of(word: str, others) -> bool:
        return any(difflib.SequenceMatcher(None, word.lower(), o.lower()).ratio() >= SLIP_SIMILARITY for o in others)
    added, lost = list(new - old), list(old - new)
    return (all(lexicon.known(w) or slip_of(w, old) for w in added)
            and all(f >= CONTENT_ZIPF or slip_of(w, new) for w, f in zip(lost, lexicon.frequency([w.lower() for w in lost]))))


def punctuation_only(noisy: str, clean: str) -> bool:
    """The sample changed nothing but punctuation and spacing: the same words in the same order."""
    return WORD.findall(noisy) == WORD.findall(clean)


def clean_source(data_dir: Path, seed: int, shard: int, shards: int, done: set[str] = frozenset()) -> Iterator[str]:
    """Training sentences of 5 to 60 words (never the dev sets), a sparse random pick of the stream
    (another seed, another pick), leaving out those already done."""
    rng = random.Random(seed * shards + shard)   # seed 0: the pick of the first runs
    sources = [(data_dir / "clean" / "wiki.train.txt.xz", 0.85), (data_dir / "clean" / "brown.train.txt.xz", 0.15)]
    for s in clean_sentences(sources, shard, shards):
        if rng.random() < 0.3 and 5 <= len(s.split()) <= 60 and s not in done:
            yield s


def main(argv: list[str] | None = None) -> None:
    from edgemodel.train.train import load_model
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint", type=Path, help="the noise model (a run's last.pt or a half checkpoint)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--assets", type=Path, default=Path("assets"), help="the tokenizer and the word list")
    ap.add_argument("--out", type=Path, required=True,
                    help="`noisy \\t clean` lines are appended here; clean sentences already in it are skipped")
    ap.add_argument("--count", type=int, default=10000, help="pairs to write (at least)")
    ap.add_argument("--shard", type=int, default=0, help="with several processes: this one's share of the text")
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0, help="another seed samples other clean sentences")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--temperature", type=float, default=SamplingOptions.temperature)
    ap.add_argument("--top-p", type=float, default=SamplingOptions.top_p)
    ap.add_argument("--punctuation-only-keep", type=float, default=SamplingOptions.punctuation_only_keep)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    process_seed = args.seed * args.shards + args.shard   # as clean_source seeds its pick
    torch.manual_seed(process_seed)
    rng = random.Random(process_seed)
    options = SamplingOptions(args.temperature, args.top_p, punctuation_only_keep=args.punctuation_only_keep)
    model, _ = load_model(args.checkpoint)
    tok, lexicon = Tokenizer(args.assets / "spm.model"), Lexicon(args.assets / "lexicon.npz")
    done = {clean for _, clean in read_pairs(args.out)} if args.out.exists() else set()
    source = clean_source(args.data, args.seed, args.shard, args.shards, done)
    start, seen, written = time.perf_counter(), 0, 0
    with open(args.out, "a", encoding="utf-8") as out:
        while written < args.count:
            pool = sorted((next(source) for _ in range(8 * args.batch)), key=len)   # alike lengths batch well
            for b in range(0, len(pool), args.batch):
                clean = pool[b:b + args.batch]
                for c, ids in zip(clean, sample(model, [tok.encode(LEARNER_TAG + c) for c in clean], options)):
                    seen += 1
                    noisy = tok.decode(ids).strip() if ids is not None else ""
                    if (ids is not None and usable(noisy, c, lexicon, options.min_similarity)
                            and (not punctuation_only(noisy, c) or rng.random() < options.punctuation_only_keep)):
                        out.write(f"{noisy}\t{c}\n")
                        written += 1
            out.flush()
            print(f"{seen} sampled, {written} written, {1000 * (time.perf_counter() - start) / seen:.0f} ms a sentence",
                  flush=True)


if __name__ == "__main__":
    main()
