"""Danish dates and times in Europe/Copenhagen."""

from datetime import UTC, date, datetime

from facilitator.timefmt import danish_date, danish_datetime, epoch_ms


def test_danish_date_and_time_in_copenhagen():
    winter = datetime(2026, 2, 25, 12, 5, tzinfo=UTC)
    summer = datetime(2026, 6, 30, 21, 30, tzinfo=UTC)
    assert danish_datetime(winter) == "25. feb. 2026 kl. 13.05"
    assert danish_datetime(summer) == "30. jun. 2026 kl. 23.30"
    assert danish_date(date(2026, 5, 1)) == "1. maj 2026"
    # Late on 31 Dec UTC is already New Year in Copenhagen.
    assert danish_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1. jan. 2027"


def test_epoch_ms_treats_naive_as_utc():
    assert epoch_ms("1970-01-01T00:00:01") == 1000
    assert epoch_ms(None) is None
