"""Fixtures of the deploy test (tests/deploy/test_image.py): Debian's Chromium as in tests/e2e/, and the images that
scripts/test_deploy.py built (`make test-deploy`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    assert Path(CHROMIUM).exists(), f"The deploy test needs Debian's chromium at {CHROMIUM} (apt-get install chromium)."
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def images() -> dict[str, str]:
    found = {
        "app": os.environ.get("POLICYLENS_DEPLOY_IMAGE"),
        "nginx": os.environ.get("POLICYLENS_DEPLOY_NGINX_IMAGE"),
        "redis": os.environ.get("POLICYLENS_DEPLOY_REDIS_IMAGE"),
    }
    assert all(found.values()), "run the deploy test through `make test-deploy` (scripts/test_deploy.py builds them)"
    return found
