"""Entry point: `proofline [FILE]` / `python -m app [FILE]` starts the editor,
`proofline check ...` runs the command-line checker (app.cli, imported only then, without Qt),
`--self-test` checks that the bundled model loads and works (for packaging)."""
from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time

SELF_TEST_SENTENCE = "He go to school yesterday and buyed a apple."
SELF_TEST_EXPECTED = "He went to school yesterday and bought an apple."


def self_test(model_dir: str | None) -> int:
    """Load the model, check a known sentence, print JSON. Exit status 1 if the model cannot load
    or does not give the expected correction."""
    from edgemodel import Checker, ModelError
    report: dict = {"sentence": SELF_TEST_SENTENCE}
    start = time.perf_counter()
    try:
        checker = Checker(model_dir)
    except ModelError as e:
        report.update(ok=False, error=str(e))
        print(json.dumps(report, indent=2))
        return 1
    loaded = time.perf_counter()
    issues = checker.check(SELF_TEST_SENTENCE)
    checked = time.perf_counter()
    corrected = checker.correct(SELF_TEST_SENTENCE)   # cached: measures the cheap path
    again = time.perf_counter()
    report.update(ok=corrected == SELF_TEST_EXPECTED, model_dir=str(checker.model.dir),
                  issues=[i.to_dict() for i in issues], corrected=corrected, expected=SELF_TEST_EXPECTED,
                  timings_ms={"load": round(1000 * (loaded - start), 1), "check": round(1000 * (checked - loaded), 1),
                              "cached_check": round(1000 * (again - checked), 1)})
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


def run_cli(args: list[str]) -> int:
    try:
        from app import cli
    except ImportError as e:
        print(f"proofline check: the command-line checker is not available ({e})", file=sys.stderr)
        return 2
    return cli.main(args)


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()   # the checker runs in a child process, also in a frozen app
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:
        return run_cli(argv[1:])   # before anything imports Qt: the CLI must work without a display
    parser = argparse.ArgumentParser(prog="proofline", description="Offline spelling and grammar checker.")
    parser.add_argument("file", nargs="?", help="a text or Markdown file to open")
    parser.add_argument("--model-dir", help="use the model in this directory instead of the bundled one")
    parser.add_argument("--self-test", action="store_true", help="check that the model loads and works, print JSON")
    args, qt_args = parser.parse_known_args(argv)
    if args.self_test:
        return self_test(args.model_dir)

    from app.qtapp import application
    from app.scheduler import CheckService
    from app.window import MainWindow
    app = application(sys.argv[:1] + qt_args)
    app.aboutToQuit.connect(CheckService.stop_all)
    window = MainWindow(model_dir=args.model_dir)
    window.show()
    if args.file and not window.modified:   # a restored crash buffer is not replaced
        window.open_path(args.file, confirmed=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
