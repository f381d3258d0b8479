"""What the Python tests share: the sijill binary, running a command on a data dir, a free
port, and `sijill serve` started until /health answers and stopped again.

    sys.path.insert(0, str(ROOT / "Tests/support"))
    from sijill_process import SIJILL, sijill, free_port, ServeProcess
"""
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIJILL = os.environ.get("SIJILL") or str(ROOT / ".build/debug/sijill")


def sijill(home, *args, ok=(0,), binary=None):
    """Runs `sijill ARGS --home HOME`; returns stdout, raises if the exit code is not in `ok`."""
    proc = subprocess.run([binary or SIJILL, *args, "--home", str(home)], capture_output=True, text=True)
    if proc.returncode not in ok:
        raise RuntimeError(f"sijill {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """`sijill serve` on a free loopback port, logging to `log_path`; returns once /health is 200."""

    def __init__(self, home, log_path, *extra, binary=None, timeout=30):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = str(log_path)
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [binary or SIJILL, "serve", "--home", str(home), "--host", "127.0.0.1", "--port", str(self.port), *extra],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sijill serve exited {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"sijill serve: /health not 200 within {timeout} s")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.log.closed:
            self.log.close()
