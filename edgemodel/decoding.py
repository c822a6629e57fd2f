"""Greedy decoding with a KV cache, and input-guided aggressive decoding that returns exactly the
same output in far fewer decoder passes.

Aggressive decoding (Sun et al., 2021) uses the input sentence as the draft of the output: one
decoder pass verifies the whole draft, the longest agreeing prefix is kept, and at the first
disagreement the model's own token is taken. It then decodes token by token until its last 1-3
tokens occur exactly once in the input, jumps the draft to just after that place and verifies again.
Every kept token is the decoder's argmax given exactly the tokens greedy decoding would have fed,
so the result is greedy's. Cached keys/values of rejected draft tokens are cut off each time.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Decoded:
    tokens: list[int]
    logprobs: list[float] = field(default_factory=list)  # of each output token
    passes: int = 0                                       # decoder runs


def max_output_len(src: list[int]) -> int:
    return 2 * len(src) + 10


def greedy(model, src: list[int]) -> Decoded:
    cross = model.encode(src)
    cache = model.empty_cache()
    out = Decoded([])
    token = model.bos_id
    for _ in range(max_output_len(src)):
        nxt, lp, cache = model.decode([token], cache, cross)
        out.passes += 1
        if nxt[0] == model.eos_id:
            break
        out.tokens.append(nxt[0])
        out.logprobs.append(lp[0])
        token = nxt[0]
    return out


def resync(out: list[int], src: list[int]) -> list[int]:
    """The draft after the output re-joins the input: the input after the last n (3, 2, 1) output
    tokens, if that n-gram occurs exactly once in the input; else no draft."""
    for n in (3, 2, 1):
        if len(out) < n:
            continue
        tail = out[-n:]
        hits = [j for j in range(len(src) - n + 1) if src[j:j + n] == tail]
        if len(hits) == 1:
            return src[hits[0] + n:]
    return None


MAX_DRAFT = 32  # draft tokens verified per pass: bounds the [tokens x vocabulary] activations


def aggressive(model, src: list[int]) -> Decoded:
    cross = model.encode(src)
    cache = model.empty_cache()
    limit = max_output_len(src)
    out = Decoded([])
    feed = [model.bos_id]          # verified tokens not yet in the cache
    draft = list(src)              # the input still to be verified (None: no draft, decode one token)
    while len(out.tokens) < limit:
        proposal = [] if draft is None else draft[:MAX_DRAFT] + ([model.eos_id] if len(draft) <= MAX_DRAFT else [])
        nxt, lp, cache = model.decode(feed + proposal, cache, cross)
        out.passes += 1
        base = len(feed) - 1       # position whose prediction is the next output token
        accepted = 0
        while accepted < len(proposal) and nxt[base + accepted] == proposal[accepted]:
            accepted += 1
        if accepted and proposal[accepted - 1] == model.eos_id:  # the model ends where the input ends
            out.tokens += proposal[:accepted - 1]
            out.logprobs += lp[base:base + accepted - 1]
            break
        out.tokens += proposal[:accepted]
        out.logprobs += lp[base:base + accepted]
        # Keep only the keys/values of tokens greedy decoding would have fed.
        kept = cache[0].shape[3] - len(proposal) + accepted
        cache = (np.ascontiguousarray(cache[0][:, :, :, :kept]), np.ascontiguousarray(cache[1][:, :, :, :kept]))
        token = nxt[base + accepted]
        if token == model.eos_id:
            break
        out.tokens.append(token)
        out.logprobs.append(lp[base + accepted])
        feed = [token]
        rest = draft[accepted:] if draft is not None else []
        if accepted == len(proposal) and rest and rest[0] == token:
            draft = rest[1:]       # a long draft verified in slices: carry on with the next slice
        else:
            draft = resync(out.tokens, src)
    del out.tokens[limit:], out.logprobs[limit:]
    return out
