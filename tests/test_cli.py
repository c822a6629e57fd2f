"""`proofline check` (app.cli) on the shipped model: formats, exit codes, fixing, bad input.

Expectations come from Checker().check() on the same text in the test, never from a fixed list of
corrections (the model is still being trained).
"""
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import fixture_sentences

from app import cli
from edgemodel import CheckOptions, Kind, apply_all, split_sentences
from edgemodel import userdata

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>[a-z ]+): (?P<rest>.*)$")
CANDIDATE_CLEAN = ["The cat sat on the mat.", "Paris is the capital of France.", "Hello there.", "It is raining."]


# --- helpers -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def samples(checker):
    """Fixture sentences the model flags (with their issues) and ones it does not."""
    flagged, clean = [], []
    for s in fixture_sentences() + CANDIDATE_CLEAN:
        (flagged if checker.check(s) else clean).append(s)
    if not flagged:
        pytest.skip("the current model flags none of the fixture sentences")
    return flagged, clean


@pytest.fixture
def flagged_text(samples):
    return "\n".join(samples[0][:4]) + "\n"


@pytest.fixture
def clean_text(samples):
    if not samples[1]:
        pytest.skip("the current model flags every candidate sentence")
    return samples[1][0] + "\n"


def run(capsys, *args):
    rc = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return rc, out, err


def offset_of(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    return sum(len(l) + 1 for l in lines[:line - 1]) + col - 1


def listing(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None, p.lstat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


# --- output formats ------------------------------------------------------------------------------
def test_text_lines_point_at_the_issue(tmp_path, capsys, checker, samples):
    text = "Crème brûlée — naïve café.\n\t" + "\n".join(samples[0][:5]) + "\n"
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    expected = checker.check(text)
    rc, out, err = run(capsys, "check", f)
    lines = out.splitlines()
    assert len(lines) == len(expected) > 0
    assert rc == 1
    for line, issue in zip(lines, expected):
        m = LINE.match(line)
        assert m, line
        assert m["path"] == str(f)
        assert offset_of(text, int(m["line"]), int(m["col"])) == issue.start
        assert m["kind"] == issue.kind.value
        assert m["rest"].startswith(issue.message)
        assert "(suggestion" in m["rest"]


def test_json_lines_offsets_bytes_and_bom(tmp_path, capsys, checker, samples):
    text = "Tokyo (東京) 🙂 is big.\r\n" + "\r\n".join(samples[0][:4]) + "\r\n"
    raw = cli.BOM + text.encode("utf-8")
    f = tmp_path / "doc.md"
    f.write_bytes(raw)
    expected = checker.check(text)
    rc, out, _ = run(capsys, "check", f, "--format", "json")
    records = [json.loads(l) for l in out.splitlines()]
    assert len(records) == len(expected) > 0 and rc == 1
    for r, issue in zip(records, expected):
        assert (r["start"], r["end"]) == (issue.start, issue.end)
        assert r["text"] == text[issue.start:issue.end]
        assert raw[r["byte_start"]:r["byte_end"]].decode("utf-8") == r["text"]
        assert offset_of(text, r["line"], r["col"]) == issue.start
        assert offset_of(text, r["end_line"], r["end_col"]) == issue.end
        assert r["kind"] == issue.kind.value and r["message"] == issue.message
        assert r["replacements"] == list(issue.replacements)
        assert 0 <= r["confidence"] <= 1 and r["path"] == str(f)


def test_sarif_log(tmp_path, capsys, checker, samples):
    text = "\n\n".join(samples[0][:3]) + "\n"
    f = tmp_path / "doc.txt"
    f.write_text(text, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01")
    expected = checker.check(text)
    rc, out, _ = run(capsys, "check", f, tmp_path / "bad.txt", "--format", "sarif")
    log = json.loads(out)
    assert rc == 2
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    (run_,) = log["runs"]
    assert run_["tool"]["driver"]["name"] == "Proofline"
    assert run_["columnKind"] == "unicodeCodePoints"
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert len(run_["results"]) == len(expected) > 0
    for res, issue in zip(run_["results"], expected):
        assert res["ruleId"] in rule_ids and rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("warning", "note", "error") and res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"]
        region = loc["region"]
        assert offset_of(text, region["startLine"], region["startColumn"]) == issue.start == region["charOffset"]
        assert region["charLength"] == issue.end - issue.start
        change = res["fixes"][0]["artifactChanges"][0]["replacements"][0]
        assert change["insertedContent"]["text"] == issue.replacements[0]
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "bad.txt" in invocation["toolExecutionNotifications"][0]["message"]["text"]


# --- exit codes ----------------------------------------------------------------------------------
def test_exit_codes(tmp_path, capsys, flagged_text, clean_text):
    clean, flagged = tmp_path / "clean.txt", tmp_path / "flagged.txt"
    clean.write_text(clean_text, encoding="utf-8")
    flagged.write_text(flagged_text, encoding="utf-8")
    rc, out, err = run(capsys, "check", clean)
    assert (rc, out) == (0, "")
    rc, out, _ = run(capsys, "check", flagged)
    assert rc == 1 and out
    rc, out, err = run(capsys, "check", tmp_path / "missing.txt")
    assert rc == 2 and "missing.txt" in err and "no such file" in err
    rc, out, err = run(capsys, "check", flagged, tmp_path / "missing.txt")
    assert rc == 2 and out and "missing.txt" in err     # the other file is still reported
    assert run(capsys, "check")[0] == 2                 # no paths
    assert run(capsys, "check", clean, "--threshold", "2")[0] == 2
    assert run(capsys, "check", clean, "--disable", "nonsense")[0] == 2
    assert run(capsys, "check", clean, "--no-backup")[0] == 2
    assert run(capsys, "check", "--help")[0] == 0
    # app.__main__ passes the arguments after "check"
    assert cli.main([str(flagged)]) == 1
    capsys.readouterr()


def test_model_error_is_reported(tmp_path, capsys, flagged_text):
    f = tmp_path / "a.txt"
    f.write_text(flagged_text, encoding="utf-8")
    rc, out, err = run(capsys, "check", f, "--model-dir", tmp_path / "nomodel")
    assert rc == 2 and out == "" and "model files missing" in err


# --- fixing --------------------------------------------------------------------------------------
def test_fix_writes_corrected_text_and_keeps_a_backup(tmp_path, capsys, checker, flagged_text):
    text = flagged_text.replace("\n", "\r\n")
    raw = cli.BOM + text.encode("utf-8")
    f = tmp_path / "doc.txt"
    f.write_bytes(raw)
    os.chmod(f, 0o640)
    rc, out, err = run(capsys, "check", "--fix", f)
    assert rc == 0
    assert f.read_bytes() == cli.BOM + checker.correct(text).encode("utf-8") != raw
    assert (tmp_path / "doc.txt.bak").read_bytes() == raw
    assert f.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "doc.txt.bak"]   # no temp files left

    g = tmp_path / "nobak.txt"
    g.write_text(flagged_text, encoding="utf-8")
    rc, _, _ = run(capsys, "check", "--fix", "--no-backup", g)
    assert rc == 0 and g.read_text(encoding="utf-8") == checker.correct(flagged_text)
    assert not (tmp_path / "nobak.txt.bak").exists()

    if hasattr(os, "symlink"):   # fixing through a link writes the target and keeps the link
        real, link = tmp_path / "real.md", tmp_path / "link.md"
        real.write_text(flagged_text, encoding="utf-8")
        link.symlink_to(real)
        assert run(capsys, "check", "--fix", link)[0] == 0
        assert link.is_symlink() and real.read_text(encoding="utf-8") == checker.correct(flagged_text)
        assert (tmp_path / "real.md.bak").read_text(encoding="utf-8") == flagged_text


def test_fix_is_atomic_when_the_rename_fails(tmp_path, capsys, monkeypatch, flagged_text):
    f = tmp_path / "doc.txt"
    f.write_text(flagged_text, encoding="utf-8")
    before = listing(tmp_path)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    rc, out, err = run(capsys, "check", "--fix", f)
    assert rc == 2 and "could not write" in err and "unchanged" in err
    assert listing(tmp_path) == before


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_fix_killed_mid_write_leaves_the_original(tmp_path, flagged_text):
    f = tmp_path / "doc.txt"
    f.write_text(flagged_text * 3, encoding="utf-8")
    original = f.read_bytes()
    marker = tmp_path / "writing"
    script = f"""
import os, sys, time
real_fsync = os.fsync
def slow_fsync(fd):
    real_fsync(fd)
    open({str(marker)!r}, "w").close()
    time.sleep(60)
os.fsync = slow_fsync
from app import cli
sys.exit(cli.main(["check", "--fix", "--no-backup", {str(f)!r}]))
"""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():
            assert proc.poll() is None, "the --fix run ended before writing"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert f.read_bytes() == original
    leftovers = {p.name for p in tmp_path.iterdir()} - {"doc.txt", "writing"}
    assert all(n.startswith(".doc.txt.") and n.endswith(".tmp") for n in leftovers)


def test_diff_writes_nothing_and_applies(tmp_path, capsys, checker, flagged_text):
    f = tmp_path / "doc.txt"
    f.write_text(flagged_text.rstrip("\n"), encoding="utf-8")   # no newline at the end: the marker
    before = listing(tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        rc, out, _ = run(capsys, "check", "--diff", "doc.txt")
        rc2, out2, _ = run(capsys, "check", "--diff", "--fix", "doc.txt")
    finally:
        os.chdir(cwd)
    assert rc == 1 and out.startswith("--- a/doc.txt\n+++ b/doc.txt\n") and "\n@@ " in "\n" + out
    assert (rc2, out2) == (rc, out)
    assert listing(tmp_path) == before
    if shutil.which("patch"):
        work = tmp_path / "w"
        work.mkdir()
        shutil.copy(f, work / "doc.txt")
        subprocess.run(["patch", "-s", "-p1"], input=out.encode(), cwd=work, check=True)
        assert (work / "doc.txt").read_text(encoding="utf-8") == checker.correct(flagged_text.rstrip("\n"))


def test_stdin(capsys, monkeypatch, checker, flagged_text):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(flagged_text.encode())))
    rc, out, _ = run(capsys, "check", "--stdin", "--format", "json")
    records = [json.loads(l) for l in out.splitlines()]
    assert rc == 1 and {r["path"] for r in records} == {"<stdin>"}
    assert len(records) == len(checker.check(flagged_text))

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(flagged_text.encode())))
    rc, out, _ = run(capsys, "check", "--stdin", "--fix")
    assert rc == 0 and out == checker.correct(flagged_text)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"abc\x00def")))
    rc, out, err = run(capsys, "check", "--stdin")
    assert rc == 2 and "binary" in err


# --- bad input and file selection ----------------------------------------------------------------
def test_bad_files_are_reported_and_the_rest_checked(tmp_path, capsys, checker, flagged_text):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "good.txt").write_text(flagged_text, encoding="utf-8")
    (d / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00 zip")
    (d / "latin1.md").write_bytes("Caf\xe9 cr\xe8me.\n".encode("latin-1"))
    (d / "gone.md").symlink_to(d / "deleted-meanwhile.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(d / "pipe.txt")
    before = listing(d)
    rc, out, err = run(capsys, "check", d)
    assert rc == 2
    assert out and all(line.startswith(str(d / "good.txt")) for line in out.splitlines())
    assert len(out.splitlines()) == len(checker.check(flagged_text))
    assert re.search(r"binary\.txt: binary file", err)
    assert re.search(r"latin1\.md: not valid UTF-8 \(byte 0xe9 at offset 3, line 1\)", err)
    assert re.search(r"gone\.md: no such file", err)
    if hasattr(os, "mkfifo"):
        assert re.search(r"pipe\.txt: not a regular file", err)
    assert listing(d) == before


def test_huge_files_are_skipped(tmp_path, capsys, flagged_text):
    (tmp_path / "small.txt").write_text(flagged_text, encoding="utf-8")
    (tmp_path / "huge.txt").write_text("Words and words. " * 2000, encoding="utf-8")
    rc, out, err = run(capsys, "check", tmp_path, "--max-size", "0.01")   # 10 kB
    assert rc == 2 and "huge.txt: too large" in err and "--max-size" in err
    assert "small.txt" in out and "huge.txt" not in out


def test_unreadable_file(tmp_path, capsys, monkeypatch, flagged_text):
    f, g = tmp_path / "secret.txt", tmp_path / "open.txt"
    f.write_text(flagged_text, encoding="utf-8")
    g.write_text(flagged_text, encoding="utf-8")
    real_open = open

    def guarded_open(path, *args, **kwargs):   # chmod 000 does not stop root, so refuse here
        if Path(path) == f:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cli, "open", guarded_open, raising=False)
    rc, out, err = run(capsys, "check", f, g)
    assert rc == 2 and "secret.txt: permission denied" in err
    assert out and "secret.txt" not in out and "open.txt" in out


def test_folder_recursion_with_include_and_exclude(tmp_path, capsys, samples):
    sentence = samples[0][0]
    tree = ["a.txt", "b.md", "c.rst", "drafts/d.txt", "drafts/deep/e.md", ".git/f.txt", "notes.txt.orig"]
    for name in tree:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(sentence + "\n", encoding="utf-8")

    def reported(*args):
        rc, out, _ = run(capsys, "check", tmp_path, "--format", "json", *args)
        return {Path(json.loads(l)["path"]).relative_to(tmp_path).as_posix() for l in out.splitlines()}

    assert reported() == {"a.txt", "b.md", "drafts/d.txt", "drafts/deep/e.md"}
    assert reported("--exclude", "drafts") == {"a.txt", "b.md"}
    assert reported("--exclude", "*.md") == {"a.txt", "drafts/d.txt"}
    assert reported("--exclude", "drafts/deep") == {"a.txt", "b.md", "drafts/d.txt"}
    assert reported("--include", "*.rst") == {"c.rst"}
    assert reported("--include", "*.rst", "--include", "drafts/*.txt") == {"c.rst", "drafts/d.txt"}
    # a file named on the command line is checked whatever its name
    rc, out, _ = run(capsys, "check", tmp_path / "c.rst")
    assert rc == 1 and "c.rst" in out


# --- user data and settings ----------------------------------------------------------------------
def _issue_of_kind(checker, kind=None):
    """A fixture sentence and an issue the model reports in it at threshold 0 (of `kind` if given)."""
    for s in fixture_sentences():
        for issue in checker.check(s, CheckOptions(threshold=0.0)):
            if kind is None or issue.kind is kind:
                return s, issue
    pytest.skip(f"the current model reports no {kind.value if kind else ''} issue on the fixtures")


def test_personal_dictionary_is_honoured(tmp_path, capsys, checker):
    sentence, issue = _issue_of_kind(checker, Kind.SPELLING)
    word = sentence[issue.start:issue.end]
    f = tmp_path / "doc.txt"
    f.write_text(sentence + "\n", encoding="utf-8")

    def starts(*args):
        _, out, _ = run(capsys, "check", f, "--format", "json", "--threshold", "0", *args)
        return {json.loads(l)["start"] for l in out.splitlines()}

    assert issue.start in starts()
    userdata.personal_dictionary().add(word)
    assert issue.start not in starts()
    assert issue.start in starts("--isolated")


def test_ignore_list_and_settings_are_honoured(tmp_path, capsys, checker):
    sentence, issue = _issue_of_kind(checker)
    f = tmp_path / "doc.txt"
    f.write_text(sentence + "\n", encoding="utf-8")
    flagged = sentence[issue.start:issue.end]
    this = (issue.start, issue.kind.value)

    def found(*args):
        _, out, _ = run(capsys, "check", f, "--format", "json", *args)
        return [(r["start"], r["kind"]) for r in map(json.loads, out.splitlines())]

    userdata.Settings(threshold=0.0).save()
    assert this in found()
    userdata.ignore_list().add(flagged)
    assert this not in found()
    userdata.ignore_list().remove(flagged)
    assert this in found()

    userdata.Settings(threshold=0.0, disabled_kinds=[issue.kind.value]).save()
    assert all(k != issue.kind.value for _, k in found())
    assert this in found("--enable", issue.kind.value.replace(" ", "-"))
    userdata.Settings(threshold=0.0).save()
    assert all(k != issue.kind.value for _, k in found("--disable", issue.kind.value.replace(" ", "_")))

    userdata.Settings(threshold=1.0).save()
    assert len(found()) == len(checker.check(sentence + "\n", CheckOptions(threshold=1.0)))
    assert this in found("--threshold", "0")
    assert (this in found("--isolated")) == (issue.confidence >= 0.5)   # isolated: default threshold 0.5


# --- parallel checking is exact ------------------------------------------------------------------
DOC = """# A document

{0} {1}

```
code. Not prose.

still code {2}
```

- {3}
- {4}

    indented {5}
{6}
continued line, {7}

> {8}
"""


def test_chunked_parallel_check_equals_whole_check(tmp_path, capsys, monkeypatch, checker, samples):
    monkeypatch.setattr(cli, "CHUNK_SENTENCES", 3)
    pool = (samples[0] + samples[1]) * 4
    text = "\n".join(DOC.format(*pool[i:i + 9]) for i in range(0, 36, 9))
    assert len(cli.chunk(text, target=3)) > 3
    pieces = cli.chunk(text, target=3)
    assert "".join(p[1] for p in pieces) == text
    assert sum(p[2] for p in pieces) == len(split_sentences(text))
    f = tmp_path / "doc.md"
    f.write_text(text, encoding="utf-8")
    expected = [(i.start, i.end, i.kind.value, list(i.replacements)) for i in checker.check(text)]
    for args in (["--jobs", "2"], ["--jobs", "1"], ["--jobs", "2", "--parallel", "processes"]):
        _, out, _ = run(capsys, "check", f, "--format", "json", *args)
        got = [(r["start"], r["end"], r["kind"], r["replacements"]) for r in map(json.loads, out.splitlines())]
        assert got == expected, args


def test_chunk_falls_back_when_a_cut_would_change_the_sentences():
    text = "".join(f"Sentence number {i} is here.\n" for i in range(40))
    pieces = cli.chunk(text, target=5)
    assert len(pieces) == 8 and "".join(p[1] for p in pieces) == text
    fenced = "Intro here.\n\n```\n" + "".join(f"Code {i}.\n\n" for i in range(40)) + "```\n\nOutro.\n"
    pieces = cli.chunk(fenced, target=1)
    assert "".join(p[1] for p in pieces) == fenced
    assert sum(p[2] for p in pieces) == len(split_sentences(fenced))


def test_locator_lines_columns_and_bytes():
    text = "añb\n🙂x\n\nz"
    loc = cli.Locator(text, byte_base=3)
    assert loc.line_col(0) == (1, 1) and loc.line_col(2) == (1, 3) and loc.line_col(3) == (1, 4)
    assert loc.line_col(4) == (2, 1) and loc.line_col(5) == (2, 2) and loc.line_col(8) == (4, 1)
    assert [loc.byte(i) for i in (0, 2, 4, 5, 8)] == [3, 6, 8, 12, 15]
    assert loc.byte(1) == 4   # going back works too


# --- isolation: no network, no Qt, quiet when piped ----------------------------------------------
def test_opens_no_socket(tmp_path, capsys, monkeypatch, no_network, flagged_text):
    f = tmp_path / "doc.txt"
    f.write_text(flagged_text * 2, encoding="utf-8")
    assert run(capsys, "check", f, "--jobs", "2")[0] == 1
    assert run(capsys, "check", f, "--format", "sarif")[0] == 1
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(flagged_text.encode())))
    assert run(capsys, "check", "--stdin", "--fix")[0] == 0
    assert no_network == []


def _subprocess_env(tmp_path):
    return dict(os.environ, PYTHONPATH=str(ROOT), PROOFLINE_HOME=str(tmp_path / "home"))


def test_entry_point_imports_no_qt(tmp_path, flagged_text):
    f = tmp_path / "doc.txt"
    f.write_text(flagged_text, encoding="utf-8")
    script = ("import sys; from app.__main__ import main; rc = main(['check', sys.argv[1], '--format', 'json']);"
              "print('QT' if any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules) else 'NOQT', rc)")
    p = subprocess.run([sys.executable, "-c", script, str(f)], capture_output=True, text=True,
                       env=_subprocess_env(tmp_path), timeout=600)
    assert p.stdout.splitlines()[-1] == "NOQT 1", p.stderr
    p = subprocess.run([sys.executable, "-m", "app.cli", "check", str(f)], capture_output=True, text=True,
                       env=_subprocess_env(tmp_path), timeout=600)
    assert p.returncode == 1 and p.stdout.startswith(str(f))
    assert "\r" not in p.stderr and "sentences/s" not in p.stderr   # no progress line when piped


@pytest.mark.skipif(sys.platform == "win32", reason="pty")
def test_progress_line_on_a_terminal(tmp_path, flagged_text):
    import pty
    f = tmp_path / "doc.txt"
    f.write_text(flagged_text, encoding="utf-8")
    master, slave = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "app.cli", "check", str(f)], stdout=subprocess.PIPE,
                         stderr=slave, env=_subprocess_env(tmp_path))
    os.close(slave)
    out, _ = p.communicate(timeout=600)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = b"".join(chunks).decode(errors="replace")
    assert p.returncode == 1 and out
    assert "sentences/s" in err and "files" in err
    assert "issues in 1 of 1 files checked" in err
