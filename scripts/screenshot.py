"""Screenshot of the editor for the docs: underlines, the hover card open, the issues panel.

    python scripts/screenshot.py [--out docs/screenshot.png] [--threshold 0.5]

Runs under X: uses $DISPLAY if set, else starts its own Xvfb (apt-get install xvfb) for the
duration. Settings go to a temporary PROOFLINE_HOME, so the user's are untouched.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = """\
# Trip report

Last week our team go to the conference in Lisbon. We has learned a lot about on-device models,
and the the talks about privacy was excellent.

The venue were near the river. Their was a small cafe where we discused the keynote evry morning,
and i think we should of stayed one more day.

## Next steps

- Send the slides to everyone befor Friday
- Write a short summary for the the blog
"""


def start_xvfb() -> subprocess.Popen | None:
    """An Xvfb on a free display number (listening on no TCP port), or None if $DISPLAY is set."""
    if os.environ.get("DISPLAY"):
        return None
    if not shutil.which("Xvfb"):
        sys.exit("screenshot.py: no $DISPLAY and no Xvfb (apt-get install -y xvfb)")
    for number in range(90, 110):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1400x860x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"] = f":{number}"
    return xvfb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--threshold", type=float, default=0.5, help="confidence threshold for the issues shown")
    parser.add_argument("--model-dir", help="model directory (default: the bundled model)")
    args = parser.parse_args()

    xvfb = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["PROOFLINE_HOME"] = tempfile.mkdtemp(prefix="proofline-shot-")
    try:
        from edgemodel import Kind
        from edgemodel.userdata import Settings
        Settings(threshold=args.threshold).save()

        from PySide6.QtCore import QEventLoop
        from PySide6.QtGui import QGuiApplication

        from app.qtapp import application
        from app.scheduler import CheckService
        from app.window import MainWindow
        app = application()

        def settle(condition, seconds=120.0):
            end = time.time() + seconds
            while not condition() and time.time() < end:
                app.processEvents(QEventLoop.AllEvents, 20)
                time.sleep(0.01)

        window = MainWindow(model_dir=args.model_dir, restore=False)
        window.setGeometry(0, 0, 1380, 820)
        window.show()
        document = Path(os.environ["PROOFLINE_HOME"]) / "trip-report.md"
        document.write_text(SAMPLE, encoding="utf-8")
        window.open_path(document)
        settle(lambda: window.scheduler.idle)
        settle(lambda: window.panel.model.rowCount() == len(window.editor.store.all()), 2)
        marks = window.editor.store.all()
        print(f"{len(marks)} issues shown; checker: {window.scheduler.model.detail}")
        if marks:
            mark = next((m for m in marks if m.kind is Kind.SPELLING), marks[0])
            cursor = window.editor.textCursor()
            cursor.setPosition(mark.start)
            window.editor.setTextCursor(cursor)
            window.editor.show_card(mark)
        settle(lambda: False, 0.5)   # let everything paint
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        # The whole screen: the hover card is a window of its own, above the main window.
        image = QGuiApplication.primaryScreen().grabWindow(0, 0, 0, 1380, 820)
        if not image.save(str(out)):
            sys.exit(f"screenshot.py: could not write {out}")
        print(f"wrote {out}")
        window.editor.document().setModified(False)
        window.close()
        CheckService.stop_all()
        return 0
    finally:
        shutil.rmtree(os.environ["PROOFLINE_HOME"], ignore_errors=True)
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


if __name__ == "__main__":
    sys.exit(main())
