"""The server proof tests need PostgreSQL, Redis and nginx: say loudly what was not tested."""

from __future__ import annotations

import os
import sys

import pytest

from tests.server.cluster import missing_services

_said: list[str] = []


@pytest.fixture(scope="session")
def server_services() -> None:
    """Skip (or, in CI, fail) with one loud line when a service of the real set-up is missing."""
    missing = missing_services()
    if not missing:
        return
    line = (
        "!!! NOT TESTED: server mode through nginx, PostgreSQL and Redis "
        f"(missing: {', '.join(missing)}) !!!"
    )
    if os.environ.get("CI"):
        pytest.fail(line)
    if not _said:
        _said.append(line)
        print(f"\n{line}", file=sys.__stderr__, flush=True)
    pytest.skip(line)
