"""Training pairs (noisy -> clean) as length-bucketed token batches, resumable exactly.

Synthetic pairs come from clean text and the error generator; real learner pairs (W&I+LOCNESS,
FCE) are mixed in at `real_share`, and pairs sampled from the noise model (`backtranslate`) at
`sampled_share`. With `reverse`, the batcher feeds the noise model itself: every pair turned round
(clean -> noisy), the learner pairs' clean side marked with LEARNER_TAG. The batcher's whole state
(stream position, RNG, batches built but not yet used) goes into the checkpoint, so a resumed run
sees exactly the batches an uninterrupted run would have.
"""
from __future__ import annotations

import difflib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import torch

from edgemodel.train.corpus import lines

# Put before a clean sentence, asks the noise model for a learner's errors rather than the rule-based
# generator's (it learns both; untagged, it mostly copies). Never seen in text: "@@" is not a word.
LEARNER_TAG = "@@ "


def edit_weights(src: torch.Tensor, tgt_out: torch.Tensor, weight: float, pad: int) -> torch.Tensor:
    """Per-token loss weights [B, T] for `tgt_out`: `weight` on target tokens that are not copied
    from the source (where a deletion happened, on the token after it), 1 elsewhere.

    Copying is learned long before correcting, and only ~5% of target tokens are edits: weighting
    them up (edit-weighted MLE, Junczys-Dowmunt et al. 2018) puts the gradient where the model is
    still wrong."""
    w = torch.ones(tgt_out.shape)
    if weight == 1.0:
        return w
    for b in range(len(src)):
        s = [t for t in src[b].tolist() if t != pad]
        t = [x for x in tgt_out[b].tolist() if x != pad][:-1]  # without EOS
        for op, _, _, j1, j2 in difflib.SequenceMatcher(a=s, b=t, autojunk=False).get_opcodes():
            if op != "equal":
                w[b, j1:max(j2, j1 + 1)] = weight
    return w


def _cycle(path: Path) -> Iterator[str]:
    while True:
        yield from lines(path)


def clean_sentences(sources: list[tuple[Path, float]], start: int, step: int = 1) -> Iterator[str]:
    """Endless mix of the clean files in the given shares, deterministic: the sentences at positions
    start, start + step, start + 2 * step, ... of the one stream (a process of `step` takes its share)."""
    rng = random.Random(1234)
    iters = [_cycle(p) for p, _ in sources]
    weights = [w for _, w in sources]
    n = 0
    while True:
        s = next(iters[rng.choices(range(len(iters)), weights)[0]])
        if n >= start and (n - start) % step == 0:
            yield s
        n += 1


@dataclass
class DataConfig:
    clean: list[tuple[Path, float]]  # clean text files and their shares
    real: list[tuple[str, str]]
    real_share: float = 0.0
    real_noise: float = 0.0     # share of real pairs whose source also gets the generator's errors
    sampled: list[tuple[str, str]] = field(default_factory=list)   # (noisy, clean) from the noise model
    sampled_share: float = 0.0  # share of the pairs that are not learner pairs taken from `sampled`
    reverse: bool = False       # pairs for the noise model: clean -> noisy
    max_tokens: int = 4000      # src + tgt tokens per batch
    max_len: int = 96           # longer sentences are dropped from training
    pool: int = 1500            # pairs sorted together into length buckets
    seed: int = 0
    shard: int = 0              # with several processes (DDP), each reads every `shards`-th clean
    shards: int = 1             # sentence, from its own `shard` on


class Batcher:
    def __init__(self, cfg: DataConfig, encode: Callable[[str], list[int]], corrupt, bos: int, eos: int, pad: int):
        self.cfg, self.encode, self.corrupt = cfg, encode, corrupt
        self.bos, self.eos, self.pad = bos, eos, pad
        self.rng = random.Random(cfg.seed)
        self.consumed = cfg.shard   # position in the clean stream of the next sentence to read
        self.pending: list[tuple[torch.Tensor, torch.Tensor]] = []
        self._stream = None

    def state(self) -> dict:
        return {"rng": self.rng.getstate(), "consumed": self.consumed, "pending": self.pending}

    def load_state(self, state: dict) -> None:
        self.rng.setstate(state["rng"])
        self.consumed, self.pending, self._stream = state["consumed"], state["pending"], None

    def resume_at(self, position: int) -> None:
        """Go on from another process layout's stream `position` (a run resumed on more or fewer
        processes): this shard's next sentence there, with its own RNG and no batches carried over."""
        self.consumed, self.pending, self._stream = position + self.cfg.shard, [], None

    def _pair(self) -> tuple[str, str]:
        if self.cfg.real and self.rng.random() < self.cfg.real_share:
            src, tgt = self.cfg.real[self.rng.randrange(len(self.cfg.real))]
            if self.cfg.reverse:
                return LEARNER_TAG + tgt, src
            # Seen dozens of times, a learner's sentence is learned by heart (loss 0.21 against 0.83 on BEA dev):
            # errors added on top make it new, and its correction stands whatever was added.
            if self.rng.random() < self.cfg.real_noise:
                src = self.corrupt(src, self.rng)[0]
            return src, tgt
        if self.cfg.sampled and self.rng.random() < self.cfg.sampled_share:
            return self.cfg.sampled[self.rng.randrange(len(self.cfg.sampled))]
        if self._stream is None:
            self._stream = clean_sentences(self.cfg.clean, self.consumed, self.cfg.shards)
        clean = next(self._stream)
        self.consumed += self.cfg.shards
        noisy = self.corrupt(clean, self.rng)[0]
        return (clean, noisy) if self.cfg.reverse else (noisy, clean)

    def _refill(self) -> None:
        items = []
        while len(items) < self.cfg.pool:
            noisy, clean = self._pair()
            src, tgt = self.encode(noisy), self.encode(clean)
            if 0 < len(src) <= self.cfg.max_len and 0 < len(tgt) <= self.cfg.max_len:
                items.append((src, tgt))
        items.sort(key=lambda p: (len(p[0]) + len(p[1]), self.rng.random()))
        batches, cur, longest = [], [], 0
        for src, tgt in items:
            longest = max(longest, len(src) + len(tgt) + 2)
            if cur and longest * (len(cur) + 1) > self.cfg.max_tokens:
                batches.append(self._collate(cur))
                cur, longest = [], len(src) + len(tgt) + 2
            cur.append((src, tgt))
        if cur:
            batches.append(self._collate(cur))
        self.rng.shuffle(batches)
        self.pending = batches

    def _collate(self, pairs):
        S = max(len(s) for s, _ in pairs)
        T = max(len(t) for _, t in pairs) + 1
        src = torch.full((len(pairs), S), self.pad, dtype=torch.long)
        tgt = torch.full((len(pairs), T + 1), self.pad, dtype=torch.long)
        for i, (s, t) in enumerate(pairs):
            src[i, :len(s)] = torch.tensor(s)
            tgt[i, :len(t) + 2] = torch.tensor([self.bos] + t + [self.eos])
        return src, tgt

    def next(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(src [B, S], tgt [B, T+1] = BOS ... EOS, padded)."""
        if not self.pending:
            self._refill()
        return self.pending.pop()
