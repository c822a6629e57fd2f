"""Checking in the background without ever blocking the editor.

The model runs in a separate process (app.checking.serve): its Python code then never holds the
editor's GIL, so typing stays smooth even when the machine is busy. A reader thread passes the
process's messages to the GUI thread through a queued Qt signal. The Scheduler turns edits into
jobs (debounced) and results into underlines.
"""
from __future__ import annotations

import itertools
import multiprocessing
import pickle
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app import checking
from app.checking import Batch, Job, ModelState
from edgemodel import CheckOptions

PROGRESS_SECONDS = 0.25   # update the progress shown no more often than this


class CheckService(QObject):
    """The checking process for one model directory, shared by all editors of this app."""
    batch = Signal(object)         # checking.Batch          (emitted in the GUI thread)
    model_state = Signal(object)   # checking.ModelState     (emitted in the GUI thread)
    _received = Signal(bytes)      # a pickled message, from the reader thread (queued)

    _services: dict[str, "CheckService"] = {}

    @classmethod
    def get(cls, model_dir: str | Path | None = None) -> "CheckService":
        key = str(Path(model_dir).resolve()) if model_dir else ""
        service = cls._services.get(key)
        if service is None or service.dead:
            service = cls._services[key] = cls(model_dir)
        return service

    @classmethod
    def stop_all(cls) -> None:
        for service in cls._services.values():
            service.stop()
        cls._services.clear()

    def __init__(self, model_dir: str | Path | None):
        super().__init__()
        context = multiprocessing.get_context("spawn")   # never fork a process that runs Qt threads
        self._jobs = context.Queue()
        self._jobs.cancel_join_thread()   # never hang the editor's exit on a dead checking process
        self._results, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=checking.serve, name="proofline-checker", daemon=True,
                                       args=(self._jobs, sender, str(model_dir) if model_dir else None))
        self.process.start()
        sender.close()   # only the child writes: its exit then reads as end-of-file here
        self.state: ModelState | None = None   # None while the model loads
        self.dead = False
        self._clients = itertools.count(1)
        self._received.connect(self._dispatch, Qt.QueuedConnection)
        threading.Thread(target=self._read, name="proofline-results", daemon=True).start()

    def new_client(self) -> int:
        return next(self._clients)

    def submit(self, job: Job) -> None:
        if not self.dead:
            self._jobs.put(job)   # never blocks: a feeder thread writes to the pipe

    def stop(self, timeout: float = 3.0) -> None:
        if self.process.is_alive():
            self._jobs.put(None)
            self.process.join(timeout)
            if self.process.is_alive():
                self.process.terminate()
        self.dead = True

    def _read(self) -> None:
        """Reader thread: waits for messages (without the GIL) and passes the bytes on. Unpickling
        happens in the GUI thread, so this thread holds the GIL only for an instant."""
        while True:
            try:
                data = self._results.recv_bytes()
            except (EOFError, OSError):
                break
            self._received.emit(data)
        self._received.emit(b"")   # end of file: the process has exited

    def _dispatch(self, data: bytes) -> None:
        message = pickle.loads(data) if data else None
        if isinstance(message, Batch):
            self.batch.emit(message)
        elif isinstance(message, ModelState):
            self.state = message
            self.model_state.emit(message)
        elif message is None:
            self.dead = True
            if self.state is None or self.state.available:
                self.process.join(1.0)
                self.state = ModelState(False, f"the checking process stopped (exit code {self.process.exitcode})")
                self.model_state.emit(self.state)


class Scheduler(QObject):
    """Turns edits into jobs (debounced) and the checking process's results into underlines."""
    state_changed = Signal()   # busy / progress / model availability changed

    def __init__(self, editor, options: Callable[[], tuple[CheckOptions, frozenset[str]]],
                 model_dir: str | Path | None = None, debounce_ms: int = 250):
        super().__init__(editor)
        self.editor = editor
        self._options = options
        self.service = CheckService.get(model_dir)
        self.client = self.service.new_client()
        self.service.batch.connect(self._on_batch)
        self.service.model_state.connect(self._on_model_state)
        self._connected = True
        self.model: ModelState | None = self.service.state   # None while the model loads
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms, timeout=self.check_now)
        editor.document().contentsChange.connect(self._edited)
        editor.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.generation = 0
        self.busy = False
        self.done = self.total = 0
        self._job_id = 0
        self._last_progress = 0.0

    def start(self) -> None:
        self.check_now()

    def stop(self) -> None:
        self._timer.stop()
        if self._connected:
            self._connected = False
            self.service.batch.disconnect(self._on_batch)
            self.service.model_state.disconnect(self._on_model_state)

    @property
    def idle(self) -> bool:
        """Nothing to do: the model is loaded (or unavailable), no edit waits, no job runs."""
        return self.model is not None and not self.busy and not self._timer.isActive()

    def check_now(self) -> None:
        self._timer.stop()
        if self.model is not None and not self.model.available:
            return
        revision, text, known, focus = self.editor.snapshot()
        options, ignored = self._options()
        self._job_id += 1
        self.service.submit(Job(self.client, self._job_id, self.generation, revision, text, known, focus, options,
                                ignored))
        self.busy, self.done, self.total = True, 0, 0
        self.state_changed.emit()

    def options_changed(self) -> None:
        """Re-check everything with new options (cheap: the checker caches the model's output)."""
        self.generation += 1
        self.editor.forget_results()
        self.check_now()

    def _edited(self, *_) -> None:
        self._timer.start()

    def _scrolled(self, _) -> None:
        if self.busy:
            self._timer.start()   # steer the running check to what is now visible

    def _on_batch(self, batch: Batch) -> None:
        if batch.client != self.client or batch.generation != self.generation:
            return
        self.editor.apply_results(batch.revision, batch.results)
        if batch.job != self._job_id:
            return
        self.done, self.total = batch.done, batch.total
        if batch.final:
            self.busy = False
            if batch.revision == self.editor.revision:
                self.editor.prune_stale()   # all units are current now: the rest is no longer text
        if batch.final or time.monotonic() - self._last_progress >= PROGRESS_SECONDS:
            self._last_progress = time.monotonic()
            self.state_changed.emit()

    def _on_model_state(self, state: ModelState) -> None:
        self.model = state
        if not state.available:
            self.busy = False
        self.state_changed.emit()
