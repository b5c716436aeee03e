"""A countdown on any step: started, paused, extended and cleared by the instructor."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from facilitator import countdown
from facilitator.kinds import Rejected
from tests.conftest import join, make_workshop, post

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)  # kl. 10.00 in Copenhagen


def test_start_pause_resume_add_and_clear_keep_the_kinds_state():
    state = {"open": True}
    started = countdown.apply(state, "countdown_start", {"minutes": "15"}, NOW)
    assert started["open"] is True
    shown = countdown.shown(started, NOW)
    assert shown["ends"] == "kl. 10.15" and not shown["paused"]
    later = NOW + timedelta(minutes=5)
    paused = countdown.apply(started, "countdown_pause", {}, later)
    assert countdown.shown(paused, later)["paused_left"] == 10 * 60 * 1000
    resumed = countdown.apply(paused, "countdown_resume", {}, later + timedelta(minutes=30))
    assert countdown.shown(resumed, later)["ends"] == "kl. 10.45"
    more = countdown.apply(
        resumed, "countdown_add", {"minutes": "5"}, later + timedelta(minutes=30)
    )
    assert countdown.shown(more, later)["ends"] == "kl. 10.50"
    assert countdown.apply(more, "countdown_clear", {}, NOW) == {"open": True}
    assert countdown.apply(state, "reveal", {}, NOW) is None  # the kind's own action


@pytest.mark.parametrize(
    ("minutes", "message"), [("x", "som et tal"), ("0", "mellem 1"), ("241", "mellem 1")]
)
def test_bad_minutes_get_a_danish_message(minutes, message):
    with pytest.raises(Rejected, match=message):
        countdown.apply({}, "countdown_start", {"minutes": minutes}, NOW)


def test_pausing_nothing_is_refused():
    with pytest.raises(Rejected, match="ingen nedtælling"):
        countdown.apply({}, "countdown_pause", {}, NOW)


def test_every_screen_counts_down_to_the_same_deadline(app, teacher):
    ws = make_workshop(teacher)
    post(teacher, f"/w/{ws['id']}/go/0", page="/")
    phone = join(app, ws["code"], "Pia")
    controls = teacher.get(f"/w/{ws['id']}/fragment").text
    start = re.search(r'hx-post="([^"]+/act/countdown_start)"', controls).group(1)
    assert post(teacher, start, {"minutes": "15"}, page="/").status_code == 200
    deadlines = set()
    for html in (
        teacher.get(f"/w/{ws['id']}/fragment").text,
        teacher.get(f"/p/{ws['code']}/fragment").text,
        phone.get(f"/j/{ws['code']}/fragment").text,
    ):
        assert 'data-testid="step-countdown"' in html
        deadlines |= set(re.findall(r'data-deadline="(\d+)"', html))
    assert len(deadlines) == 1
    refused = post(teacher, start, {"minutes": "nul"}, page="/")
    assert refused.status_code == 422 and "som et tal" in refused.text


def test_a_countdown_to_a_clock_time_ends_then_in_copenhagen():
    started = countdown.apply({}, "countdown_start", {"until": "10.15"}, NOW)
    assert countdown.shown(started, NOW)["ends"] == "kl. 10.15"
    # 23.30 UTC is 0.30 the next day in Copenhagen: "0.45" is fifteen minutes away.
    night = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    late = countdown.apply({}, "countdown_start", {"until": "0.45"}, night)
    ends = countdown.shown(late, night)["deadline_ms"]
    assert ends == int((night + timedelta(minutes=15)).timestamp() * 1000)
    for until, message in [
        ("9.00", "allerede over kl. 9.00"),
        ("23.59", "højst vare 240"),
        ("25.00", "klokkeslæt"),
        ("<b>", "klokkeslæt"),
    ]:
        with pytest.raises(Rejected, match=message):
            countdown.apply({}, "countdown_start", {"until": until}, NOW)
