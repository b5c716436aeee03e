"""The controls: creating workshops, navigating the program, step actions, downloads."""

from __future__ import annotations

import csv
import io

from exercises.scale import Scale
from tests.conftest import join, make_workshop, post


def test_create_from_program_lists_its_steps(teacher, workshop):
    html = teacher.get(f"/w/{workshop['id']}").get_data(as_text=True)
    assert "Information og drøftelse" in html and "Mødekultur" in html
    assert f"/p/{workshop['code']}" in html


def test_create_with_unknown_program_says_so(teacher):
    resp = post(teacher, "/workshops", {"program": "../../etc/passwd", "title": "x"}, page="/")
    assert resp.status_code == 302
    assert "findes ikke" in teacher.get("/").get_data(as_text=True)


def test_empty_workshop_and_adding_a_step(teacher):
    ws = make_workshop(teacher, program="")
    resp = post(
        teacher, f"/w/{ws['id']}/steps", {"kind": "scale", "title": "", "text": ""}, page="/"
    )
    assert resp.status_code == 302
    assert "«Udsagn» mangler" in teacher.get(f"/w/{ws['id']}").get_data(as_text=True)
    post(teacher, f"/w/{ws['id']}/steps", {"kind": "scale", "text": "Er vi enige?"}, page="/")
    assert "Er vi enige?" not in teacher.get(f"/w/{ws['id']}").get_data(as_text=True)
    post(teacher, f"/w/{ws['id']}/go/0", page="/")
    assert "Er vi enige?" in teacher.get(f"/w/{ws['id']}").get_data(as_text=True)


def test_navigation_bounds(teacher, workshop):
    assert post(teacher, f"/w/{workshop['id']}/go/99", page="/").status_code == 422
    assert post(teacher, f"/w/{workshop['id']}/go/-1", page="/").status_code == 200
    resp = post(teacher, f"/w/{workshop['id']}/go/0", page="/")
    assert resp.status_code == 200 and "Velkommen" in resp.get_data(as_text=True)


def test_step_actions_and_unknown_action(teacher, workshop):
    resp = post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    import re

    act = re.search(r'hx-post="([^"]+/act/)close"', resp.get_data(as_text=True)).group(1)
    assert "Åbn for svar igen" in post(teacher, act + "close", page="/").get_data(as_text=True)
    assert post(teacher, act + "dance", page="/").status_code == 422


def test_results_csv_is_excel_friendly(app, teacher, workshop):
    code = workshop["code"]
    phones = [join(app, code, f"P{i}") for i in range(5)]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    import re

    sid = re.search(r"/s/(\d+)", phones[0].get(f"/j/{code}/fragment").get_data(as_text=True))
    for phone in phones:
        post(phone, f"/j/{code}/s/{sid.group(1)}", {"value": "4"}, page=f"/j/{code}")
    resp = teacher.get(f"/w/{workshop['id']}/results.csv")
    body = resp.data.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0] == ["trin", "titel", "øvelse", "bord", "spørgsmål", "svar"]
    statement = "Hvor enig er du i, at sagen skal drøftes i MED-udvalget, før beslutningen træffes?"
    assert ["2", "Information og drøftelse", Scale.title, "", statement, "Enig: 5"] in rows
    assert "attachment" in resp.headers["Content-Disposition"]


def test_a_hall_lists_its_first_hundred_and_everyone_answered_for(app, teacher, workshop):
    """The controls are pushed on every join: a hall's names are one click away instead."""
    from facilitator import workshops as domain
    from facilitator.db import db
    from facilitator.models import Workshop
    from facilitator.screens import ROSTER_MAX

    with app.app_context():
        ws = db.get(Workshop, workshop["id"])
        for n in range(ROSTER_MAX + 4):
            domain.join(ws, f"Deltager {n:03d}")
        domain.join(ws, "Bent uden telefon", proxy=True)
    total = ROSTER_MAX + 5
    controls = teacher.get(f"/w/{workshop['id']}/fragment").text
    assert f"Deltagere ({total})" in controls
    assert "Deltager 099" in controls and "Deltager 100" not in controls
    assert "svar for Bent uden telefon" in controls  # answered for: always at hand
    assert f"Se alle {total} deltagere" in controls

    page = teacher.get(f"/w/{workshop['id']}/participants")
    assert page.status_code == 200 and f"Alle deltagere ({total})" in page.text
    assert "Deltager 103" in page.text and "svar for Bent uden telefon" in page.text


def test_a_course_room_lists_everyone_and_strangers_see_no_list(app, teacher, workshop):
    for name in ("Åse", "Bjørn"):
        join(app, workshop["code"], name)
    controls = teacher.get(f"/w/{workshop['id']}/fragment").text
    assert "Åse" in controls and "Bjørn" in controls and "Se alle" not in controls
    stranger = app.test_client()
    assert stranger.get(f"/w/{workshop['id']}/participants").status_code in (302, 401, 404)
