"""How each kind of issue looks. Colour is never the only cue: each group also has its own line
style (wavy / dashed / dotted), so the underlines stay distinguishable for colour-blind users."""
from __future__ import annotations

from dataclasses import dataclass

from edgemodel import Kind


@dataclass(frozen=True)
class Look:
    color: str   # "#rrggbb"
    line: str    # "wave", "dash" or "dot"


SPELLING = Look("#d62d20", "wave")   # red
GRAMMAR = Look("#1f5fd6", "dash")    # blue
OTHER = Look("#d48a00", "dot")       # amber: punctuation, capitalization, style

LOOKS = {Kind.SPELLING: SPELLING, Kind.GRAMMAR: GRAMMAR, Kind.WORD_CHOICE: GRAMMAR,
         Kind.PUNCTUATION: OTHER, Kind.CAPITALIZATION: OTHER, Kind.STYLE: OTHER}


def label(kind: Kind) -> str:
    return kind.value.capitalize()


def summary(counts: dict[Kind, int]) -> str:
    """ "3 issues (2 spelling, 1 grammar)" """
    total = sum(counts.values())
    if not total:
        return "No issues"
    parts = ", ".join(f"{counts[k]} {k.value}" for k in Kind if counts.get(k))
    return f"{total} issue{'s' if total != 1 else ''} ({parts})"
