"""The text edit: underlines, hover card, context menu, issue navigation.

The editor owns the document's revision counter and a log of edits. A checking result is computed
for the text of some earlier revision; before it is shown its position is carried through the
edits made since (and dropped if any of them touched it), then its text is compared with the text
now at that position. So underlines are never drawn over text they were not computed for.

Underlines are painted over the viewport (not as character formats): the check never touches the
document, its undo stack or its modified flag, and only the visible blocks cost anything.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter, QPainterPath, QPen, QTextBlock, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QWidget

from app import kinds
from app.card import HoverCard, suggestion_text
from app.checking import UnitResult, Utf16
from app.marks import Mark, MarkStore
from edgemodel import Kind

EDIT_LOG = 20_000          # edits remembered for carrying results forward; older results are dropped
HOVER_MS, HIDE_MS = 350, 400


@dataclass(frozen=True)
class Underline:
    """What the editor draws for one mark (Qt positions in the document)."""
    start: int
    end: int
    kind: Kind
    color: str
    line: str
    mark: Mark


def _insertion_span(r: int, text: str) -> tuple[int, int] | None:
    """Where to draw an empty (insertion) mark at block position `r`: the word before it, else the
    word after it. Positions are Qt (UTF-16) block positions; `text` is the block's text."""
    u16 = Utf16(text)
    i = u16.to_py(r)
    a = i
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    if a < i:
        return u16.to_qt(a), r
    b = i
    while b < len(text) and not text[b].isspace():
        b += 1
    if b > i:
        return r, u16.to_qt(b)
    if i > 0:
        return u16.to_qt(i - 1), r
    return (r, u16.to_qt(i + 1)) if i < len(text) else None


def draw_underlines(painter: QPainter, lines: list[tuple[float, float, float]], look: kinds.Look,
                    width: float) -> None:
    """Draw (x1, x2, y) underlines in a look's colour and line style (wavy, dashed or dotted)."""
    pen = QPen(QColor(look.color), width)
    pen.setCapStyle(Qt.FlatCap)
    if look.line == "wave":
        amplitude, half = 1.2 * width, 2.0 * width
        path = QPainterPath()
        for x1, x2, y in lines:
            path.moveTo(x1, y)
            x, up = x1, True
            while x < x2:
                nx = min(x + half, x2)
                path.quadTo((x + nx) / 2, y - amplitude if up else y + amplitude, nx, y)
                x, up = nx, not up
        painter.strokePath(path, pen)
        return
    pen.setDashPattern([3.0, 2.0] if look.line == "dash" else [1.0, 1.5])
    painter.setPen(pen)
    painter.drawLines([QLineF(x1, y + 0.5, x2, y + 0.5) for x1, x2, y in lines])


class Editor(QPlainTextEdit):
    marks_changed = Signal()                 # findings added or removed (not merely moved)
    menu_about_to_show = Signal(object)      # the context QMenu, just before it opens
    ignore_requested = Signal(object)        # Mark: ignore this finding
    ignore_all_requested = Signal(object)    # Mark: never flag this text
    add_word_requested = Signal(object)      # Mark: add the word to the personal dictionary
    disable_kind_requested = Signal(object)  # Kind
    files_dropped = Signal(list)             # local paths dropped on the editor

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = MarkStore()
        self.revision = 0
        self._reset_revision = 0
        self._edits: deque[tuple[int, int, int, int]] = deque(maxlen=EDIT_LOG)  # (revision, pos, removed, added)
        self._count = self.document().characterCount()
        self._resetting = False
        self.thick_underlines = False
        self.base_font = QFont(self.font())
        self.zoom = 0
        self.document().setDocumentMargin(10)   # (a document change: undone below)
        self.document().clearUndoRedoStacks()
        self.document().setModified(False)
        self.document().contentsChange.connect(self._on_contents_change)
        self.set_zoom(0)

        self.card = HoverCard(self)
        self.card.chosen.connect(self.apply_suggestion)
        self.card.ignore.connect(self.ignore_requested)
        self.card.ignore.connect(lambda _: self.card.dismiss())
        self._pending: Mark | None = None
        self._hover_timer = QTimer(self, singleShot=True, interval=HOVER_MS, timeout=self._show_pending)
        self._hide_timer = QTimer(self, singleShot=True, interval=HIDE_MS, timeout=self._hide_unless_hovered)
        self.viewport().setMouseTracking(True)
        self.verticalScrollBar().valueChanged.connect(lambda _: self.card.dismiss())

    # --- text and revisions --------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Replace the whole document (new/open): no undo history, not modified, no findings."""
        self._resetting = True
        try:
            self.setPlainText(text)
        finally:
            self._resetting = False
        self.document().setModified(False)
        self._reset_marks()

    def text(self) -> str:
        """The document's text exactly (non-breaking spaces kept), with "\\n" between lines."""
        return self.document().toRawText().replace("\u2029", "\n")

    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        count = self.document().characterCount()
        delta, self._count = count - self._count, count
        self.revision += 1
        self.card.dismiss()
        if self._resetting or added - removed != delta:
            # Qt reports whole-document changes loosely (around the final paragraph mark): start over.
            self._reset_marks()
            return
        self._edits.append((self.revision, pos, removed, added))
        if self.store.edited(pos, removed, added):
            self.viewport().update()
            self.marks_changed.emit()

    def _reset_marks(self) -> None:
        self._reset_revision = self.revision
        self._edits.clear()
        self.store.clear()
        self.viewport().update()
        self.marks_changed.emit()

    def _map_span(self, revision: int, start: int, end: int) -> tuple[int, int] | None:
        """Where [start, end] of `revision`'s text is now, or None if an edit since touched it."""
        if revision < self._reset_revision:
            return None
        since = []
        for entry in reversed(self._edits):
            if entry[0] <= revision:
                break
            since.append(entry)
        if len(since) != self.revision - revision:
            return None   # some edits are no longer in the log
        for _, pos, removed, added in reversed(since):
            if start <= pos + removed and end >= pos:
                return None
            if start > pos + removed:
                start, end = start + added - removed, end + added - removed
        return start, end

    def text_at(self, start: int, end: int) -> str:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    # --- results from the checker --------------------------------------------------------------
    def snapshot(self) -> tuple[int, str, frozenset[tuple[int, int]], tuple[int, int]]:
        """(revision, text, spans with current results, visible range): what a check job needs."""
        return self.revision, self.text(), self.store.current_spans(), self.visible_range()

    def apply_results(self, revision: int, results: Iterable[UnitResult]) -> int:
        """Show results computed on `revision`'s text; those whose text changed since are dropped."""
        applied, visible = 0, False
        limit = self.document().characterCount() - 1
        first, last = self.visible_range()
        for r in results:
            span = self._map_span(revision, r.start, r.end)
            if span is None or span[1] > limit or self.text_at(*span) != r.text:
                continue
            self.store.replace_unit(span[0], span[1], r.findings, span[0] - r.start)
            applied += 1
            visible = visible or (span[0] <= last and span[1] >= first)
        if applied:
            if visible:   # most results of a long document are for text off screen: no repaint
                self.viewport().update()
            self.marks_changed.emit()
        return applied

    def forget_results(self) -> None:
        """Options changed: every unit is re-checked; findings stay visible until replaced."""
        for g in self.store.groups:
            g.current = False

    def prune_stale(self) -> None:
        if self.store.prune_stale():
            self.viewport().update()
            self.marks_changed.emit()

    def remove_marks(self, predicate) -> None:
        if self.store.remove_where(predicate):
            self.viewport().update()
            self.marks_changed.emit()

    def is_live(self, mark: Mark) -> bool:
        return any(g is mark.group for g in self.store.groups) and any(m is mark for m in mark.group.marks)

    def apply_suggestion(self, mark: Mark, choice: int = 0) -> bool:
        """Replace the marked text with a suggestion, as one undoable edit. False if the mark is gone."""
        self.card.dismiss()
        if not self.is_live(mark) or self.text_at(mark.start, mark.end) != mark.finding.original:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(mark.start)
        cursor.setPosition(mark.end, QTextCursor.KeepAnchor)
        cursor.insertText(mark.replacements[choice])
        self.setTextCursor(cursor)
        return True

    # --- geometry of underlines ----------------------------------------------------------------
    def visible_range(self) -> tuple[int, int]:
        block = self.firstVisibleBlock()
        first, last = block.position(), block
        offset, height = self.contentOffset(), self.viewport().height()
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= height:
            last, block = block, block.next()
        return first, last.position() + last.length() - 1

    def display_range(self, mark: Mark) -> tuple[int, int] | None:
        """The document range underlined for a mark; an insertion point shows on a nearby word."""
        if mark.start != mark.end:
            return mark.start, mark.end
        block = self.document().findBlock(mark.start)
        span = _insertion_span(mark.start - block.position(), block.text())
        return (block.position() + span[0], block.position() + span[1]) if span else None

    def _block_spans(self, block: QTextBlock) -> list[tuple[Mark, int, int]]:
        """(mark, a, b): the block-relative range drawn for each mark in the block."""
        bpos, blen = block.position(), block.length() - 1
        out = []
        for m in self.store.in_range(bpos - 1, bpos + blen + 1):  # insertion marks may draw on a neighbour word
            span = self.display_range(m)
            if span is not None:
                a, b = max(span[0], bpos) - bpos, min(span[1], bpos + blen) - bpos
                if b > a:
                    out.append((m, a, b))
        return out

    def _rects(self, block: QTextBlock, spans: list[tuple[Mark, int, int]], top: float | None = None
               ) -> list[tuple[Mark, QRectF]]:
        """Viewport rectangles of block spans, one per visual line a span covers."""
        if top is None:
            top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        x0 = self.contentOffset().x()
        layout = block.layout()
        lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        lines = [(line, line.textStart(), line.textStart() + line.textLength()) for line in lines]
        out = []
        for mark, a, b in spans:
            for line, ls, le in lines:
                if ls >= b:
                    break
                lo, hi = max(a, ls), min(b, le)
                if lo < hi:
                    x1, x2 = line.cursorToX(lo)[0], line.cursorToX(hi)[0]
                    out.append((mark, QRectF(min(x1, x2) + x0, top + line.y(), abs(x2 - x1), line.height())))
        return out

    def underlines(self) -> list[Underline]:
        """Everything the editor underlines, in document order (what paintEvent draws when visible)."""
        out = []
        for m in self.store.all():
            span = self.display_range(m)
            if span is not None:
                look = kinds.LOOKS[m.kind]
                out.append(Underline(span[0], span[1], m.kind, look.color, look.line, m))
        return out

    def mark_at_point(self, point: QPoint) -> Mark | None:
        block = self.cursorForPosition(point).block()
        for mark, rect in self._rects(block, self._block_spans(block)):
            if rect.adjusted(-1, 0, 1, 3).contains(QPointF(point)):
                return mark
        return None

    def _mark_rect(self, mark: Mark) -> QRectF | None:
        """Where the mark's underline starts (its first visual line), in viewport coordinates."""
        span = self.display_range(mark)
        block = self.document().findBlock(span[0]) if span else QTextBlock()
        while block.isValid() and block.position() <= span[1]:
            spans = [span for span in self._block_spans(block) if span[0] is mark]
            rects = self._rects(block, spans) if spans else []
            if rects:
                return rects[0][1]
            block = block.next()
        return None

    # --- painting -------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.store.groups:
            return
        width = max(1.0, self.fontMetrics().lineWidth()) * (2.0 if self.thick_underlines else 1.0)
        area = QRectF(event.rect())
        offset = self.contentOffset()
        segments: dict[kinds.Look, list[tuple[float, float, float]]] = {}
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > area.bottom():
                break
            if block.isVisible() and geometry.bottom() >= area.top():
                for mark, rect in self._rects(block, self._block_spans(block), geometry.top()):
                    segments.setdefault(kinds.LOOKS[mark.kind], []).append(
                        (rect.left(), rect.right(), rect.bottom() - 1.5 * width - 0.5))
            block = block.next()
        if segments:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.Antialiasing)
            for look, lines in segments.items():   # one pen and one draw call per look
                draw_underlines(painter, lines, look, width)
            painter.end()

    def set_thick_underlines(self, on: bool) -> None:
        self.thick_underlines = on
        self.viewport().update()

    # --- hover card -----------------------------------------------------------------------------
    def show_card(self, mark: Mark) -> bool:
        rect = self._mark_rect(mark)
        if rect is None or not self.is_live(mark):
            return False
        self._hide_timer.stop()
        at = self.viewport().mapToGlobal(QPoint(int(rect.left()), int(rect.bottom()) + 4))
        self.card.show_for(mark, at)
        return True

    def _show_pending(self) -> None:
        if self._pending is not None:
            self.show_card(self._pending)

    def _hide_unless_hovered(self) -> None:
        if not self.card.underMouse():
            self.card.dismiss()

    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        mark = self.mark_at_point(event.position().toPoint())
        if mark is not None and mark is self.card.mark and self.card.isVisible():
            self._hide_timer.stop()
            return
        self._pending = mark
        if mark is not None:
            self._hover_timer.start()
        else:
            self._hover_timer.stop()
            if self.card.isVisible():
                self._hide_timer.start()

    def keyPressEvent(self, event) -> None:
        if self.card.isVisible():
            self.card.dismiss()
            if event.key() == Qt.Key_Escape:
                event.accept()
                return
        super().keyPressEvent(event)

    # --- context menu ---------------------------------------------------------------------------
    def contextMenuEvent(self, event) -> None:
        self.card.dismiss()
        mark = self.mark_at_point(event.pos())
        menu = self.createStandardContextMenu(event.pos())
        if mark is not None:
            self._add_mark_actions(menu, mark)
        self.menu_about_to_show.emit(menu)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _add_mark_actions(self, menu: QMenu, mark: Mark) -> None:
        first = menu.actions()[0] if menu.actions() else None
        actions = []
        for i, replacement in enumerate(mark.replacements):
            action = QAction(suggestion_text(replacement), menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.setData(("suggestion", i))
            action.triggered.connect(lambda _=False, i=i: self.apply_suggestion(mark, i))
            actions.append(action)
        actions.append(menu.addSeparator())

        def add(text, signal, value, data):
            action = QAction(text, menu)
            action.setData((data, 0))
            action.triggered.connect(lambda _=False: signal.emit(value))
            actions.append(action)

        original = mark.finding.original
        add("Ignore", self.ignore_requested, mark, "ignore")
        if original.strip():
            add(f"Ignore All “{original.strip()}”", self.ignore_all_requested, mark, "ignore_all")
        if mark.kind is Kind.SPELLING and original.strip() and not any(c.isspace() for c in original.strip()):
            add(f"Add “{original.strip()}” to Dictionary", self.add_word_requested, mark, "add_word")
        add(f"Turn Off {kinds.label(mark.kind)} Checking", self.disable_kind_requested, mark.kind, "disable_kind")
        separator = QAction(menu)
        separator.setSeparator(True)
        actions.append(separator)
        for action in actions:
            menu.insertAction(first, action)

    def fix_all(self, kind: Kind) -> int:
        """Apply the first suggestion of every issue of `kind`, as one undoable edit."""
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        fixed, limit = 0, self.document().characterCount()
        # Back to front: an edit never moves the marks before it, which are still to be applied.
        for mark in reversed([m for m in self.store.all() if m.kind is kind]):
            if mark.end > limit or self.text_at(mark.start, mark.end) != mark.finding.original:
                continue
            cursor.setPosition(mark.start)
            cursor.setPosition(mark.end, QTextCursor.KeepAnchor)
            cursor.insertText(mark.replacements[0])
            fixed, limit = fixed + 1, mark.start
        cursor.endEditBlock()
        return fixed

    # --- navigation -----------------------------------------------------------------------------
    def goto_issue(self, step: int) -> Mark | None:
        """Select the next (step > 0) or previous issue after the cursor, wrapping; show its card."""
        marks = self.store.all()
        if not marks:
            return None
        cursor = self.textCursor()
        if step > 0:
            key = cursor.selectionStart() + (1 if cursor.hasSelection() else 0)
            mark = next((m for m in marks if m.start >= key), marks[0])
        else:
            mark = next((m for m in reversed(marks) if m.start < cursor.selectionStart()), marks[-1])
        self.select_mark(mark)
        return mark

    def select_mark(self, mark: Mark) -> bool:
        """Select the marked text, scroll to it and show its card."""
        if not self.is_live(mark):
            return False
        cursor = self.textCursor()
        cursor.setPosition(mark.start)
        cursor.setPosition(mark.end, QTextCursor.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.setFocus()
        return self.show_card(mark)

    # --- zoom and fonts -------------------------------------------------------------------------
    def set_base_font(self, font: QFont) -> None:
        self.base_font = QFont(font)
        self.set_zoom(self.zoom)

    def set_zoom(self, steps: int) -> None:
        self.zoom = max(-8, min(40, steps))
        font = QFont(self.base_font)
        font.setPointSizeF(max(4.0, self.base_font.pointSizeF() + self.zoom))
        self.setFont(font)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))

    # --- drag and drop of files -----------------------------------------------------------------
    @staticmethod
    def _dropped_files(mime) -> list[str]:
        if not mime.hasUrls():
            return []
        urls = mime.urls()
        return [u.toLocalFile() for u in urls] if urls and all(u.isLocalFile() for u in urls) else []

    def dragEnterEvent(self, event) -> None:
        if self._dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if self._dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        files = self._dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            super().dropEvent(event)
