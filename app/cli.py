"""`proofline check`: the command-line checker. Checks files and folders like a linter.

    proofline check notes.md docs/ [--format text|json|sarif] [--fix [--no-backup] | --diff]
    proofline check --stdin [--fix | --diff] < draft.txt
    python -m app.cli check ...

Output (stdout):
  text   one line per issue: `path:line:col: kind: message (suggestion: "...")`; line and column
         are 1-based, the column counts characters (a tab or an accented letter is one column).
  json   JSON Lines: one JSON object per issue per line (streams, greps and parses line by line)
         with path, line, col, end_line, end_col (exclusive), start/end (character offsets into
         the decoded text; a UTF-8 BOM is not counted), byte_start/byte_end (byte offsets into
         the file), text (the flagged text), kind, message, replacements and confidence.
  sarif  one SARIF 2.1.0 log for the whole run (columnKind unicodeCodePoints), with a fix per result.
Problems with a file (unreadable, binary, not UTF-8, too large, vanished) go to stderr, one line
each, and the other files are still checked. A progress line is drawn on stderr only when it is
a terminal.

Exit status: 0 no issues; 1 issues found; 2 usage error, model error or any file that could not
be checked (even if others had issues); 130 interrupted. With --fix every issue found is fixed,
so the status is 0 unless a file failed; with --diff it is 1 when the diff is not empty.

Settings, the personal dictionary and the ignore list are the app's (edgemodel.userdata);
--threshold, --dialect, --disable and --enable override the settings for one run, --isolated
ignores all three. Never touches the network; writes nothing unless --fix is given.

Parallelism: files are cut into chunks at line boundaries where the sentence splitter restarts
cleanly (verified: the chunk's sentences must equal the whole text's sentences there, otherwise
the file is one chunk), and the chunks are checked by --jobs threads sharing one Checker: ONNX
Runtime releases the GIL while it runs, which is ~90% of the time. `--parallel processes` uses a
process pool with one Checker per process instead (see benchmarks/bench_cli.py).

This module must not import Qt (directly or through app.*): it runs without a display.
"""
from __future__ import annotations

import argparse
import contextlib
import difflib
import fnmatch
import json
import os
import re
import stat
import sys
import threading
import time
from bisect import bisect_right
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from edgemodel import Checker, CheckOptions, Issue, Kind, ModelError, apply_all, split_sentences
from edgemodel.runtime import RuntimeOptions

PROG = "proofline check"
VERSION = "0.1.0"
DEFAULT_INCLUDE = ("*.txt", "*.md")
DEFAULT_MAX_MB = 20.0
CHUNK_SENTENCES = 12        # sentences per unit of work: small enough to balance two workers
MAX_PENDING_CHUNKS = 256    # files are read ahead until this many chunks are queued
STDIN_NAME = "<stdin>"
BOM = b"\xef\xbb\xbf"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
EXIT_CLEAN, EXIT_ISSUES, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class FileProblem(Exception):
    """A file that cannot be checked; the message says why and the run goes on."""


class UsageError(Exception):
    pass


# --- arguments -----------------------------------------------------------------------------------
def _kind(value: str) -> Kind:
    norm = value.strip().lower().replace("-", " ").replace("_", " ")
    for kind in Kind:
        if kind.value == norm or kind.name.lower().replace("_", " ") == norm:
            return kind
    raise argparse.ArgumentTypeError(f"unknown kind {value!r} (choose from {', '.join(k.value.replace(' ', '-') for k in Kind)})")


def _kinds(value: str) -> list[Kind]:
    return [_kind(v) for v in value.split(",") if v.strip()]


def _threshold(value: str) -> float:
    try:
        t = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= t <= 1.0:
        raise argparse.ArgumentTypeError("the threshold is a confidence between 0 and 1")
    return t


def _positive(value: str) -> float:
    try:
        v = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return v


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors return 2 from main() instead of exiting the process
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Check text and Markdown files for spelling and grammar issues, offline.",
                epilog="Exit status: 0 clean, 1 issues found, 2 usage or file errors.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files and folders (folders are searched for --include files)")
    p.add_argument("--stdin", action="store_true", help="check standard input (with --fix: write the corrected text to stdout)")
    p.add_argument("--stdin-filename", default=STDIN_NAME, metavar="NAME", help="the path reported for standard input")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                   help="text: path:line:col: kind: message; json: one object per issue per line (JSON Lines); sarif: SARIF 2.1.0")
    fix = p.add_argument_group("fixing")
    fix.add_argument("--fix", action="store_true", help="apply every suggestion and write the files (atomically)")
    fix.add_argument("--no-backup", action="store_true", help="with --fix: do not keep the original as FILE.bak")
    fix.add_argument("--diff", action="store_true", help="print a unified diff of the fixes instead of writing anything")
    sel = p.add_argument_group("file selection")
    sel.add_argument("--include", action="append", metavar="GLOB",
                     help=f"in folders, check files matching GLOB (repeatable; default {' '.join(DEFAULT_INCLUDE)})")
    sel.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                     help="skip files and folders whose name or relative path matches GLOB (repeatable)")
    sel.add_argument("--max-size", type=_positive, default=DEFAULT_MAX_MB, metavar="MB",
                     help=f"skip files larger than this (default {DEFAULT_MAX_MB:g} MB)")
    opt = p.add_argument_group("checking (default: the app's settings)")
    opt.add_argument("--threshold", type=_threshold, metavar="P", help="report issues with confidence >= P (0-1)")
    opt.add_argument("--dialect", choices=("en-US", "en-GB"), help="spelling variants to suggest")
    opt.add_argument("--disable", type=_kinds, action="append", default=[], metavar="KIND",
                     help="do not report this kind (repeatable or comma-separated): " + ", ".join(k.value.replace(" ", "-") for k in Kind))
    opt.add_argument("--enable", type=_kinds, action="append", default=[], metavar="KIND",
                     help="report this kind even if the settings disable it")
    opt.add_argument("--isolated", action="store_true", help="ignore the settings, personal dictionary and ignore list")
    opt.add_argument("--model-dir", metavar="DIR", help="use the model in DIR instead of the bundled one")
    run = p.add_argument_group("running")
    run.add_argument("-j", "--jobs", type=int, default=min(os.cpu_count() or 1, 8), metavar="N",
                     help="check with N workers (default: the number of CPUs)")
    run.add_argument("--parallel", choices=("threads", "processes"), default="threads",
                     help="workers are threads sharing one model (default) or processes with one model each")
    run.add_argument("--no-progress", action="store_true", help="never draw the progress line")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress line and no summary on stderr")
    p.add_argument("--version", action="version", version=f"proofline {VERSION}")
    return p


# --- finding files -------------------------------------------------------------------------------
@dataclass
class Target:
    display: str          # the path as reported
    path: Path | None     # None for stdin


def _matches(patterns, rel: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def discover(paths: list[str], include: list[str], exclude: list[str], report) -> list[Target]:
    """Files named on the command line are always checked (even without a .txt/.md name); folders
    are walked in sorted order, skipping hidden entries and anything --exclude matches."""
    out, seen = [], set()

    def add(display: str, path: Path):
        try:
            key = os.path.realpath(path)
        except OSError:
            key = str(path)
        if key not in seen:
            seen.add(key)
            out.append(Target(display, path))

    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                rel_root = Path(root).relative_to(path)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and not _matches(exclude, (rel_root / d).as_posix(), d))
                for name in sorted(files):
                    rel = (rel_root / name).as_posix()
                    if name.startswith(".") or not _matches(include, rel, name) or _matches(exclude, rel, name):
                        continue
                    add(os.path.join(root, name), Path(root) / name)
        elif path.exists() or path.is_symlink():
            if not _matches(exclude, path.as_posix(), path.name):
                add(arg, path)
        else:
            report(arg, "no such file or folder")
    return out


# --- reading -------------------------------------------------------------------------------------
@dataclass
class Document:
    target: Target
    raw: bytes
    text: str
    bom: bool
    stat: os.stat_result | None = None


def decode(raw: bytes, where: str = "") -> tuple[str, bool]:
    if b"\x00" in raw:
        raise FileProblem("binary file (contains NUL bytes), skipped")
    bom = raw.startswith(BOM)
    try:
        return raw[len(BOM):].decode("utf-8") if bom else raw.decode("utf-8"), bom
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise FileProblem(f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start}, line {line}), skipped") from None


def read_document(target: Target, max_bytes: int) -> Document:
    path = target.path
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise FileProblem("is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise FileProblem("not a regular file, skipped")
        if st.st_size > max_bytes:
            raise FileProblem(f"too large ({st.st_size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:g} MB, see --max-size), skipped")
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise FileProblem(f"too large (grew past {max_bytes / 1e6:g} MB while being read), skipped")
    except FileNotFoundError:
        raise FileProblem("no such file (it vanished or is a broken link)") from None
    except PermissionError:
        raise FileProblem("permission denied") from None
    except IsADirectoryError:
        raise FileProblem("is a folder") from None
    except OSError as e:
        raise FileProblem(f"cannot read: {e.strerror or e}") from None
    text, bom = decode(raw)
    return Document(target, raw, text, bom, st)


# --- splitting work ------------------------------------------------------------------------------
def _safe_line_starts(text: str):
    """Offsets of line starts where the sentence splitter starts a new block whatever came before:
    after a blank line, or at an unindented line that cannot continue a paragraph; never inside a
    code fence. (A candidate only: chunks are verified against the whole text's sentences.)"""
    pos, in_fence, prev_blank = 0, False, True
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start, pos = pos, pos + len(line)
        stripped = body.lstrip(" \t")
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            prev_blank = False
            continue
        if in_fence:
            continue
        blank = not stripped
        if start and not blank and body[0] not in " \t" and (prev_blank or not (stripped[0].islower() or stripped[0] in ",;:)")):
            yield start
        prev_blank = blank


def chunk(text: str, target: int | None = None) -> list[tuple[int, str, int]]:
    """(offset, chunk text, sentence count): pieces whose checks, shifted by offset, are exactly the
    check of the whole text. Falls back to one piece when a cut does not reproduce the sentences."""
    target = target or CHUNK_SENTENCES
    sentences = split_sentences(text)
    if len(sentences) <= target:
        return [(0, text, len(sentences))]
    starts = [s.start for s in sentences]
    cuts, last_count = [0], 0
    for p in _safe_line_starts(text):
        count = bisect_right(starts, p - 1)   # sentences starting before p
        if count - last_count >= target:
            cuts.append(p)
            last_count = count
    cuts.append(len(text))
    pieces, i = [], 0
    for a, b in zip(cuts, cuts[1:]):
        expected = []
        while i < len(sentences) and sentences[i].start < b:
            expected.append(sentences[i])
            i += 1
        got = [(s.start + a, s.end + a, s.text) for s in split_sentences(text[a:b])]
        if got != [(s.start, s.end, s.text) for s in expected] or (expected and expected[-1].end > b):
            return [(0, text, len(sentences))]
        pieces.append((a, text[a:b], len(expected)))
    return pieces


# --- checking ------------------------------------------------------------------------------------
_CHECKERS: dict[str, Checker] = {}
_CHECKERS_LOCK = threading.Lock()


def base_checker(model_dir: str | None) -> Checker:
    """One loaded model per model directory per process (repeated main() calls reuse it)."""
    key = str(Path(model_dir).resolve()) if model_dir else ""
    with _CHECKERS_LOCK:
        if key not in _CHECKERS:
            _CHECKERS[key] = Checker(model_dir, runtime=RuntimeOptions(threads=1))
        return _CHECKERS[key]


def _shift(issues: list[Issue], offset: int) -> list[Issue]:
    return [replace(i, start=i.start + offset, end=i.end + offset) for i in issues] if offset else issues


_proc_checker: Checker | None = None


def _proc_init(model_dir, options):
    global _proc_checker
    _proc_checker = Checker(model_dir, options, runtime=RuntimeOptions(threads=1))


def _proc_check(text: str) -> list[Issue]:
    return _proc_checker.check(text)


def build_options(args) -> CheckOptions:
    if args.isolated:
        threshold, dialect, disabled, dictionary, ignored = CheckOptions.threshold, "en-US", set(), frozenset(), frozenset()
    else:
        from edgemodel import userdata
        settings = userdata.Settings.load()
        threshold, dialect = settings.threshold, settings.dialect
        disabled = set()
        for name in settings.disabled_kinds or []:
            try:
                disabled.add(_kind(str(name)))
            except argparse.ArgumentTypeError:
                pass  # a kind this version does not know: nothing to disable
        dictionary = frozenset(userdata.personal_dictionary().words)
        ignored = frozenset(userdata.ignore_list().words)
    if args.threshold is not None:
        threshold = args.threshold
    if args.dialect:
        dialect = args.dialect
    disabled |= {k for group in args.disable for k in group}
    disabled -= {k for group in args.enable for k in group}
    if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        threshold = CheckOptions.threshold
    if dialect not in ("en-US", "en-GB"):
        dialect = "en-US"
    return CheckOptions(threshold=float(threshold), dialect=dialect, disabled_kinds=frozenset(disabled),
                        dictionary=dictionary, ignored=ignored)


# --- positions -----------------------------------------------------------------------------------
class Locator:
    """Character offset -> (1-based line, 1-based column in characters, byte offset in the file)."""

    def __init__(self, text: str, byte_base: int = 0):
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.byte_base = byte_base
        self._char, self._byte = 0, 0

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.newlines, offset - 1)       # newlines before offset
        line_start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, offset - line_start + 1

    def byte(self, offset: int) -> int:
        if offset < self._char:
            self._char, self._byte = 0, 0
        self._byte += len(self.text[self._char:offset].encode("utf-8", "surrogatepass"))
        self._char = offset
        return self.byte_base + self._byte


@dataclass
class Located:
    issue: Issue
    line: int
    col: int
    end_line: int
    end_col: int
    byte_start: int
    byte_end: int
    text: str


def locate(doc_text: str, issues: list[Issue], bom: bool) -> list[Located]:
    loc = Locator(doc_text, len(BOM) if bom else 0)
    out = []
    for i in issues:
        line, col = loc.line_col(i.start)
        end_line, end_col = loc.line_col(i.end)
        b0 = loc.byte(i.start)
        b1 = loc.byte(i.end)
        out.append(Located(i, line, col, end_line, end_col, b0, b1, doc_text[i.start:i.end]))
    return out


# --- output --------------------------------------------------------------------------------------
def suggestion(located: Located) -> str:
    reps = located.issue.replacements
    if not reps:
        return ""
    if len(reps) == 1:
        r = reps[0]
        if r == "":
            return f"(suggestion: delete {json.dumps(located.text, ensure_ascii=False)})"
        if located.issue.start == located.issue.end:
            return f"(suggestion: insert {json.dumps(r, ensure_ascii=False)})"
        return f"(suggestion: {json.dumps(r, ensure_ascii=False)})"
    return "(suggestions: " + ", ".join(json.dumps(r, ensure_ascii=False) for r in reps) + ")"


def text_line(path: str, loc: Located) -> str:
    i = loc.issue
    return f"{path}:{loc.line}:{loc.col}: {i.kind.value}: {i.message} {suggestion(loc)}".rstrip()


def json_record(path: str, loc: Located) -> dict:
    i = loc.issue
    return {"path": path, "line": loc.line, "col": loc.col, "end_line": loc.end_line, "end_col": loc.end_col,
            "start": i.start, "end": i.end, "byte_start": loc.byte_start, "byte_end": loc.byte_end,
            "text": loc.text, "kind": i.kind.value, "message": i.message, "replacements": list(i.replacements),
            "confidence": round(i.confidence, 4)}


def rule_id(kind: Kind) -> str:
    return kind.value.replace(" ", "-")


class Sarif:
    """Collects results and prints one SARIF 2.1.0 log at the end."""

    def __init__(self):
        self.results: list[dict] = []
        self.notifications: list[dict] = []
        self.rules = [{"id": rule_id(k), "name": k.name.title().replace("_", ""),
                       "shortDescription": {"text": f"{k.value.capitalize()} issue"},
                       "defaultConfiguration": {"level": "note" if k is Kind.STYLE else "warning"}} for k in Kind]
        self.rule_index = {k: n for n, k in enumerate(Kind)}

    @staticmethod
    def artifact(path: str) -> dict:
        p = Path(path)
        if path == STDIN_NAME:
            return {"uri": "stdin"}
        if p.is_absolute():
            return {"uri": p.as_uri()}
        return {"uri": quote(p.as_posix()), "uriBaseId": "%SRCROOT%"}

    def add(self, path: str, loc: Located):
        i = loc.issue
        region = {"startLine": loc.line, "startColumn": loc.col, "endLine": loc.end_line, "endColumn": loc.end_col,
                  "charOffset": i.start, "charLength": i.end - i.start,
                  "byteOffset": loc.byte_start, "byteLength": loc.byte_end - loc.byte_start,
                  "snippet": {"text": loc.text}}
        artifact = self.artifact(path)
        result = {"ruleId": rule_id(i.kind), "ruleIndex": self.rule_index[i.kind],
                  "level": "note" if i.kind is Kind.STYLE else "warning",
                  "message": {"text": f"{i.message} {suggestion(loc)}".rstrip()},
                  "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
                  "rank": round(100 * i.confidence, 1),
                  "properties": {"confidence": round(i.confidence, 4), "replacements": list(i.replacements)}}
        if i.replacements:
            deleted = {"charOffset": i.start, "charLength": i.end - i.start,
                       "startLine": loc.line, "startColumn": loc.col, "endLine": loc.end_line, "endColumn": loc.end_col}
            result["fixes"] = [{"description": {"text": f"Replace with {json.dumps(i.replacements[0], ensure_ascii=False)}"},
                                "artifactChanges": [{"artifactLocation": artifact, "replacements": [
                                    {"deletedRegion": deleted, "insertedContent": {"text": i.replacements[0]}}]}]}]
        self.results.append(result)

    def error(self, path: str, message: str):
        self.notifications.append({"level": "error", "message": {"text": f"{path}: {message}"},
                                   "locations": [{"physicalLocation": {"artifactLocation": self.artifact(path)}}]})

    def document(self) -> dict:
        return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
            "tool": {"driver": {"name": "Proofline", "version": VERSION, "semanticVersion": VERSION,
                                "informationUri": "https://example.invalid/proofline",
                                "rules": self.rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": not self.notifications,
                             "toolExecutionNotifications": self.notifications}],
            "results": self.results}]}


def unified_diff(path: str, old: str, new: str) -> str:
    """A diff `patch -p1` and `git apply` accept for relative paths (a/ and b/ prefixes), `patch -p0`
    for absolute ones; with the no-newline-at-end marker."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    posix = path.replace(os.sep, "/")
    before, after = (posix, posix) if os.path.isabs(path) else (f"a/{posix}", f"b/{posix}")
    out = []
    for line in difflib.unified_diff(a, b, fromfile=before, tofile=after):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


class Progress:
    """`[3/12 files] 420/1,900 sentences  38.2 sentences/s  ETA 0:39` on a terminal's stderr, redrawn
    at most 10 times a second; does nothing when stderr is not a terminal."""

    def __init__(self, enabled: bool, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.files_total = self.files_done = 0
        self.sent_total = self.sent_done = 0
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False
        self._lock = threading.Lock()      # counters
        self._io = threading.RLock()       # the terminal: a redraw never lands between clear() and output

    def add(self, files=0, sentences=0):
        with self._lock:
            self.files_total += files
            self.sent_total += sentences

    def advance(self, files=0, sentences=0):
        with self._lock:
            self.files_done += files
            self.sent_done += sentences
        self.draw()

    def draw(self, force=False):
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        if not self._io.acquire(blocking=force):
            return   # output is being written: skip this redraw
        try:
            self._draw(now)
        finally:
            self._io.release()

    def _draw(self, now):
        self._last = now
        elapsed = max(now - self.start, 1e-6)
        rate = self.sent_done / elapsed
        left = self.sent_total - self.sent_done
        eta = f"  ETA {int(left / rate) // 60}:{int(left / rate) % 60:02d}" if rate > 0 and left > 0 else ""
        width = 28
        frac = self.sent_done / self.sent_total if self.sent_total else 0.0
        bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
        line = (f"[{bar}] {self.files_done}/{self.files_total} files  {self.sent_done:,}/{self.sent_total:,} sentences"
                f"  {rate:.1f} sentences/s{eta}")
        try:
            self.stream.write("\r" + line[:max(20, _columns() - 1)] + "\x1b[K")
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False
        self._shown = True

    def clear(self):
        with self._io:
            if self.enabled and self._shown:
                try:
                    self.stream.write("\r\x1b[K")
                    self.stream.flush()
                except (OSError, ValueError):
                    pass
                self._shown = False

    @contextlib.contextmanager
    def paused(self):
        """Clear the line and keep it off while the caller writes."""
        with self._io:
            self.clear()
            yield


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns or 100
    except (OSError, ValueError, AttributeError):
        return 100


# --- the run -------------------------------------------------------------------------------------
@dataclass
class Pending:
    doc: Document
    futures: list[tuple[int, Future, int]] = field(default_factory=list)   # (offset, future, sentences)


class Run:
    def __init__(self, args, checker: Checker, options: CheckOptions, out, err):
        self.args, self.checker, self.options = args, checker, options
        self.out, self.err = out, err
        self.errors = 0
        self.issue_count = 0
        self.files_with_issues = 0
        self.files_fixed = 0
        self.files_checked = 0
        self.diff_nonempty = False
        self.sarif = Sarif() if args.format == "sarif" else None
        stream_is_tty = hasattr(err, "isatty") and err.isatty()
        self.progress = Progress(stream_is_tty and not (args.quiet or args.no_progress), err)

    # reporting
    def problem(self, path: str, message: str):
        self.errors += 1
        with self.progress.paused():
            print(f"{PROG}: {path}: {message}", file=self.err)
        if self.sarif:
            self.sarif.error(path, message)

    def emit(self, text: str):
        if not text:
            return
        with self.progress.paused():
            self.out.write(text)
            self.out.flush()

    # one document's results
    def finish(self, doc: Document, issues: list[Issue]):
        path = doc.target.display
        located = locate(doc.text, issues, doc.bom)
        if issues:
            self.files_with_issues += 1
            self.issue_count += len(issues)
        a = self.args
        stdin_fix = doc.target.path is None and a.fix and not a.diff
        if a.diff:
            fixed = apply_all(doc.text, issues)
            if fixed != doc.text:
                self.diff_nonempty = True
                self.emit(unified_diff(path, doc.text, fixed))
        elif not stdin_fix:
            if a.format == "text":
                self.emit("".join(text_line(path, loc) + "\n" for loc in located))
            elif a.format == "json":
                self.emit("".join(json.dumps(json_record(path, loc), ensure_ascii=False) + "\n" for loc in located))
            else:
                for loc in located:
                    self.sarif.add(path, loc)
        if a.fix and not a.diff:
            fixed = apply_all(doc.text, issues)
            if doc.target.path is None:
                data = (BOM if doc.bom else b"") + fixed.encode("utf-8")
                with self.progress.paused():
                    buf = getattr(self.out, "buffer", None)
                    if buf is not None:
                        self.out.flush()
                        buf.write(data)
                        buf.flush()
                    else:
                        self.out.write(data.decode("utf-8"))
            elif fixed != doc.text:
                self.write_fix(doc, fixed)

    def write_fix(self, doc: Document, fixed: str):
        from edgemodel.userdata import atomic_write
        path = Path(os.path.realpath(doc.target.path))   # write through a symlink, never replace the link
        try:
            st = os.stat(path)
            if doc.stat is not None and (st.st_mtime_ns, st.st_size) != (doc.stat.st_mtime_ns, doc.stat.st_size):
                self.problem(doc.target.display, "changed while being checked; not fixed")
                return
            if not self.args.no_backup:
                atomic_write(path.with_name(path.name + ".bak"), doc.raw)
            atomic_write(path, (BOM if doc.bom else b"") + fixed.encode("utf-8"))
            self.files_fixed += 1
        except OSError as e:
            self.problem(doc.target.display, f"could not write the fix ({e.strerror or e}); the file is unchanged")

    def run(self, targets: list[Target], stdin_doc: Document | None) -> None:
        jobs = max(1, self.args.jobs)
        executor: Executor
        if self.args.parallel == "processes" and jobs > 1:
            import multiprocessing
            executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_proc_init, initargs=(self.args.model_dir, self.options))
            check = _proc_check
        else:
            executor = ThreadPoolExecutor(jobs, thread_name_prefix="proofline-check")
            opts = self.options
            check = lambda text: self.checker.check(text, opts)  # noqa: E731
        pending: deque[Pending] = deque()
        queued = 0
        max_bytes = int(self.args.max_size * 1e6)
        self.progress.add(files=len(targets) + (1 if stdin_doc else 0))
        try:
            docs = ([stdin_doc] if stdin_doc else []) + targets
            for item in docs:
                if isinstance(item, Target):
                    try:
                        doc = read_document(item, max_bytes)
                    except FileProblem as e:
                        self.problem(item.display, str(e))
                        self.progress.advance(files=1)
                        continue
                else:
                    doc = item
                p = Pending(doc)
                pieces = chunk(doc.text) if jobs > 1 else [(0, doc.text, len(split_sentences(doc.text)))]
                self.progress.add(sentences=sum(n for _, _, n in pieces))
                for offset, text, n in pieces:
                    fut = executor.submit(check, text)
                    fut.add_done_callback(lambda f, n=n: self.progress.advance(sentences=n))
                    p.futures.append((offset, fut, n))
                pending.append(p)
                queued += len(pieces)
                while queued > MAX_PENDING_CHUNKS:
                    queued -= self._finish_next(pending)
            while pending:
                self._finish_next(pending)
        except BaseException:
            for p in pending:
                for _, fut, _ in p.futures:
                    fut.cancel()
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
        self.progress.draw(force=True)
        self.progress.clear()

    def _finish_next(self, pending: deque) -> int:
        p = pending.popleft()
        issues = []
        try:
            for offset, fut, _ in p.futures:
                issues += _shift(fut.result(), offset)
        except Exception as e:  # a worker failed (e.g. a process pool broke): report the file, go on
            self.problem(p.doc.target.display, f"checking failed: {type(e).__name__}: {e}")
        else:
            self.files_checked += 1
            self.finish(p.doc, issues)
        self.progress.advance(files=1)
        return len(p.futures)


def _configure_stream(stream):
    try:
        stream.reconfigure(errors="backslashreplace")  # a console that cannot show “ ” must not crash the run
    except (AttributeError, ValueError, OSError):
        pass


def main(argv: list[str] | None = None) -> int:
    """`proofline check ...`. argv may start with the word "check" (as in `python -m app.cli check`)
    or not (as app.__main__ passes it); a leading "check" is taken as a path only if it exists."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"] and not os.path.exists("check"):
        argv = argv[1:]
    out, err = sys.stdout, sys.stderr
    _configure_stream(out)
    _configure_stream(err)
    try:
        args = build_parser().parse_args(argv)
        if args.stdin and args.paths:
            raise UsageError("give paths or --stdin, not both")
        if not args.stdin and not args.paths:
            raise UsageError("no paths given (use --stdin to read standard input)")
        if args.no_backup and not args.fix:
            raise UsageError("--no-backup goes with --fix")
        if args.jobs < 1:
            raise UsageError("--jobs must be at least 1")
    except UsageError as e:
        print(f"{PROG}: error: {e}\nusage: {PROG} PATH... [--format text|json|sarif] [--fix|--diff]  "
              f"(see {PROG} --help)", file=err)
        return EXIT_ERROR
    except SystemExit as e:   # --help, --version
        return int(e.code or 0) if isinstance(e.code, int) else 0

    try:
        return _main(args, out, err)
    except KeyboardInterrupt:
        print(f"\n{PROG}: interrupted", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`proofline check . | head`): stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_ISSUES


def _main(args, out, err) -> int:
    stdin_doc = None
    if args.stdin:
        buf = getattr(sys.stdin, "buffer", None)
        raw = buf.read() if buf is not None else sys.stdin.read().encode("utf-8")
        try:
            text, bom = decode(raw)
        except FileProblem as e:
            print(f"{PROG}: {args.stdin_filename}: {e}", file=err)
            return EXIT_ERROR
        stdin_doc = Document(Target(args.stdin_filename, None), raw, text, bom)

    options = build_options(args)
    try:
        checker = base_checker(args.model_dir)
    except ModelError as e:
        print(f"{PROG}: error: {e}", file=err)
        return EXIT_ERROR

    run = Run(args, checker, options, out, err)
    targets = [] if args.stdin else discover(args.paths, args.include or list(DEFAULT_INCLUDE), args.exclude,
                                             run.problem)
    run.run(targets, stdin_doc)
    if run.sarif:
        out.write(json.dumps(run.sarif.document(), indent=2, ensure_ascii=False) + "\n")
        out.flush()

    checked = run.files_checked
    if not args.quiet and err.isatty():
        if args.fix and not args.diff and not args.stdin:
            backups = "" if args.no_backup or not run.files_fixed else " (originals kept as FILE.bak)"
            print(f"{PROG}: fixed {run.issue_count} issues in {run.files_fixed} files{backups}", file=err)
        else:
            print(f"{PROG}: {run.issue_count} issues in {run.files_with_issues} of {checked} files checked"
                  + (f"; {run.errors} could not be checked" if run.errors else ""), file=err)
    if run.errors:
        return EXIT_ERROR
    if args.diff:
        return EXIT_ISSUES if run.diff_nonempty else EXIT_CLEAN
    if args.fix:
        return EXIT_CLEAN
    return EXIT_ISSUES if run.issue_count else EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
