"""`make test-deploy`: build the container images of deploy/ and run them as users would (issue 23).

1. A container engine: Debian's docker.io, installed and started (dockerd, no bridge, no iptables rules) when there
   is none; stopped again at the end when this script started it.
2. A base image made from Debian's own packages once per machine (mmdebstrap, then docker import): no image
   registry is reachable here, so the official python image the Dockerfile defaults to cannot be pulled.
3. deploy/Dockerfile, deploy/nginx.Dockerfile and deploy/redis.Dockerfile built on that base (host network; the
   host's CA bundle as pip's build secret; pip's downloads kept in BuildKit's cache between builds).
4. tests/deploy/test_image.py: the image run as deploy/kubernetes.yaml runs it, then compose.yaml's layout (two
   replicas, nginx and Redis) with a room followed across the replicas and a replica stopped under open pages, in
   Chromium.
5. The image sizes and the time to healthy, and every container of the run removed, on success and on failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy import layout  # noqa: E402

BASE = "policylens-test-base:bookworm"
APP_IMAGE = "policylens-test:app"
NGINX_IMAGE = "policylens-test:nginx"
REDIS_IMAGE = "policylens-test:redis"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
BASE_PACKAGES = "python3,python3-venv,python3-pip,ca-certificates"


def log(message: str) -> None:
    print(f"[test-deploy {time.strftime('%H:%M:%S')}] {message}", flush=True)


def docker(*args: str, check: bool = True, capture: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([layout.DOCKER or "docker", *args], check=check, capture_output=capture, text=True, **kwargs)


def apt_install(*packages: str) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(
            f"make test-deploy needs {' '.join(packages)}: run 'sudo apt-get install {' '.join(packages)}'."
        )
    log(f"installing Debian's {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    apt = shutil.which("apt-get") or "/usr/bin/apt-get"
    subprocess.run([apt, "update", "-qq"], check=True, env=env)
    subprocess.run([apt, "install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=300", *packages], check=True, env=env)


class Engine:
    """The Docker engine: the running one, or a dockerd this script starts (and stops)."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    def up(self) -> None:
        if not Path("/usr/bin/dockerd").exists() and not shutil.which("dockerd"):
            apt_install("docker.io")
            layout.DOCKER = "/usr/bin/docker"
        if docker("info", check=False).returncode == 0:
            log("using the running Docker engine")
            return
        # Every container here uses the host's network: no bridge and no iptables rules to leave behind.
        cmd = [shutil.which("dockerd") or "/usr/bin/dockerd", "--bridge=none", "--iptables=false", "--ip6tables=false"]
        with open(self.workdir / "dockerd.log", "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while docker("info", check=False).returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dockerd did not start: see {self.workdir / 'dockerd.log'}")
            time.sleep(0.5)
        log(f"started dockerd (pid {self.proc.pid})")

    def down(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # it stops the containerd it started, too
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        log("stopped the dockerd this run started")


def ensure_base(workdir: Path) -> None:
    if docker("image", "inspect", BASE, check=False).returncode == 0:
        log(f"base image {BASE} exists")
        return
    if not shutil.which("mmdebstrap"):
        apt_install("mmdebstrap")
    log(f"making {BASE} from Debian's packages (once per machine)")
    started = time.monotonic()
    rootfs = workdir / "rootfs.tar"
    subprocess.run(
        [
            shutil.which("mmdebstrap") or "/usr/bin/mmdebstrap",
            "--quiet",
            "--variant=minbase",
            f"--include={BASE_PACKAGES}",
            "bookworm",
            str(rootfs),
        ],
        check=True,
    )
    docker("import", "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "--change", 'CMD ["bash"]', str(rootfs), BASE)  # fmt: skip
    rootfs.unlink()
    log(f"base made in {time.monotonic() - started:.0f} s")


def build(tag: str, context: Path, dockerfile: Path, workdir: Path) -> float:
    args = ["build", "--network", "host", "--build-arg", f"BASE={BASE}", "--label", f"{layout.LABEL}=1"]
    if CA_BUNDLE.exists():
        args += ["--secret", f"id=pip_cert,src={CA_BUNDLE}"]
    args += ["--progress", "plain", "-f", str(dockerfile), "-t", tag, str(context)]
    started = time.monotonic()
    logfile = workdir / f"build-{tag.replace(':', '-')}.log"
    with open(logfile, "w") as out:
        result = subprocess.run(
            [layout.DOCKER or "docker", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DOCKER_BUILDKIT": "1"},
        )
    if result.returncode != 0:
        print(logfile.read_text()[-4000:], file=sys.stderr)
        raise RuntimeError(f"building {dockerfile.name} failed (log: {logfile})")
    return time.monotonic() - started


def remove_test_containers() -> None:
    ids = docker("ps", "-aq", "--filter", f"label={layout.LABEL}", check=False).stdout.split()
    if ids:
        docker("rm", "-f", *ids, check=False)
        log(f"removed {len(ids)} container(s) left by the run")


def main() -> int:
    # Stopped from outside (CI's time limit, kill): clean up as on a failure.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="policylens-test-deploy-"))
    engine = Engine(workdir)
    report_file = workdir / "report.json"
    rc = 1
    try:
        engine.up()
        ensure_base(workdir)
        services = layout.load_compose()["services"]
        builds = {}
        images = ((APP_IMAGE, services["app-1"]), (NGINX_IMAGE, services["nginx"]), (REDIS_IMAGE, services["redis"]))
        for tag, service in images:
            context = (layout.DEPLOY / service["build"]["context"]).resolve()
            seconds = build(tag, context, context / service["build"]["dockerfile"], workdir)
            builds[tag] = seconds
            log(f"built {tag} from {service['build']['dockerfile']} in {seconds:.0f} s")
        # Images of earlier runs that these builds replaced.
        docker("image", "prune", "-f", "--filter", f"label={layout.LABEL}=1", check=False)
        env = {
            **os.environ,
            "POLICYLENS_DEPLOY_IMAGE": APP_IMAGE,
            "POLICYLENS_DEPLOY_NGINX_IMAGE": NGINX_IMAGE,
            "POLICYLENS_DEPLOY_REDIS_IMAGE": REDIS_IMAGE,
            "POLICYLENS_DEPLOY_REPORT": str(report_file),
            "DOCKER": layout.DOCKER or "docker",
        }
        # One pytest per file: pytest-playwright's parametrised browser tests would otherwise be interleaved across
        # the files, running the image alone and the layout at the same time (and each fixture set up twice).
        rc = 0
        for tests in ("tests/deploy/test_image.py", "tests/deploy/test_layout.py"):
            cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v", tests]
            rc = subprocess.run(cmd, cwd=ROOT, env=env).returncode or rc
        size = int(docker("image", "inspect", "-f", "{{.Size}}", APP_IMAGE).stdout)
        base_size = int(docker("image", "inspect", "-f", "{{.Size}}", BASE).stdout)
        nginx_size = int(docker("image", "inspect", "-f", "{{.Size}}", NGINX_IMAGE).stdout)
        redis_size = int(docker("image", "inspect", "-f", "{{.Size}}", REDIS_IMAGE).stdout)
        report = json.loads(report_file.read_text()) if report_file.exists() else {}
        print("\nmake test-deploy measured:")
        print(f"  app image {size / 1e6:.0f} MB ({(size - base_size) / 1e6:.0f} MB over the {base_size / 1e6:.0f} MB "
              f"Debian-made base); nginx image {nginx_size / 1e6:.0f} MB; "
              f"redis image {redis_size / 1e6:.0f} MB")  # fmt: skip
        print("  builds: " + ", ".join(f"{tag} {seconds:.0f} s" for tag, seconds in builds.items()))
        for key, value in report.items():
            print(f"  {key}: {value}")
        print(f"  make test-deploy took {time.monotonic() - started:.0f} s")
    finally:
        try:
            remove_test_containers()
        finally:
            engine.down()
            shutil.rmtree(workdir, ignore_errors=True)
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
