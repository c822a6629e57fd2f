"""The findings the editor shows, kept in step with the text as it is edited.

Findings are grouped by the unit (paragraph) they were checked in, with positions relative to the
group, so an edit costs O(groups after it), not O(findings). An edit drops the findings it touches,
moves the others with the text, and marks the touched groups stale (to be re-checked)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.checking import Finding


@dataclass(eq=False)
class Group:
    start: int                       # Qt positions in the current document
    end: int
    marks: list["Mark"] = field(default_factory=list)
    current: bool = True             # False once its text was edited: awaiting a re-check


@dataclass(eq=False)
class Mark:
    rel_start: int                   # relative to the group's start
    rel_end: int
    finding: Finding
    group: Group

    @property
    def start(self) -> int:
        return self.group.start + self.rel_start

    @property
    def end(self) -> int:
        return self.group.start + self.rel_end

    @property
    def kind(self):
        return self.finding.issue.kind

    @property
    def replacements(self) -> tuple[str, ...]:
        return self.finding.issue.replacements

    @property
    def message(self) -> str:
        return self.finding.issue.message


def _touches(start: int, end: int, a: int, b: int) -> bool:
    """[start, end] meets [a, b], ends included: typing right after a word changes that word."""
    return start <= b and end >= a


class MarkStore:
    def __init__(self):
        self.groups: list[Group] = []   # sorted, non-overlapping

    def clear(self) -> None:
        self.groups = []

    # --- edits ---------------------------------------------------------------------------------
    def edited(self, pos: int, removed: int, added: int) -> tuple[int, int] | None:
        """`removed` characters at `pos` were replaced by `added` ones. Returns the range (current
        positions) whose underlines changed, or None."""
        old_end, delta = pos + removed, added - removed
        i = bisect_left(self.groups, pos, key=lambda g: g.end)
        j = bisect_right(self.groups, old_end, key=lambda g: g.start)
        touched = self.groups[i:j]
        for g in self.groups[j:]:
            g.start += delta
            g.end += delta
        if not touched:
            return None
        start = touched[0].start if touched[0].start < pos else pos
        end = touched[-1].end + delta if touched[-1].end > old_end else pos + added
        merged = Group(start, end, current=False)
        for g in touched:
            for m in g.marks:
                s, e = m.start, m.end
                if _touches(s, e, pos, old_end):
                    continue
                if s > old_end:
                    s, e = s + delta, e + delta
                merged.marks.append(Mark(s - start, e - start, m.finding, merged))
        self.groups[i:j] = [merged]
        return start, end

    # --- results -------------------------------------------------------------------------------
    def replace_unit(self, start: int, end: int, findings: Iterable[Finding], shift: int) -> tuple[int, int]:
        """A unit now at [start, end] was checked; its findings' positions are off by `shift`.
        Replaces every group it overlaps. Returns the range whose underlines changed."""
        i = bisect_left(self.groups, start, key=lambda g: g.end)
        j = bisect_right(self.groups, end, key=lambda g: g.start)
        old = self.groups[i:j]
        group = Group(start, end)
        group.marks = [Mark(f.start + shift - start, f.end + shift - start, f, group) for f in findings]
        self.groups[i:j] = [group]
        return min([start] + [g.start for g in old]), max([end] + [g.end for g in old])

    def remove_where(self, predicate: Callable[[Mark], bool]) -> list[tuple[int, int]]:
        changed = []
        for g in self.groups:
            kept = [m for m in g.marks if not predicate(m)]
            if len(kept) != len(g.marks):
                g.marks = kept
                changed.append((g.start, g.end))
        return changed

    def prune_stale(self) -> list[tuple[int, int]]:
        """Drop groups that are no longer units (their text became blank, code...)."""
        stale = [(g.start, g.end) for g in self.groups if not g.current]
        self.groups = [g for g in self.groups if g.current]
        return stale

    # --- queries -------------------------------------------------------------------------------
    def current_spans(self) -> frozenset[tuple[int, int]]:
        return frozenset((g.start, g.end) for g in self.groups if g.current)

    def in_range(self, a: int, b: int) -> list[Mark]:
        """Marks that meet [a, b] (ends included), in document order."""
        i = bisect_left(self.groups, a, key=lambda g: g.end)
        j = bisect_right(self.groups, b, key=lambda g: g.start)
        return [m for g in self.groups[i:j] for m in g.marks if _touches(m.start, m.end, a, b)]

    def all(self) -> list[Mark]:
        return [m for g in self.groups for m in g.marks]

    def __len__(self) -> int:
        return sum(len(g.marks) for g in self.groups)
