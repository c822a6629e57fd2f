"""Autosave of unsaved buffers to the data directory, and finding what a crashed session left.

Each window session writes one record (JSON) while it has unsaved changes and deletes it when
the changes are saved or deliberately discarded. A record whose session is not running any more
is what a crash left behind: the app offers to restore it.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from edgemodel.userdata import atomic_write, data_dir

_live_sessions: set[str] = set()   # sessions of this process (a test may run several windows)


@dataclass(frozen=True)
class Record:
    session: str
    pid: int
    saved_at: float
    path: str | None      # the document's file, if it had one
    encoding: str
    newline: str
    text: str

    @property
    def file(self) -> Path:
        return autosave_dir() / f"{self.session}.json"


def autosave_dir() -> Path:
    return data_dir() / "autosave"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Autosaver:
    def __init__(self):
        self.session = uuid.uuid4().hex
        _live_sessions.add(self.session)

    @property
    def file(self) -> Path:
        return autosave_dir() / f"{self.session}.json"

    def save(self, text: str, path: str | None, encoding: str, newline: str) -> None:
        record = Record(self.session, os.getpid(), time.time(), path, encoding, newline, text)
        atomic_write(self.file, json.dumps(asdict(record), ensure_ascii=False).encode("utf-8"))

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)

    def close(self) -> None:
        self.discard()
        _live_sessions.discard(self.session)


def orphans() -> list[Record]:
    """Records left by sessions that are not running (newest first); unreadable ones are skipped."""
    found = []
    for file in autosave_dir().glob("*.json"):
        try:
            record = Record(**json.loads(file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        alive = record.session in _live_sessions if record.pid == os.getpid() else _running(record.pid)
        if not alive:
            found.append(record)
    return sorted(found, key=lambda r: r.saved_at, reverse=True)
