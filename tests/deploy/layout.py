"""The deploy files as `docker run` arguments: what `make test-deploy` runs, read from the files users run.

``deploy/compose.yaml``'s services and ``deploy/kubernetes.yaml``'s Deployment become the arguments of
``docker run``, so the test runs the layout the files describe and not a copy of it (Debian's Compose is 1.29, which
rejects the file, and no Kubernetes runs here). Everything runs on the host's network and listens on 127.0.0.1 only:
the ports are the test's own free ones. A key these functions do not know fails the test, rather than running a
layout other than the file's. tests/unit/test_deploy_files.py runs them on the files in `make test` as well.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
KUBERNETES = DEPLOY / "kubernetes.yaml"
NGINX_CONF = DEPLOY / "nginx.conf"
REDIS_DOCKERFILE = DEPLOY / "redis.Dockerfile"
# Debian's engine, when installed: its client matches the daemon and builds with BuildKit without the buildx plugin.
DOCKER = os.environ.get("DOCKER") or ("/usr/bin/docker" if Path("/usr/bin/docker").exists() else shutil.which("docker"))
LABEL = "org.policylens.test-deploy"

# Compose keys the test applies, and those it knowingly leaves to Compose (restart policy, start order: the test
# waits for health itself; build and image: the runner builds each service's Dockerfile with the test base).
COMPOSE_APPLIED = {"network_mode", "user", "read_only", "tmpfs", "cap_drop", "security_opt", "deploy", "environment",
                   "volumes"}  # fmt: skip
COMPOSE_LEFT = {"image", "build", "restart", "depends_on"}


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def load_kubernetes() -> list[dict]:
    return [doc for doc in yaml.safe_load_all(KUBERNETES.read_text(encoding="utf-8")) if doc]


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}`` against ``env``."""

    def one(found: re.Match) -> str:
        name, op, rest = found.group(1), found.group(2), found.group(3) or ""
        if env.get(name):
            return env[name]
        if op == ":?":
            raise KeyError(f"{name}: {rest}")
        return rest if op == ":-" else ""

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}", one, str(value))


def compose_port(service: dict) -> int | None:
    port = (service.get("environment") or {}).get("STREAMLIT_SERVER_PORT")
    return int(port) if port is not None else None


def compose_run_args(service: dict, env: dict[str, str], ports: dict[int, int], mounts: dict[str, str]) -> list[str]:
    """``docker run`` options for a compose service: its settings as written, its port moved by ``ports`` and its
    bind-mounted files replaced by ``mounts`` (source as written in the file -> a file of the test's)."""
    unknown = set(service) - COMPOSE_APPLIED - COMPOSE_LEFT
    assert not unknown, f"compose.yaml uses {sorted(unknown)}, which tests/deploy/layout.py does not run"
    assert service.get("network_mode") == "host", "every service runs on the host's network"
    args = ["--network", "host"]
    if "user" in service:
        args += ["--user", str(service["user"])]
    if service.get("read_only"):
        args.append("--read-only")
    for tmpfs in service.get("tmpfs", []):
        args += ["--tmpfs", tmpfs]
    for cap in service.get("cap_drop", []):
        args += ["--cap-drop", cap]
    for opt in service.get("security_opt", []):
        args += ["--security-opt", opt]
    deploy = service.get("deploy") or {}
    assert set(deploy) <= {"resources"} and set(deploy.get("resources", {})) <= {"limits"}, deploy
    limits = deploy.get("resources", {}).get("limits", {})
    assert set(limits) <= {"cpus", "memory"}, limits
    if "cpus" in limits:
        args += ["--cpus", str(limits["cpus"])]
    if "memory" in limits:
        args += ["--memory", str(limits["memory"])]
    for name, value in (service.get("environment") or {}).items():
        value = interpolate(value, env)
        if name == "STREAMLIT_SERVER_PORT":
            value = str(ports[int(value)])
        args += ["-e", f"{name}={value}"]
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        assert source in mounts, f"no test file for the volume {volume}"
        args += ["-v", ":".join([mounts[source], target, *mode])]
    return args


def _bytes(quantity: str) -> int:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 10**3, "M": 10**6, "G": 10**9}
    for unit, factor in units.items():
        if quantity.endswith(unit):
            return int(quantity[: -len(unit)]) * factor
    return int(quantity)


def kubernetes_run_args(env_extra: dict[str, str], secrets: dict[tuple[str, str], str]) -> list[str]:
    """``docker run`` options for the Deployment's container as the kubelet would run it: its user, read-only root,
    capabilities, no privilege escalation, emptyDir volumes as tmpfs owned by the pod's user, resource limits and
    environment (secrets from ``secrets`` by (name, key)), plus ``env_extra`` (the test's port and address)."""
    deployment = next(d for d in load_kubernetes() if d["kind"] == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    pod_security, security = pod.get("securityContext", {}), container.get("securityContext", {})
    known_pod = {"runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "seccompProfile"}
    known = {"allowPrivilegeEscalation", "readOnlyRootFilesystem", "capabilities"}
    assert set(pod_security) <= known_pod and set(security) <= known, (pod_security, security)
    user = pod_security["runAsUser"]
    args = ["--network", "host", "--user", f"{user}:{pod_security.get('runAsGroup', user)}"]
    if pod_security.get("fsGroup") is not None:
        args += ["--group-add", str(pod_security["fsGroup"])]
    if security.get("readOnlyRootFilesystem"):
        args.append("--read-only")
    for cap in security.get("capabilities", {}).get("drop", []):
        args += ["--cap-drop", cap]
    if security.get("allowPrivilegeEscalation") is False:
        args += ["--security-opt", "no-new-privileges:true"]
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        assert set(volume) == {"name", "emptyDir"}, volume
        size = volume["emptyDir"].get("sizeLimit")
        # An emptyDir is writable by the pod's user; Docker's tmpfs takes no mode here, so it belongs to that user.
        options = f"uid={user},gid={pod_security.get('fsGroup', user)}" + (f",size={_bytes(size)}" if size else "")
        args += ["--tmpfs", f"{mount['mountPath']}:{options}"]
    limits = container.get("resources", {}).get("limits", {})
    if "cpu" in limits:
        args += ["--cpus", str(limits["cpu"])]
    if "memory" in limits:
        args += ["--memory", str(_bytes(limits["memory"]))]
    for item in container.get("env", []):
        if "value" in item:
            value = item["value"]
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            value = secrets[(ref["name"], ref["key"])]
        if item["name"] not in env_extra:
            args += ["-e", f"{item['name']}={value}"]
    for name, value in env_extra.items():
        args += ["-e", f"{name}={value}"]
    return args


def nginx_conf(ports: dict[int, int], listen: int) -> str:
    """deploy/nginx.conf with the replicas' ports moved by ``ports``, listening on 127.0.0.1:``listen``, and a log
    line that names each request's upstream and route cookie (the failover test reads which replica holds a page)."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    text, servers = re.subn(
        r"server 127\.0\.0\.1:(\d+) ", lambda m: f"server 127.0.0.1:{ports[int(m.group(1))]} ", text
    )
    assert servers == len(ports), f"nginx.conf has {servers} upstream servers, compose.yaml {len(ports)} replicas"
    text, listens = re.subn(r"listen \d+;", f"listen 127.0.0.1:{listen};", text)
    assert listens == 1, "nginx.conf has one listen directive"
    routed = (
        "log_format routed '$remote_addr \"$request\" $status upstream=$upstream_addr route=$cookie_policylens_route';"
    )
    text, logs = re.subn(r"access_log /dev/stdout;", f"{routed}\n    access_log /dev/stdout routed;", text)
    assert logs == 1, "nginx.conf logs to /dev/stdout"
    return text


def redis_command(port: int) -> list[str]:
    """deploy/redis.Dockerfile's CMD with its port moved to ``port``: the same redis-server options (127.0.0.1 only,
    nothing on disk), on the test's free port of the host's network."""
    found = re.findall(r"^CMD (\[.*\])$", REDIS_DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert len(found) == 1, "redis.Dockerfile has one CMD, in exec form"
    command = json.loads(found[0])
    assert command[0] == "redis-server" and command.count("--port") == 1, command
    at = command.index("--port") + 1
    assert command[command.index("--bind") + 1] == "127.0.0.1", command
    return [*command[:at], str(port), *command[at + 1 :]]
