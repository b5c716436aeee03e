"""A plan's exports: CSV for Danish Excel, XLSX, and an iCalendar feed."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from facilitator import plans
from facilitator.db import db
from facilitator.exports import download
from facilitator.plans import exports as plan_exports

ON = date(2026, 5, 10)


@pytest.fixture
def plan(app):
    with app.test_request_context("/"):
        plan = plans.create_plan("Handleplan for trivsel", "Børnehuset Ærø")
        first = plans.add_item(
            plan,
            plans.read_item_form(
                {
                    "theme": "Støj i frokoststuen",
                    "activity": '=HYPERLINK("http://x")',
                    "tovholder": "Åse Ørum",
                    "deadline": "2026-05-01",
                    "priority": "1",
                    "note": "+45 12 34 56 78",
                }
            ),
            "Pia",
        )
        plans.move_stage(first, 1, first.version, "Pia", decision="Tilbud indhentes")
        second = plans.add_item(
            plan,
            plans.read_item_form({"activity": "Trivselsdialog", "deadline": "2026-06-30"}),
            "Ole",
        )
        plans.move_stage(second, 3, second.version, "Ole")
        plans.add_item(plan, plans.read_item_form({"activity": "-Uden frist"}), "Kim")
        plan.next_followup = date(2026, 6, 15)
        db.commit()
        yield plan
        db.remove()


def export(plan, extension: str, **options):
    """The download a plan page sends: the format from the registry, wrapped as a file."""
    fmt = plan_exports.PLAN_FORMATS.get(extension)
    return download(fmt, plan, plan_exports.filename(plan), **options)


def parse_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_for_danish_excel(plan):
    resp = export(plan, "csv", on=ON)
    assert resp.mimetype == "text/csv"
    assert (
        'filename="handleplan-for-trivsel-boernehuset-aeroe.csv"'
        in resp.headers["Content-Disposition"]
    )
    rows = parse_csv(resp)
    assert rows[0] == plan_exports.HEADER
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Udvalg/gruppe"] == "Børnehuset Ærø"
    assert first["Problem/tema"] == "Støj i frokoststuen" and first["Tovholder"] == "Åse Ørum"
    assert first["Deadline"] == "2026-05-01" and first["Prioritet"] == "Høj"
    assert first["Status"] == "I gang" and first["Trin"] == "2/5"
    assert first["Overskredet"] == "ja" and first["Seneste beslutning"] == "Tilbud indhentes"
    # The formula-injection guard: text that starts like a formula is quoted.
    assert first["Aktivitet"] == '\'=HYPERLINK("http://x")' and first["Note"] == "'+45 12 34 56 78"
    second = dict(zip(rows[0], rows[2], strict=True))
    assert (second["Status"], second["Overskredet"]) == ("Gennemført", "nej")
    third = dict(zip(rows[0], rows[3], strict=True))
    assert third["Aktivitet"] == "'-Uden frist" and third["Deadline"] == ""
    assert len(rows) == 4


def test_xlsx_keeps_text_as_text_and_dates_as_dates(plan):
    resp = export(plan, "xlsx", on=ON)
    book = load_workbook(io.BytesIO(resp.get_data()))
    sheet = book["Handleplan"]
    header = [c.value for c in sheet[1]]
    assert header == plan_exports.HEADER
    first = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert first["Aktivitet"].value == '=HYPERLINK("http://x")'
    assert first["Aktivitet"].data_type == "s"  # never a formula
    assert first["Tovholder"].value == "Åse Ørum"
    assert first["Deadline"].value == datetime(2026, 5, 1) and first["Deadline"].is_date
    assert first["Status"].value == "I gang" and first["Overskredet"].value == "ja"
    assert sheet.max_row == 4 and sheet.freeze_panes == "A2"
    history = book["Historik"]
    entries = [[c.value for c in r] for r in history.iter_rows(min_row=2)]
    assert [e[3] for e in entries] == ["Pia", "Pia", "Ole", "Ole", "Kim"]
    assert entries[1][4:8] == ["Ikke startet", "I gang", None, "Tilbud indhentes"]


def test_ics_feed_of_deadlines_and_follow_up(plan):
    resp = export(plan, "ics", inline=True, view_url="https://kursus.example.dk/plan/v/abc")
    assert resp.content_type == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(resp.get_data())
    assert "Handleplan for trivsel" in str(cal["X-WR-CALNAME"])
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        """Frist: =HYPERLINK("http://x")""",
        "Frist: Trivselsdialog (gennemført)",
        "Opfølgningsmøde: Handleplan for trivsel",
    }
    deadline = events["Frist: Trivselsdialog (gennemført)"]
    assert deadline.decoded("DTSTART") == date(2026, 6, 30)  # an all-day event
    assert deadline.decoded("DTEND") == date(2026, 7, 1)
    first = events["""Frist: =HYPERLINK("http://x")"""]
    assert "Tovholder: Åse Ørum" in str(first["DESCRIPTION"])
    assert "https://kursus.example.dk/plan/v/abc" in str(first["DESCRIPTION"])
    meeting = events["Opfølgningsmøde: Handleplan for trivsel"]
    assert meeting.decoded("DTSTART") == date(2026, 6, 15)
    # Stable ids: a subscribed calendar updates the same events instead of adding new ones.
    again = Calendar.from_ical(export(plan, "ics", inline=True).get_data())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {
        str(e["UID"]) for e in cal.walk("VEVENT")
    }
    assert plan.edit_token not in resp.get_data(as_text=True)
