"""Debian's redis-server on 127.0.0.1 for `make cluster` and the tests that need one (issue 22: the presenter's
rooms across replicas). It keeps nothing on disk: a restarted Redis is empty, and the presenter view writes its room
again within a second (components/presenter.py), which is what the stop-and-start test checks.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_ping(port: int, timeout: float = 0.5) -> bool:
    """Whether a Redis on 127.0.0.1:``port`` answers PING; raises OSError when nothing accepts the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")


class LocalRedis:
    """One redis-server on a port of 127.0.0.1 (free unless given), its log under ``folder``."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder = Path(folder)
        self.port = port or _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> LocalRedis:
        if not Path(REDIS_SERVER).exists():
            raise RuntimeError("redis-server is missing: run scripts/setup.sh --nginx (Debian's redis-server).")
        self.folder.mkdir(parents=True, exist_ok=True)
        cmd = [
            REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
            "--dir", str(self.folder), "--protected-mode", "yes", "--daemonize", "no",
        ]  # fmt: skip
        with open(self.folder / "redis.log", "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.folder / 'redis.log'}")
            try:
                if answers_ping(self.port):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer within {timeout} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
