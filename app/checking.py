"""What a check job is and how the checking process runs it (no Qt here: see app/scheduler.py).

The document is cut into units (paragraphs) that the checker treats independently, so a unit can
be checked on its own and give exactly the issues a whole-document check gives there. Each job
carries a snapshot of the text, the document revision it belongs to and the units the editor
already has results for; `serve` (the checking process) checks only the other units, visible ones
first, and sends results back in batches. The editor verifies every result against its current
text before showing it (Editor.apply_results), so a result for text that changed meanwhile is
dropped, never misplaced.

Positions sent to the editor are Qt positions (UTF-16 code units), not Python string indices.
"""
from __future__ import annotations

import multiprocessing
import queue
import re
import time
import traceback
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from typing import TYPE_CHECKING

from edgemodel import CheckOptions, Issue, split_sentences

if TYPE_CHECKING:  # the model's libraries load only in the checking process (serve)
    from edgemodel import Checker

# Same fence rule as the checker's sentence splitter: a fenced block is one unit even across blank lines.
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
BATCH_SECONDS = 0.03     # send results at least this often while a job runs...
BATCH_UNITS = 100        # ...and in batches small enough for the editor to apply at once


def split_units(text: str) -> list[tuple[int, int]]:
    """(start, end) string indices of the independently checkable pieces of `text`: runs of
    non-blank lines, and fenced code blocks (markers included). The checker never joins text
    across a blank line outside a fence, nor across a fence line, so checking a unit alone gives
    the issues a check of the whole text gives there."""
    units: list[tuple[int, int]] = []
    pos, start, last_end, in_fence = 0, None, 0, False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        line_start, pos = pos, pos + len(line)
        line_end = line_start + len(body)
        if _FENCE.match(body):
            if in_fence:                   # closing marker ends the fenced unit
                units.append((start, line_end))
                start = None
            else:
                if start is not None:
                    units.append((start, last_end))
                start = line_start
            in_fence = not in_fence
        elif in_fence:
            pass
        elif not body.strip():
            if start is not None:
                units.append((start, last_end))
                start = None
        elif start is None:
            start = line_start
        last_end = line_end
    if start is not None:
        units.append((start, last_end))
    return units


class Utf16:
    """Python string index <-> Qt position (UTF-16 code unit) in one text."""

    def __init__(self, text: str):
        wide = len(text.encode("utf-16-le")) != 2 * len(text)
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if wide else []
        self._astral_qt = [a + k for k, a in enumerate(self._astral)]

    def to_qt(self, i: int) -> int:
        return i + bisect_left(self._astral, i)

    def to_py(self, q: int) -> int:
        return q - bisect_left(self._astral_qt, q)


@dataclass(frozen=True)
class Finding:
    """One issue as the editor shows it."""
    start: int          # Qt positions in the document the job was made from
    end: int
    issue: Issue        # the checker's issue (its offsets are relative to the unit text)
    original: str       # the flagged text
    sentence: str       # the sentence it is in, for the issues panel
    key: str            # identifies this finding in this sentence, for "Ignore"

    @property
    def kind(self):
        return self.issue.kind


@dataclass(frozen=True)
class UnitResult:
    start: int          # Qt positions of the unit in the job's text
    end: int
    text: str           # the unit's text, to verify against the editor's text before showing
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Job:
    client: int                           # which editor asked (one checking process serves them all)
    id: int
    generation: int                       # bumped when options change; older results are dropped
    revision: int                         # the editor's document revision `text` belongs to
    text: str
    known: frozenset[tuple[int, int]]     # Qt spans of units the editor has current results for
    focus: tuple[int, int]                # Qt range to check first (the visible part)
    options: CheckOptions
    ignored_keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Batch:
    client: int
    job: int
    generation: int
    revision: int
    results: tuple[UnitResult, ...]
    done: int           # units checked so far in this job
    total: int          # units this job has to check
    final: bool         # the job is complete (sent last)


@dataclass(frozen=True)
class ModelState:
    available: bool
    detail: str         # the model's description, or why checking is unavailable


def ignore_key(sentence: str, offset: int, original: str, replacement: str) -> str:
    return "\u241f".join((sentence, str(offset), original, replacement))


def check_unit(checker: Checker, text: str, span: tuple[int, int], u16: Utf16, options: CheckOptions,
               ignored_keys: frozenset[str]) -> UnitResult:
    start, end = span
    piece = text[start:end]
    sentences = split_sentences(piece)
    starts = [s.start for s in sentences]
    findings = []
    for issue in checker.check(piece, options):
        original = piece[issue.start:issue.end]
        k = bisect_right(starts, issue.start) - 1
        sentence = sentences[k] if k >= 0 else None
        key = ignore_key(sentence.text if sentence else "", issue.start - (sentence.start if sentence else 0),
                         original, issue.replacements[0])
        if key in ignored_keys:
            continue
        findings.append(Finding(u16.to_qt(start + issue.start), u16.to_qt(start + issue.end), issue, original,
                                sentence.text if sentence else piece, key))
    return UnitResult(u16.to_qt(start), u16.to_qt(end), piece, tuple(findings))


def describe(checker: Checker) -> str:
    steps = checker.model.card.get("training", {}).get("step")
    return f"model in {checker.model.dir}" + (f" (trained {steps} steps)" if steps else "")


def plan(job: Job) -> tuple[Utf16, list[tuple[int, int]]]:
    """The units of the job's text still to check, visible ones first, then the rest of the
    document from the visible part down, then above it."""
    u16 = Utf16(job.text)
    todo = [s for s in split_units(job.text) if (u16.to_qt(s[0]), u16.to_qt(s[1])) not in job.known]
    a, b = u16.to_py(job.focus[0]), u16.to_py(job.focus[1])
    todo.sort(key=lambda s: (0 if s[1] >= a and s[0] <= b else 1 if s[0] > b else 2, s[0]))
    return u16, todo


class _Inbox:
    """Jobs waiting in the checking process: only each client's newest one counts."""

    def __init__(self, jobs):
        self.jobs = jobs              # multiprocessing queue: Job, or None to stop
        self.pending: dict[int, Job] = {}
        self.stopped = False
        self.parent = multiprocessing.parent_process()

    def _take(self, item) -> None:
        if item is None:
            self.stopped = True
        else:
            self.pending.pop(item.client, None)
            self.pending[item.client] = item   # to the back of the line

    def drain(self) -> None:
        while not self.stopped:
            try:
                self._take(self.jobs.get_nowait())
            except queue.Empty:
                return

    def next(self) -> Job | None:
        while not self.pending and not self.stopped:
            try:
                self._take(self.jobs.get(timeout=1.0))
            except queue.Empty:   # the editor died (crashed)? then do not linger
                self.stopped = self.parent is not None and not self.parent.is_alive()
        self.drain()
        if self.stopped:
            return None
        client = next(iter(self.pending))
        return self.pending.pop(client)


def serve(jobs, results, model_dir: str | None) -> None:
    """The checking process: load the model, then run jobs until told to stop. Runs in its own
    process so the model's Python code never competes with the editor for the GIL.
    `jobs`: a multiprocessing queue of Job (None: stop); `results`: the sending end of a pipe that
    gets ModelState, then Batch messages. The process ends if the editor's process goes away."""
    try:
        try:
            from edgemodel import Checker, ModelError
            checker = Checker(model_dir)
        except ModelError as e:
            results.send(ModelState(False, str(e)))
            return
        except Exception as e:   # e.g. a broken onnxruntime install: report it, do not crash the editor
            results.send(ModelState(False, f"{type(e).__name__}: {e}"))
            return
        results.send(ModelState(True, describe(checker)))
        inbox = _Inbox(jobs)
        while (job := inbox.next()) is not None:
            run_job(checker, job, inbox, results.send)
    except (BrokenPipeError, EOFError, OSError):
        pass   # the editor is gone
    finally:
        results.close()   # the editor's reader sees end-of-file: this process is done


def run_job(checker: Checker, job: Job, inbox: _Inbox, send) -> None:
    u16, todo = plan(job)

    def batch(found, done, final):
        send(Batch(job.client, job.id, job.generation, job.revision, tuple(found), done, len(todo), final))

    found: list[UnitResult] = []
    last = time.monotonic()
    for n, span in enumerate(todo):
        inbox.drain()
        if inbox.stopped or job.client in inbox.pending:   # superseded: hand over what is done
            batch(found, n, False)
            return
        try:
            found.append(check_unit(checker, job.text, span, u16, job.options, job.ignored_keys))
        except Exception:   # one odd paragraph must not stop checking the rest
            traceback.print_exc()
        if time.monotonic() - last >= BATCH_SECONDS or len(found) >= BATCH_UNITS:
            batch(found, n + 1, False)
            found, last = [], time.monotonic()
    batch(found, len(todo), True)
