"""Reading and writing documents: encoding detection on the way in, atomic writes on the way out.

Nothing here guesses silently: bytes that are not UTF-8 (or a BOM-marked Unicode encoding) are
reported as `NotText` with a suggested encoding, and the caller asks the user.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from edgemodel.userdata import atomic_write

SNIFF_BYTES = 64 * 1024
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: same prefix
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_TEXT_CONTROLS = set(b"\t\n\r\f\b\x1b")


@dataclass(frozen=True)
class TextFile:
    """How a document maps to bytes on disk, so saving writes it back the way it came."""
    path: Path | None = None
    encoding: str = "utf-8"
    newline: str = "\n"

    @property
    def name(self) -> str:
        return self.path.name if self.path else "Untitled"


@dataclass(frozen=True)
class Loaded:
    text: str            # with "\n" line ends, as the editor holds it
    file: TextFile
    exact: bool          # False if saving it back would not reproduce the original bytes


class NotText(Exception):
    """The file is not UTF-8 text; `encoding` is what it most likely is, for the user to confirm."""

    def __init__(self, path: Path, reason: str, encoding: str, binary: bool):
        super().__init__(reason)
        self.path, self.reason, self.encoding, self.binary = path, reason, encoding, binary


def _guess_legacy(data: bytes) -> str:
    """Best single-byte guess: Windows-1252 if every byte is defined there, else Latin-1 (never fails)."""
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 4:
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
    return None


def detect(path: Path, data: bytes) -> str:
    """The encoding to decode `data` with, or raise NotText (binary or not UTF-8)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:SNIFF_BYTES]
    if b"\0" in sample:
        utf16 = _utf16_without_bom(sample)
        if utf16:
            raise NotText(path, "it looks like UTF-16 text without a byte-order mark", utf16, binary=False)
        raise NotText(path, "it looks like a binary file, not text (it contains NUL bytes)", "latin-1", binary=True)
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if sample and controls > 0.1 * len(sample):
        raise NotText(path, "it looks like a binary file, not text (it is full of control bytes)", "latin-1",
                      binary=True)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        guess = _guess_legacy(data)
        raise NotText(path, f"it is not valid UTF-8 (byte 0x{data[e.start]:02X} at offset {e.start})", guess,
                      binary=False) from None
    return "utf-8"


def _newline(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    return max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"), key=lambda t: t[0])[1] if (crlf or cr) else "\n"


def encode(text: str, file: TextFile) -> bytes:
    """Bytes for `text` (which uses "\\n" line ends) in the file's encoding and line-end style.
    Raises UnicodeEncodeError if the text holds characters the encoding cannot store."""
    if file.newline != "\n":
        text = text.replace("\n", file.newline)
    return text.encode(file.encoding)


def decode(path: Path, data: bytes, encoding: str) -> Loaded:
    text = data.decode(encoding)
    newline = _newline(text)
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    file = TextFile(path, encoding, newline)
    try:
        exact = encode(normalized, file) == data
    except UnicodeEncodeError:
        exact = False
    return Loaded(normalized, file, exact)


def load(path: Path, encoding: str | None = None) -> Loaded:
    """Read a document. Without `encoding`, detect it (raising NotText for the caller to ask about).
    OSError propagates (missing file, no permission)."""
    data = Path(path).read_bytes()
    return decode(Path(path), data, encoding or detect(Path(path), data))


def save(file: TextFile, data: bytes) -> None:
    """Write atomically: on any failure the file on disk is left exactly as it was (OSError raised)."""
    assert file.path is not None
    atomic_write(file.path, data)


ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (with BOM)", "utf-16": "UTF-16", "utf-32": "UTF-32",
                  "utf-16-le": "UTF-16 (little-endian)", "utf-16-be": "UTF-16 (big-endian)",
                  "cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


def encoding_name(encoding: str) -> str:
    return ENCODING_NAMES.get(encoding, encoding)
