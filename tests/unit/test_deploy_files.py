"""The deploy files checked without a container engine (issue 23): the Compose file against the Compose
specification's schema and as the layout `make test-deploy` runs, the Kubernetes manifest against a current
Kubernetes release's schemas and as docs/deploy.md describes it, and the three Dockerfiles through hadolint.

`make test-deploy` (tests/deploy/) builds and runs them; these are the quick checks every `make test` makes.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest

from tests.deploy import layout

DOCS = (layout.REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
HEALTH = "/_stcore/health"


def _services() -> dict[str, dict]:
    return layout.load_compose()["services"]


def _apps() -> dict[str, dict]:
    return {name: s for name, s in _services().items() if s.get("build", {}).get("dockerfile") == "deploy/Dockerfile"}


def _resources() -> dict[str, dict]:
    return {doc["kind"] + "/" + doc["metadata"]["name"]: doc for doc in layout.load_kubernetes()}


def test_compose_file_follows_the_compose_specification():
    # check-jsonschema ships the specification's schema (vendor.compose-spec) with its licence.
    schema_file = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(layout.load_compose())
    ]
    assert errors == []
    # The schema catches a misspelt key: the check is not vacuous.
    broken = layout.load_compose()
    broken["services"]["nginx"]["network-mode"] = "host"
    assert not validator.is_valid(broken)


def test_compose_file_is_the_layout_the_deploy_test_runs():
    """Two replicas on the host's network, each on its own 127.0.0.1 port, and nginx in front with exactly those
    ports as its upstreams; every key is one tests/deploy/layout.py runs (or knowingly leaves to Compose)."""
    services, apps = _services(), _apps()
    assert len(apps) == 2 and set(services) == {*apps, "nginx", "redis"}
    ports = sorted(layout.compose_port(s) for s in apps.values())
    upstreams = sorted(int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+) ", layout.NGINX_CONF.read_text()))
    assert ports == upstreams and len(set(ports)) == 2
    env = {"POLICYLENS_COOKIE_SECRET": "x" * 64}
    for name, service in services.items():
        args = layout.compose_run_args(
            service, env, {p: p + 1000 for p in ports}, {"./nginx.conf": "generated-nginx.conf"}
        )
        assert args[:2] == ["--network", "host"], name
    for app in apps.values():
        assert app["environment"]["STREAMLIT_SERVER_ADDRESS"] == "127.0.0.1"  # only nginx reaches a replica
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
        # The presenter's rooms: every replica reads the same Redis, the one beside them on the host's network.
        assert app["environment"]["POLICYLENS_REDIS_URL"] == "${POLICYLENS_REDIS_URL:-redis://127.0.0.1:6379/0}"
    assert services["redis"]["build"] == {"context": ".", "dockerfile": "redis.Dockerfile"}
    assert '--bind", "127.0.0.1"' in (layout.DEPLOY / "redis.Dockerfile").read_text()
    nginx = services["nginx"]
    assert nginx["build"] == {"context": ".", "dockerfile": "nginx.Dockerfile"}
    assert nginx["volumes"] == ["./nginx.conf:/etc/nginx/nginx.conf:ro"]
    assert set(nginx["depends_on"]) == set(apps)
    with pytest.raises(KeyError):  # no secret, no start: the replicas must share one
        layout.compose_run_args(next(iter(apps.values())), {}, {p: p for p in ports}, {})


def test_compose_replicas_run_as_the_kubernetes_manifest_runs_them():
    pod = _resources()["Deployment/policylens"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    mounts = sorted(m["mountPath"] for m in container["volumeMounts"])
    for app in _apps().values():
        assert app["user"] == f"{pod['securityContext']['runAsUser']}:{pod['securityContext']['runAsGroup']}"
        assert app["read_only"] is container["securityContext"]["readOnlyRootFilesystem"] is True
        assert sorted(t.split(":")[0] for t in app["tmpfs"]) == mounts
        assert app["cap_drop"] == container["securityContext"]["capabilities"]["drop"] == ["ALL"]
        assert "no-new-privileges:true" in app["security_opt"]


def test_kubernetes_manifest_validates_against_a_current_release():
    version = kubernetes_validate.utils.latest_version()
    assert tuple(map(int, version.split(".")[:2])) >= (1, 33), version
    resources = _resources()
    assert set(resources) == {
        "Deployment/policylens",
        "Service/policylens",
        "Ingress/policylens",
        "Ingress/policylens-limited",
        "HorizontalPodAutoscaler/policylens",
        "Deployment/policylens-redis",
        "Service/policylens-redis",
    }
    for resource in resources.values():
        kubernetes_validate.validate(resource, version, strict=True)
    # Strict validation rejects a key Kubernetes does not know.
    broken = json.loads(json.dumps(resources["Deployment/policylens"]))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, version, strict=True)


def test_kubernetes_manifest_is_what_the_deploy_page_describes():
    resources = _resources()
    pod = resources["Deployment/policylens"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": "http"}, probe
    assert HEALTH in DOCS and "startup, readiness and liveness probes" in DOCS
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 10001
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    assert "read-only root file system" in DOCS and "uid 10001" in DOCS
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert {m["mountPath"]: "emptyDir" in volumes[m["name"]] for m in container["volumeMounts"]} == {
        "/tmp": True,  # noqa: S108 (the container's path)
        "/home/policylens": True,
    }
    assert container["resources"] == {
        "requests": {"cpu": "1", "memory": "512Mi"},
        "limits": {"cpu": "1", "memory": "1Gi"},
    }
    assert "one core and 512 MiB (limit 1 GiB)" in DOCS

    main = resources["Ingress/policylens"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert {k.removeprefix(prefix): v for k, v in main.items()}.items() >= {
        "affinity": "cookie",
        "session-cookie-name": "policylens_route",
        "session-cookie-samesite": "Lax",
        "session-cookie-secure": "true",
        "proxy-read-timeout": "86400",
        "proxy-send-timeout": "86400",
        "proxy-buffering": "off",
    }.items()
    for phrase in ("affinity: cookie", "policylens_route", "Secure", "SameSite=Lax", "no proxy buffering"):
        assert phrase in DOCS, phrase
    limited = resources["Ingress/policylens-limited"]
    assert limited["metadata"]["annotations"][prefix + "limit-rps"] == "5"
    assert limited["metadata"]["annotations"][prefix + "session-cookie-name"] == "policylens_route"
    paths = [p["path"] for rule in limited["spec"]["rules"] for p in rule["http"]["paths"]]
    assert paths == ["/preview.png", "/api/"]
    hpa = resources["HorizontalPodAutoscaler/policylens"]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 12)
    assert hpa["metrics"][0]["resource"]["target"]["averageUtilization"] == 60
    assert hpa["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 600
    assert hpa["behavior"]["scaleDown"]["policies"] == [{"type": "Pods", "value": 1, "periodSeconds": 300}]
    assert "2 to 12 replicas at 60 % CPU" in DOCS


def test_kubernetes_deployment_becomes_the_containers_the_deploy_test_runs():
    args = layout.kubernetes_run_args({"STREAMLIT_SERVER_PORT": "9999"}, {("policylens", "cookie-secret"): "s"})
    joined = " ".join(args)
    for part in ("--network host", "--user 10001:10001", "--read-only", "--cap-drop ALL",
                 "--security-opt no-new-privileges:true", "--tmpfs /tmp:", "--tmpfs /home/policylens:",
                 "-e STREAMLIT_SERVER_COOKIE_SECRET=s", "-e STREAMLIT_SERVER_PORT=9999"):  # fmt: skip
        assert part in joined, part


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "nginx.Dockerfile", "redis.Dockerfile"])
def test_dockerfiles_are_hadolint_clean(dockerfile):
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([str(hadolint), str(layout.DEPLOY / dockerfile)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_users_image_has_nothing_of_the_test_build():
    """The default base is the official slim Python image; the test's base, CA bundle and caches come in only as
    build arguments, a secret and a cache mount, none of which is part of the image."""
    text = (layout.DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG BASE=python:3\.11-slim-bookworm$", text, re.M)
    assert re.search(r"^FROM \$\{BASE\}$", text, re.M)
    assert re.search(r"^USER 10001:10001$", text, re.M) and "HEALTHCHECK" in text
    assert "/opt/venv" in text
    for leak in ("policylens-test", "ca-certificates.crt", "--network", "test-deploy"):
        assert leak not in text.replace("`make test-deploy`", ""), leak
    assert "--mount=type=secret,id=pip_cert" in text and "--mount=type=cache,target=/root/.cache/pip" in text
    for other in ("nginx.Dockerfile", "redis.Dockerfile"):  # debian:bookworm-slim unless the test passes its base
        text = (layout.DEPLOY / other).read_text(encoding="utf-8")
        assert text.count("ARG BASE=debian:bookworm-slim") == 1 and re.search(r"^FROM \$\{BASE\}$", text, re.M), other
        for leak in ("policylens-test", "ca-certificates.crt", "--network", "test-deploy"):
            assert leak not in text.replace("`make test-deploy`", ""), (other, leak)


def test_nginx_conf_runs_with_the_tests_ports():
    conf = layout.nginx_conf({8501: 40001, 8502: 40002}, 40000)
    assert "server 127.0.0.1:40001 " in conf and "server 127.0.0.1:40002 " in conf
    assert "listen 127.0.0.1:40000;" in conf and "access_log /dev/stdout routed;" in conf
    assert not re.search(r"server 127\.0\.0\.1:850[12] ", conf)


def test_redis_runs_with_the_tests_port():
    """The deploy test runs redis.Dockerfile's own command with only the port moved to its free one."""
    command = layout.redis_command(40003)
    assert command[:5] == ["redis-server", "--bind", "127.0.0.1", "--port", "40003"]
    assert command[5:] == ["--save", "", "--appendonly", "no", "--protected-mode", "yes"]
