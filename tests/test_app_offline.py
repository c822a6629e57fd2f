"""Offline: a whole editing session (start, type, check, save, reopen, quit) opens no network socket,
in the editor's process nor in its checking process."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from app_fixtures import ROOT
from app_fixtures import model_dir  # noqa: F401  (pytest fixture)

# Loaded by every Python process of the session (PYTHONPATH), the checking process included.
SITECUSTOMIZE = textwrap.dedent("""
    import os, socket
    _LOG = os.environ["PROOFLINE_NET_LOG"]

    def _record(what):
        with open(_LOG, "a") as f:
            f.write(f"{os.getpid()} {what}\\n")

    def _refuse(name):
        def refuse(*args, **kwargs):
            _record(f"{name} {args[1:] if name.startswith('socket.') else args}")
            raise OSError(f"network access attempted: {name}")
        return refuse

    _init = socket.socket.__init__
    def _socket_init(self, family=-1, type=-1, proto=-1, fileno=None):
        if family not in (socket.AF_UNIX, -1) or fileno is not None:
            _record(f"socket.__init__ family={family}")
            raise OSError("network access attempted: socket()")
        _init(self, family, type, proto, fileno)

    socket.socket.__init__ = _socket_init
    socket.socket.connect = _refuse("socket.connect")
    socket.socket.connect_ex = _refuse("socket.connect_ex")
    socket.create_connection = _refuse("create_connection")
    socket.getaddrinfo = _refuse("getaddrinfo")
""")

SESSION = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
    from app.qtapp import application
    from app.window import MainWindow
    from app.scheduler import CheckService
    from app_fixtures import ScriptedDialogs
    from edgemodel.userdata import Settings
    Settings(threshold=0.0).save()
    app = application()
    dialogs = ScriptedDialogs()
    window = MainWindow(model_dir={model!r}, dialogs=dialogs)
    window.show()

    def settle(condition, seconds=60):
        end = time.time() + seconds
        while not condition() and time.time() < end:
            app.processEvents()
            time.sleep(0.01)
        assert condition(), "timed out"

    window.editor.insertPlainText("He go to school yesterday and buyed a apple. ")
    settle(lambda: window.scheduler.idle and window.scheduler.total)   # a job ran the model
    window.editor.insertPlainText("Ths is a tset. ")
    settle(lambda: window.scheduler.idle)
    dialogs.save_answer = {path!r}
    assert window.save()
    assert window.open_path({path!r})
    settle(lambda: window.scheduler.idle and window.scheduler.total)
    print("checked", window.scheduler.total, "model", window.scheduler.model.available)
    window.close()
    CheckService.stop_all()
    app.quit()
""")


def test_a_whole_session_opens_no_network_socket(tmp_path, model_dir):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "net.log"
    log.touch()
    env = dict(os.environ, PYTHONPATH=str(site), PROOFLINE_NET_LOG=str(log), QT_QPA_PLATFORM="offscreen",
               PROOFLINE_HOME=str(tmp_path / "home"))
    script = SESSION.format(root=str(ROOT), tests=str(ROOT / "tests"), model=str(model_dir),
                            path=str(tmp_path / "doc.txt"))
    command = [sys.executable, "-c", script]
    trace = tmp_path / "strace.log"
    if shutil.which("strace"):   # also catches sockets opened below Python (Qt, ONNX Runtime)
        command = ["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(trace)] + command
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "model True" in run.stdout and "checked 0" not in run.stdout   # it really checked
    assert log.read_text() == "", "Python code tried to use the network"
    if trace.exists():
        inet = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
        assert not inet, inet
    else:
        pytest.skip("strace not installed: only Python-level socket use was checked")
