"""Where the sentences are: split a document into checkable sentences with character offsets,
leaving out what is not prose (code blocks, inline code, URLs, e-mail addresses)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Text the model must not touch: issues overlapping these spans are dropped.
_PROTECTED = re.compile(
    r"`[^`\n]+`"                                   # inline code
    r"|\b(?:https?|ftp)://[^\s<>()\"']+[^\s<>()\"'.,;:!?]"  # URLs
    r"|\bwww\.[^\s<>()\"']+[^\s<>()\"'.,;:!?]"
    r"|(?i:\b(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|io|uk|info|biz|dev|app)\b)"   # bare domains: "usflight.org.uk"
    r"(?:/[^\s<>()\"']*[^\s<>()\"'.,;:!?])?"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"           # e-mail addresses
    r"|\]\([^)\s]*\)"                              # Markdown link targets
    r"|<[^<>\n]{1,200}>"                           # HTML tags / autolinks
)
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_BLOCK_START = re.compile(r"^[ \t]*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\|)")
_SENTENCE_END = re.compile(r"""[.!?…]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "cf", "fig",
                  "no", "vol", "approx", "dept", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun",
                  "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "a.m", "p.m", "al"}
# Longer "sentences" (a list, a line without a full stop) are cut into pieces of about this size: a
# bound on what one edit re-checks. The checker cuts model-sized pieces of its own.
MAX_SENTENCE_CHARS = 2000


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str  # text[start:end] of the document, as the model should see it (same length)
    opens_paragraph: bool = False   # the first sentence of a block (paragraph, list item, heading)


def protected_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED.finditer(text)]


def _blocks(text: str):
    """(start, end) of prose blocks: paragraphs and Markdown block items, code fences left out."""
    pos, in_fence, start = 0, False, None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        line_start, pos = pos, pos + len(line)
        if _FENCE.match(body):
            if start is not None:
                yield start, line_start
                start = None
            in_fence = not in_fence
            continue
        if in_fence or not body.strip() or body.startswith(("    ", "\t")) and start is None:
            if start is not None:
                yield start, line_start
                start = None
            continue
        # A new line continues the paragraph only if it reads as a wrapped continuation.
        stripped = body.lstrip()
        continuation = start is not None and not _BLOCK_START.match(body) and (stripped[0].islower() or stripped[0] in ",;:)")
        if start is not None and not continuation:
            yield start, line_start
            start = None
        if start is None:
            start = line_start
    if start is not None:
        yield start, len(text)


def _split_long(start: int, chunk: str):
    """Cut an over-long sentence at word boundaries (preferring punctuation)."""
    while len(chunk) > MAX_SENTENCE_CHARS:
        window = chunk[:MAX_SENTENCE_CHARS]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(": "))
        if cut < MAX_SENTENCE_CHARS // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_SENTENCE_CHARS - 1
        yield start, chunk[:cut + 1]
        start, chunk = start + cut + 1, chunk[cut + 1:]
    yield start, chunk


def _model_text(s: str) -> str:
    """Same length as `s`: newlines and control characters become spaces, lone surrogates U+FFFD."""
    return "".join(" " if (c < " " or c == "\x7f") else "\ufffd" if "\ud800" <= c <= "\udfff" else c for c in s)


def split_sentences(text: str) -> list[Sentence]:
    out = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        cuts = [0]
        for m in _SENTENCE_END.finditer(block):
            word = re.search(r"(\S+)$", block[:m.start() + 1])
            w = word.group(1).lower().rstrip(".!?…") if word else ""
            if w.lstrip("\"'(“‘") in _ABBREVIATIONS or re.fullmatch(r"[A-Za-z]", w):
                continue
            cuts.append(m.end())
        cuts.append(len(block))
        for a, b in zip(cuts, cuts[1:]):
            piece = block[a:b]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if not piece:
                continue
            for k, (s, chunk) in enumerate(_split_long(b_start + a + lead, piece)):
                chunk_stripped = chunk.rstrip()
                if chunk_stripped:
                    out.append(Sentence(s, s + len(chunk_stripped), _model_text(chunk_stripped), a == 0 and k == 0))
    return out
