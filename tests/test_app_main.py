"""The entry point: `--self-test`, `check` dispatch without Qt, `python -m app FILE`, fonts, memory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from PySide6.QtGui import QFontDatabase, QFontInfo

from app_fixtures import ROOT, flagged_text
from app_fixtures import checker, home, make_window, model_dir, qapp  # noqa: F401  (pytest fixtures)
from app.qtapp import has_glyphs


def run_python(code: str, env: dict | None = None, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {})))


def test_self_test_prints_issues_corrected_text_and_timings(model_dir):
    run = subprocess.run([sys.executable, "-m", "app", "--self-test", "--model-dir", str(model_dir)],
                         capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["ok"] is True and report["sentence"] == "He go to school yesterday and buyed a apple."
    assert report["corrected"] == "He went to school yesterday and bought an apple."
    assert [i["replacements"][0] for i in report["issues"]] == ["went", "bought", "an"]
    assert set(report["timings_ms"]) == {"load", "check", "cached_check"}


def test_self_test_fails_clearly_without_a_model(tmp_path):
    run = subprocess.run([sys.executable, "-m", "app", "--self-test", "--model-dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["ok"] is False and "missing" in report["error"]


def test_check_is_dispatched_to_the_cli_without_importing_qt():
    code = textwrap.dedent("""
        import sys, types
        calls = []
        cli = types.ModuleType("app.cli")
        cli.main = lambda args: calls.append(args) or 7
        sys.modules["app.cli"] = cli
        from app.__main__ import main
        code = main(["check", "essay.md", "--json"])
        print(calls, code, any(m.startswith("PySide6") for m in sys.modules))
    """)
    run = run_python(code)
    assert run.stdout.strip() == "[['essay.md', '--json']] 7 False", run.stderr


def test_python_m_app_file_opens_the_window_with_the_file(tmp_path, model_dir, home, checker):
    doc = tmp_path / "essay.md"
    doc.write_text(flagged_text(checker) + "\n", encoding="utf-8")
    code = textwrap.dedent(f"""
        import json, sys, time
        started = time.perf_counter()
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from app.qtapp import application
        app = application()
        result = {{}}

        def rss_mb(pid):
            with open(f"/proc/{{pid}}/status") as f:
                return next(int(l.split()[1]) for l in f if l.startswith("VmRSS")) / 1024

        def poll():
            window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "main")
            if "first_underline_s" not in result and window.editor.store.all():
                result["first_underline_s"] = round(time.perf_counter() - started, 2)
            if window.scheduler.idle and "first_underline_s" in result:
                app.processEvents()
                time.sleep(1.0)   # idle for a moment, then measure
                app.processEvents()
                result.update(title=window.windowTitle(), text=window.editor.text(), gui_rss_mb=round(rss_mb("self")),
                              checker_rss_mb=round(rss_mb(window.scheduler.service.process.pid)))
                print(json.dumps(result))
                window.close()
            else:
                QTimer.singleShot(20, poll)

        QTimer.singleShot(20, poll)
        from app.__main__ import main
        sys.exit(main([{str(doc)!r}, "--model-dir", {str(model_dir)!r}]))
    """)
    run = run_python(code, env={"PROOFLINE_HOME": str(home)})
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"\nstart to first underline {result['first_underline_s']} s; idle RSS: window {result['gui_rss_mb']} MB,"
          f" checking process {result['checker_rss_mb']} MB")
    assert result["title"] == "essay.md[*] — Proofline"
    assert result["text"] == doc.read_text(encoding="utf-8")
    assert result["gui_rss_mb"] < 300


def test_text_is_drawn_with_a_real_font(qtbot, make_window):
    window = make_window()
    assert QFontDatabase.families()
    family = QFontInfo(window.editor.font()).family()
    assert family and has_glyphs(window.editor.font()), f"the editor font resolves to {family!r}"


def test_without_system_fonts_the_bundled_font_is_used(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    code = textwrap.dedent("""
        from PySide6.QtWidgets import QApplication
        from PySide6.QtGui import QFontInfo
        app = QApplication([])
        from app.qtapp import application, has_glyphs
        before = has_glyphs(app.font())
        application()
        print(before, QFontInfo(app.font()).family(), has_glyphs(app.font()))
    """)
    run = run_python(code, env={"FONTCONFIG_FILE": str(config)})
    assert run.stdout.strip() == "False DejaVu Sans True", run.stderr[-2000:]
