"""One finding of the checker: the single value the app and the CLI both consume."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    SPELLING = "spelling"
    GRAMMAR = "grammar"
    PUNCTUATION = "punctuation"
    CAPITALIZATION = "capitalization"
    WORD_CHOICE = "word choice"
    STYLE = "style"


@dataclass(frozen=True)
class Issue:
    """`text[start:end]` (Python string indices into the checked text) should become one of
    `replacements` (best first; "" deletes, and an empty span inserts)."""
    start: int
    end: int
    kind: Kind
    replacements: tuple[str, ...]
    message: str
    confidence: float

    def apply(self, text: str, choice: int = 0) -> str:
        return text[:self.start] + self.replacements[choice] + text[self.end:]

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "kind": self.kind.value,
                "replacements": list(self.replacements), "message": self.message,
                "confidence": round(self.confidence, 4)}


def apply_all(text: str, issues: list[Issue]) -> str:
    """Apply the first replacement of every (non-overlapping) issue."""
    out, pos = [], 0
    for issue in sorted(issues, key=lambda i: (i.start, i.end)):
        if issue.start < pos:
            continue
        out += [text[pos:issue.start], issue.replacements[0]]
        pos = issue.end
    return "".join(out + [text[pos:]])
