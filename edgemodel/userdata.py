"""What a user keeps between runs: checking settings, personal dictionary, ignore list.

Stored as JSON where platformdirs says (shared by the app and the CLI); written atomically.
`PROOFLINE_HOME` overrides both directories (tests, portable installs).
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import platformdirs

from edgemodel.options import CheckOptions

APP = "proofline"


def config_dir() -> Path:
    home = os.environ.get("PROOFLINE_HOME")
    return Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    home = os.environ.get("PROOFLINE_HOME")
    return Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP, appauthor=False))


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file beside `path`, fsync, then rename: a crash leaves the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default  # missing or damaged: start from defaults rather than refuse to run


@dataclass
class Settings:
    threshold: float = CheckOptions.threshold  # minimum confidence of an issue to be shown
    dialect: str = CheckOptions.dialect        # en-US or en-GB: which spelling variants are suggested
    disabled_kinds: list[str] = field(default_factory=list)  # Kind values the user turned off
    extra: dict = field(default_factory=dict)  # front-end settings (fonts, underline style...)

    @classmethod
    def load(cls) -> "Settings":
        raw = _read_json(config_dir() / "settings.json", {})
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known}) if isinstance(raw, dict) else cls()

    def save(self) -> None:
        atomic_write(config_dir() / "settings.json", json.dumps(asdict(self), indent=2).encode())


class WordList:
    """A persisted set of strings (personal dictionary, ignore-all list)."""

    def __init__(self, name: str):
        self.path = data_dir() / f"{name}.json"
        raw = _read_json(self.path, [])
        self.words: set[str] = set(raw) if isinstance(raw, list) else set()

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def add(self, word: str) -> None:
        self.words.add(word)
        atomic_write(self.path, json.dumps(sorted(self.words), ensure_ascii=False, indent=0).encode())

    def remove(self, word: str) -> None:
        self.words.discard(word)
        atomic_write(self.path, json.dumps(sorted(self.words), ensure_ascii=False, indent=0).encode())


def in_dictionary(original: str, dictionary) -> bool:
    """Is this flagged text a single word of the personal dictionary (as written or lower-cased)?"""
    word = original.strip(" \t.,;:!?\"'()")
    return bool(word) and not any(c.isspace() for c in word) and (word in dictionary or word.lower() in dictionary)


def personal_dictionary() -> WordList:
    return WordList("dictionary")


def ignore_list() -> WordList:
    return WordList("ignored")
