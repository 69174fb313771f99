"""The container image for real (issue 23; `make test-deploy` builds it and runs tests/deploy/, `make test` does not):
the image as deploy/kubernetes.yaml runs it. uid 10001, a read-only root file system with temporary folders for /tmp
and the home folder, no capabilities; the chart of /expo?edition=6 in Chromium, a link preview drawn by the image's
chromium, the claims API, and Docker's health check. tests/deploy/test_layout.py runs compose.yaml's layout.
"""

from __future__ import annotations

import json
import secrets
import struct

import pytest
from playwright.sync_api import expect

from scripts.cluster import free_port
from tests.deploy import layout
from tests.deploy.containers import Container, docker, get, record, run_id
from tests.e2e.helpers import wait_idle

BARS = ".st-key-card-expo_bars g.barlayer g.point path"
SLOW = 90_000


@pytest.fixture(scope="module")
def pod(images):
    port = free_port()
    args = layout.kubernetes_run_args(
        {"STREAMLIT_SERVER_ADDRESS": "127.0.0.1", "STREAMLIT_SERVER_PORT": str(port)},
        {("policylens", "cookie-secret"): secrets.token_hex(32)},
    )
    # Docker's health check every second instead of the image's 15 s, so that its verdict comes within the test.
    container = Container(f"policylens-test-pod-{run_id()}", images["app"], [*args, "--health-interval", "1s"])
    container.url = f"http://127.0.0.1:{port}"
    try:
        container.start()
        record("time to healthy (the image run as kubernetes.yaml runs it)", f"{container.wait_healthy():.1f} s")
        seconds = container.wait_docker_healthy()
        record("Docker's HEALTHCHECK healthy after", f"{seconds:.1f} s (checking every 1 s)")
        yield container
    finally:
        container.remove()


def test_runs_as_uid_10001_on_a_read_only_root(pod):
    assert pod.inspect("{{.HostConfig.ReadonlyRootfs}}") == "true"
    assert set(json.loads(pod.inspect("{{json .HostConfig.Tmpfs}}"))) == {"/tmp", "/home/policylens"}  # noqa: S108
    assert json.loads(pod.inspect("{{json .HostConfig.CapDrop}}")) == ["ALL"]
    pid = pod.inspect("{{.State.Pid}}")
    with open(f"/proc/{pid}/status") as status:
        uids = next(line for line in status if line.startswith("Uid:")).split()[1:]
    assert uids == ["10001"] * 4
    write = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text('x')"
    denied = docker("exec", pod.name, "python", "-c", write, "/app/probe", check=False)
    assert denied.returncode != 0 and "Read-only file system" in denied.stderr
    for folder in ("/tmp", "/home/policylens"):  # noqa: S108 (the container's folders)
        docker("exec", pod.name, "python", "-c", write, f"{folder}/probe")
    # The build's CA bundle (a secret) and pip's downloads (a cache mount) left only their empty mount points.
    left = docker("exec", "-u", "0", pod.name, "find", "/run/secrets", "/root/.cache", "-type", "f").stdout
    assert left == "", left


def test_the_expo_view_draws_its_chart(pod, page):
    page.goto(pod.url + "/expo?edition=6")
    wait_idle(page, SLOW)
    expect(page.locator(BARS)).to_have_count(8)
    expect(page.locator(".st-key-expo-detail-6")).to_contain_text("6th CIIE, 2023")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_link_preview_and_the_claims_api_answer(pod):
    status, headers, png = get(pod.url + "/preview.png?page=expo&edition=6", timeout=90)
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1200, 630)
    # Drawn by the image's chromium (not the title card that stands in without one), cached on the tmpfs.
    logs = pod.logs()
    assert "kaleido cannot start" not in logs and "rendering a preview failed" not in logs, logs[-3000:]
    cached = "import pathlib; print(len(list(pathlib.Path('/tmp/policylens-previews').rglob('*.png'))))"
    assert int(docker("exec", pod.name, "python", "-c", cached).stdout) >= 1
    status, headers, body = get(pod.url + "/api/claims.json")
    claims = json.loads(body)
    assert status == 200 and claims["count"] == len(claims["claims"]) > 0
    # Every process of the container, chromium's too, runs as the unprivileged user.
    top = docker("top", pod.name, "-eo", "pid,uid,comm").stdout.splitlines()[1:]
    rows = [row.split() for row in top if row.strip()]
    assert len(rows) > 1 and {row[1] for row in rows} == {"10001"}, rows
    assert "Traceback" not in pod.logs()
