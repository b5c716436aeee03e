"""gcwatch: the collector is tuned on a server and its pauses are logged when asked."""

from __future__ import annotations

import gc
import logging

import pytest

from facilitator.ops import gcwatch


@pytest.fixture
def restored():
    """Whatever a test does to the collector is undone: it is the whole test process's.

    Unfrozen first too: an app a command-line test made from the environment (GC_TUNE on by
    default) may have frozen this process before.
    """
    gc.unfreeze()
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    if gcwatch._callback in gc.callbacks:
        gc.callbacks.remove(gcwatch._callback)


def test_a_server_freezes_what_start_up_built_and_collects_young_objects_less_often(app, restored):
    app.config["GC_TUNE"] = True
    gcwatch.tune(app)
    assert gc.get_freeze_count() > 10_000  # modules, templates, the app itself
    assert gc.get_threshold()[0] == gcwatch.YOUNG_THRESHOLD


def test_tests_leave_the_collector_alone(app, restored):
    before = gc.get_threshold()
    gcwatch.tune(app)  # TEST_SETTINGS turn it off: tests make many apps
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_long_pauses_are_logged_when_asked(app, restored, caplog):
    app.config["GC_LOG_MS"] = 0  # every pause
    gcwatch.init_app(app)
    gcwatch.init_app(app)  # a second app of the process adds no second callback
    assert gc.callbacks.count(gcwatch._callback) == 1
    with caplog.at_level(logging.WARNING, logger="facilitator.gc"):
        gc.collect()
    assert any(
        "gc pause" in r.getMessage() and "generation 2" in r.getMessage() for r in caplog.records
    )
