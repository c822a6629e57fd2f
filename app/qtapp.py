"""Creating the QApplication: names, GIL hand-off for the checking thread, a font that exists."""
from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication

FALLBACK_FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"
SWITCH_INTERVAL = 0.001   # seconds: the checking thread yields the GIL to the GUI within ~1 ms


def has_glyphs(font: QFont) -> bool:
    """The font resolves to a real font file that can draw Latin letters (with no fonts installed
    fontconfig still lists generic names like "Sans Serif", but they resolve to nothing)."""
    return bool(QFontInfo(font).family()) and QFontMetrics(font).inFontUcs4(ord("a"))


def ensure_font(app: QApplication) -> str:
    """The family text is drawn with. Qt wheels ship no fonts, and without a system font every glyph
    is a box: then load the bundled DejaVu Sans and make it the application font."""
    if has_glyphs(app.font()):
        return QFontInfo(app.font()).family()
    font_id = QFontDatabase.addApplicationFont(str(FALLBACK_FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        print(f"proofline: no fonts found and {FALLBACK_FONT} could not be loaded", file=sys.stderr)
        return ""
    app.setFont(QFont(families[0], app.font().pointSize()))
    return QFontInfo(app.font()).family()


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Proofline")
    app.setApplicationDisplayName("Proofline")
    # The checker runs Python between model calls; a short switch interval keeps typing smooth.
    sys.setswitchinterval(SWITCH_INTERVAL)
    ensure_font(app)
    # What exists now lives as long as the app: keep it out of the collector's full passes, which
    # otherwise stall the GUI thread for tens of milliseconds while results stream in.
    gc.freeze()
    return app
