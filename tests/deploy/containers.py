"""Containers of the deploy test: `docker run` with the run's label (scripts/test_deploy.py removes whatever carries
it), health, logs, and the measurements the run reports."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from email.message import Message

from scripts.redis_local import answers_ping
from tests.deploy import layout


def docker(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([layout.DOCKER, *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args[:3])}...: {result.stderr.strip()}")
    return result


def record(key: str, value: str) -> None:
    """A measurement for scripts/test_deploy.py's report."""
    path = os.environ.get("POLICYLENS_DEPLOY_REPORT")
    if path:
        report = json.loads(open(path).read()) if os.path.exists(path) else {}
        report[key] = value
        with open(path, "w") as out:
            json.dump(report, out)


def get(url: str, timeout: float = 60) -> tuple[int, Message, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.headers, response.read()


def run_id() -> str:
    return secrets.token_hex(3)


@dataclass
class Container:
    name: str
    image: str
    args: list[str]
    url: str = ""
    started: float = 0.0
    command: list[str] = field(default_factory=list)  # empty: the image's own CMD

    def start(self) -> Container:
        self.started = time.monotonic()
        docker("run", "-d", "--name", self.name, "--label", f"{layout.LABEL}=1", *self.args, self.image, *self.command)
        return self

    def inspect(self, template: str) -> str:
        return docker("inspect", "-f", template, self.name).stdout.strip()

    def logs(self) -> str:
        result = docker("logs", self.name, check=False)
        return result.stdout + result.stderr

    def _wait(self, ready, what: str, timeout: float) -> float:
        """Seconds from `docker run` until ``ready()``; an OSError means not yet, unless the container exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if ready():
                    return time.monotonic() - self.started
            except OSError:
                if self.inspect("{{.State.Running}}") != "true":
                    raise AssertionError(f"{self.name} exited:\n{self.logs()[-3000:]}") from None
                time.sleep(0.1)
        raise AssertionError(f"{self.name} {what} within {timeout:.0f} s:\n{self.logs()[-3000:]}")

    def wait_healthy(self, timeout: float = 120) -> float:
        """Seconds from `docker run` to the first "ok" of /_stcore/health at the container's url."""

        def ok() -> bool:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.read().decode().strip() == "ok"

        return self._wait(ok, "not healthy", timeout)

    def wait_redis(self, port: int, timeout: float = 30) -> float:
        """Seconds from `docker run` until the Redis in the container answers PING on 127.0.0.1:``port``."""
        return self._wait(lambda: answers_ping(port, timeout=1), "did not answer PING", timeout)

    def wait_docker_healthy(self, timeout: float = 60) -> float:
        """Seconds from `docker run` until Docker's own health check (the image's HEALTHCHECK) says healthy."""
        deadline = time.monotonic() + timeout
        while (status := self.inspect("{{.State.Health.Status}}")) != "healthy":
            assert status == "starting" and time.monotonic() < deadline, (
                status,
                self.inspect("{{json .State.Health}}"),
            )
            time.sleep(0.2)
        return time.monotonic() - self.started

    def remove(self) -> None:
        docker("rm", "-f", self.name, check=False)
