"""Fixtures of the organisation tests: a kommune imported through the page, plans placed in it.

The tree (tests/org/med.csv's shape):

    Testkommune (Kommune)
      Nord (Område): Skole A, Skole B, Ældre C
      Syd (Område): Dagtilbud D, Dagtilbud E
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from facilitator.db import db
from facilitator.org.models import Place
from facilitator.plans.items import ItemInput, add_item
from facilitator.plans.service import create_plan
from facilitator.timefmt import COPENHAGEN
from tests.conftest import post
from tests.mail_server import smtp  # noqa: F401  (a shared fixture: a real SMTP server)
from tests.plan_room import room  # noqa: F401  (a fixture)

MED_CSV = (
    "Kommune;Område;Arbejdsplads\n"
    "Testkommune;Nord;Skole A\n"
    "Testkommune;Nord;Skole B\n"
    "Testkommune;Nord;Ældre C\n"
    "Testkommune;Syd;Dagtilbud D\n"
    "Testkommune;Syd;Dagtilbud E\n"
)


def upload(client, data: bytes | str, name: str = "med.csv"):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return post(
        client, "/org/import", {"file": (io.BytesIO(data), name)}, page="/org/",
        content_type="multipart/form-data",
    )  # fmt: skip


@pytest.fixture
def org(app, teacher) -> dict[str, int]:
    """The kommune imported by the instructor; place ids by name."""
    resp = upload(teacher, MED_CSV)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        return {p.name: p.id for p in db.scalars(select(Place))}


def row(activity: str, *, stage: int = 0, deadline: date | None = None, tovholder: str = "Åse",
        theme: str = "Støj") -> dict:  # fmt: skip
    return {"activity": activity, "stage": stage, "deadline": deadline, "tovholder": tovholder,
            "theme": theme}  # fmt: skip


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The clock of these tests: 20 June 2026, ten days before the round's deadline (a test
    may move it). Plans are judged on a fixed day, whatever the machine's date."""
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-06-20")


def make_plan(
    app, place_id: int | None, title: str, rows: list[dict], *, made: date | None = None,
    by: str = "Pia Deltager", last_followup: date | None = None,
    next_followup: date | None = date(2026, 9, 1),
) -> int:  # fmt: skip
    """A plan at a place, with rows (added by `by`, so its history names them). It has a next
    follow-up meeting and a view link, as a complete APV plan must."""
    with app.app_context():
        plan = create_plan(title, "Bord 1")
        plan.place_id = place_id
        plan.last_followup = last_followup
        plan.next_followup = next_followup
        for r in rows:
            data = ItemInput(r["theme"], r["activity"], r["tovholder"], r["deadline"], 2, "")
            item = add_item(plan, data, by)
            item.stage = r["stage"]
        if made is not None:
            plan.created_at = datetime.combine(made, time(12), tzinfo=COPENHAGEN)
        db.commit()
        return plan.id


@pytest.fixture
def round_id(app, teacher, org) -> int:
    """«Trivselsmåling og APV 2026» over the whole kommune, made from the page."""
    resp = post(teacher, f"/org/places/{org['Testkommune']}/rounds", {"year": "2026"}, page="/org/")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return int(resp.location.rsplit("/", 1)[-1])


@pytest.fixture
def plans(app, org) -> dict[str, int]:
    """Skole A complete, Skole B started (a row without tovholder), Dagtilbud D complete but
    old (made before the round), Syd's own plan; Ældre C and Dagtilbud E have none."""
    may = date(2026, 5, 20)
    return {
        "a": make_plan(app, org["Skole A"], "Handleplan Skole A", [
            row("Lydabsorbenter", stage=3, deadline=date(2026, 6, 1)),
            row("Trivselsdialog på personalemødet", stage=1, deadline=date(2026, 6, 10)),
        ], made=may, last_followup=date(2026, 6, 15)),
        "b": make_plan(app, org["Skole B"], "Handleplan Skole B", [
            row("Ny mødestruktur", tovholder="", deadline=date(2026, 9, 1)),
        ], made=may),
        "old": make_plan(app, org["Dagtilbud D"], "Handleplan 2023", [
            row("Gammel række", deadline=date(2023, 9, 1)),
        ], made=date(2023, 6, 1)),
        "syd": make_plan(app, org["Syd"], "AfdelingsMED Syd", [
            row("Fælles indsats mod støj", stage=4, deadline=date(2026, 8, 1)),
        ], made=may),
    }  # fmt: skip


def make_link(client, place_id: int, **form) -> str:
    """A read link made on the place's page; returns its path /org/r/<token>."""
    resp = post(client, f"/org/places/{place_id}/links", form, page="/org/")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    html = client.get(resp.location).get_data(as_text=True)
    import re

    found = re.findall(r'data-testid="link-url">[^<]*?(/org/r/[A-Za-z0-9_-]+)<', html)
    assert found, html
    return found[0]
