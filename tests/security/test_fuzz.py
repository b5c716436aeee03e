"""Hostile input over every route and socket event, from every role: never a 5xx or a traceback.

Bounded to run in about 20-30 s in `make test`; FUZZ_EXAMPLES=5000 (and FUZZ_SECONDS)
for a longer run, FUZZ_SEED to replay one. Set DATABASE_URL to a PostgreSQL server to run
it there too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .fuzz import run
from .world import build, sessions_ok

# The longest file without a browser: started first, so the run does not wait for it at its end.
pytestmark = pytest.mark.long

SEED = int(os.environ.get("FUZZ_SEED", "14"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "700"))
SECONDS = float(os.environ.get("FUZZ_SECONDS", "25"))
REPORT = os.environ.get("FUZZ_REPORT")  # a file for every failure in full


@pytest.mark.timeout(SECONDS + 240)
def test_no_hostile_request_gets_a_server_error(hostile_app, database_url):
    world = build(hostile_app)
    assert sessions_ok(world) == {
        "phone": 200, "instructor": 200, "other_instructor": 404, "plan": 200,
    }  # fmt: skip
    tally = run(world, SEED, EXAMPLES, SECONDS)
    summary = (
        f"{database_url.split(':')[0]}: {tally.requests} requests, {tally.socket_events} socket "
        f"events, {world.rebuilds} rebuilds, statuses {sorted(tally.statuses.items())}, "
        f"{len(tally.failures)} distinct failures (seed {SEED})"
    )
    print(summary)
    report = "\n\n".join(f"{sig}\n  {detail}" for sig, detail in tally.failures.items())
    if REPORT:
        with Path(REPORT).open("a", encoding="utf-8") as out:
            out.write(f"{summary}\n{report}\n\n")
    assert tally.requests > 50, summary  # a fuzzer that sent nothing proves nothing
    assert not tally.failures, f"{summary}\n\n{report}"


def test_the_fuzzer_finds_a_planted_crash_and_a_logged_error(app):
    """A fuzzer that cannot fail proves nothing: plant a 500 and an error in the log."""

    @app.post("/planted/<int:workshop_id>")
    def planted_crash(workshop_id: int):
        raise RuntimeError("planted")

    @app.get("/planted/<code>/log")
    def planted_log(code: str):
        app.logger.error("planted error for %s", code)
        return "looks fine"

    world = build(app)
    tally = run(world, SEED, examples=3000, seconds=120, until=2)
    found = " ".join(tally.failures)
    assert "planted_crash RuntimeError" in found, found
    assert "logged facilitator: planted error" in found, found
