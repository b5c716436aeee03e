"""limits: the embedded default counts in memory without sweeping every key after each hit."""

from __future__ import annotations

import time

from facilitator import limits


def test_the_embedded_default_counts_in_the_calm_memory_storage(app):
    storage = app.extensions["facilitator_limiter"].limiter.storage
    assert isinstance(storage, limits.CalmMemoryStorage)
    with app.test_request_context("/"):
        assert all(limits.hit("k", "3 per minute") for _ in range(3))
        assert not limits.hit("k", "3 per minute")  # the fourth is refused, not counted
        assert not limits.test("k", "3 per minute")
        limits.clear("k", "3 per minute")
        assert limits.test("k", "3 per minute")


def test_the_sweep_waits_a_second_and_then_frees_what_expired(app):
    storage = app.extensions["facilitator_limiter"].limiter.storage
    storage.SWEEP_S = 0.2  # the same sweep, sooner, so the test need not wait a second
    with app.test_request_context("/"):
        for n in range(50):
            limits.hit(f"phone-{n}", "1 per 1 second")
    # Not swept 10 ms after the hits, as the library's own storage does.
    time.sleep(0.05)
    assert sum(len(events) for events in storage.events.values()) == 50

    def kept() -> int:
        return sum(len(events) for key, events in storage.events.items() if "phone-" in key)

    deadline = time.monotonic() + 5
    while kept() and time.monotonic() < deadline:
        time.sleep(0.1)  # the entries expire after 1 s; a sweep after a later hit frees them
        with app.test_request_context("/"):
            limits.hit("other", "100 per 1 second")
    assert kept() == 0


def test_a_server_counts_in_its_redis_as_configured(app):
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/0"
    assert limits._storage_uri(app) == "redis://127.0.0.1:6379/0"
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    assert limits._storage_uri(app) == "calm-memory://"
