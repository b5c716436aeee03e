"""Read links over HTTP: a kommune link sees all, an area link only its subtree, a plan's own
token only its plan; revoked and expired links get a Danish page; no names from workshops."""

from __future__ import annotations

import csv
import io

import pytest

from facilitator.db import db
from facilitator.plans.models import ActionPlan
from tests.conftest import post
from tests.plan_room import ROW, send

from .conftest import make_link, make_plan, row

EVERY = ("Skole A", "Skole B", "Ældre C", "Dagtilbud D", "Dagtilbud E")


@pytest.fixture
def links(teacher, org, round_id, plans) -> dict[str, str]:
    return {
        "kommune": make_link(teacher, org["Testkommune"], label="KommuneMED"),
        "nord": make_link(teacher, org["Nord"], label="AfdelingsMED Nord"),
    }


def export_places(client, path: str) -> set[str]:
    body = client.get(path).get_data().decode("utf-8-sig")
    return {r["Sted"] for r in csv.DictReader(io.StringIO(body), delimiter=";")}


def test_a_kommune_link_sees_every_place_and_plan(app, links, plans):
    reader = app.test_client()  # no account, no session
    resp = reader.get(links["kommune"])
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store" and "noindex" in resp.headers["X-Robots-Tag"]
    assert "Læseadgang for <strong>KommuneMED</strong>" in html
    assert all(f'data-place="{name}"' in html for name in EVERY)
    assert "Trivselsmåling og APV 2026" in html
    for key in ("a", "b", "syd"):
        page = reader.get(f"{links['kommune']}/planer/{plans[key]}")
        assert page.status_code == 200, key
    a = reader.get(f"{links['kommune']}/planer/{plans['a']}").get_data(as_text=True)
    assert "✓ Planen er færdig" in a and "Nord › Skole A" in a and "<form" not in a
    b = reader.get(f"{links['kommune']}/planer/{plans['b']}").get_data(as_text=True)
    assert "Det mangler planen:" in b and "tovholder" in b.split("Det mangler planen:")[1]
    assert reader.get(f"{links['kommune']}/print").status_code == 200
    assert export_places(reader, f"{links['kommune']}/export.csv") == {
        "Nord › Skole A", "Nord › Skole B", "Syd",
    }  # fmt: skip
    # No edit controls and no instructor links on a reader's page.
    assert "<form" not in html and "/org/places/" not in html and "Log ud" not in html


def test_an_area_link_sees_only_its_subtree(app, org, links, plans):
    reader = app.test_client()
    nord = links["nord"]
    html = reader.get(nord).get_data(as_text=True)
    assert all(f'data-place="{n}"' in html for n in ("Skole A", "Skole B", "Ældre C"))
    assert "Dagtilbud" not in html and 'data-place="Syd"' not in html
    assert 'data-testid="total-complete">1</span> af 3 steder' in html
    # Plans outside: 404, whatever the id.
    assert reader.get(f"{nord}/planer/{plans['a']}").status_code == 200
    for key in ("syd", "old"):
        resp = reader.get(f"{nord}/planer/{plans[key]}")
        assert resp.status_code == 404 and "Planen findes ikke her." in resp.get_data(as_text=True)
    # Zooming out of the subtree is ignored; print and exports keep to it.
    for path in (f"{nord}?sted={org['Testkommune']}", f"{nord}?sted={org['Syd']}"):
        assert "Dagtilbud" not in reader.get(path).get_data(as_text=True)
    assert "Dagtilbud" not in reader.get(f"{nord}/print?sted={org['Syd']}").get_data(as_text=True)
    assert export_places(reader, f"{nord}/export.csv?sted={org['Testkommune']}") == {
        "Nord › Skole A", "Nord › Skole B",
    }  # fmt: skip
    assert export_places(reader, f"{nord}/export.csv?runde=0") == {
        "Nord › Skole A", "Nord › Skole B",
    }  # fmt: skip
    # Zooming in works: one workplace.
    html = reader.get(f"{nord}?sted={org['Skole B']}").get_data(as_text=True)
    assert 'data-place="Skole B"' in html and 'data-place="Skole A"' not in html


def test_a_plan_token_sees_only_its_plan(app, org, links, plans):
    with app.app_context():
        plan = db.get(ActionPlan, plans["a"])
        view, edit = plan.view_token, plan.edit_token
    reader = app.test_client()
    assert reader.get(f"/plan/v/{view}").status_code == 200
    # A plan's token is no read link, and opens no other plan.
    for token in (view, edit):
        resp = reader.get(f"/org/r/{token}")
        assert resp.status_code == 404 and "Linket findes ikke." in resp.get_data(as_text=True)
        assert reader.get(f"/org/r/{token}/planer/{plans['b']}").status_code == 404
        assert reader.get(f"/org/r/{token}/export.csv").status_code == 404
    # And a read link's token is no plan token.
    token = links["kommune"].rsplit("/", 1)[-1]
    assert reader.get(f"/plan/v/{token}").status_code == 404
    assert reader.get(f"/plan/{token}").status_code == 404


def test_revoked_and_expired_links_get_a_danish_page(app, teacher, org, links, monkeypatch):
    reader = app.test_client()
    # Expiry: the link works through its last day, and is gone the day after.
    short = make_link(teacher, org["Syd"], label="AfdelingsMED Syd", expires_on="2026-12-31")
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-12-31")
    assert reader.get(short).status_code == 200
    monkeypatch.setenv("FACILITATOR_TODAY", "2027-01-01")
    resp = reader.get(short)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 410 and "Linket udløb 31. dec. 2026." in html
    assert 'lang="da"' in html and "Bed den, der sendte det, om et nyt." in html
    assert reader.get(f"{short}/export.xlsx").status_code == 410
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-06-20")
    # Revoked: at once, on every page of the link.
    page = teacher.get(f"/org/places/{org['Nord']}").get_data(as_text=True)
    link_id = page.split('id="link-', 1)[1].split('"', 1)[0]
    assert post(teacher, f"/org/links/{link_id}/revoke", page="/org/").status_code == 302
    for path in ("", "/print", "/export.csv", "/planer/1"):
        resp = reader.get(links["nord"] + path)
        assert resp.status_code == 410, path
        assert "Linket er lukket." in resp.get_data(as_text=True)
    assert reader.get(links["kommune"]).status_code == 200  # the other link still works
    page = teacher.get(f"/org/places/{org['Nord']}").get_data(as_text=True)
    assert "lukket" in page and links["nord"] not in page
    # Unknown: 404 in Danish.
    resp = reader.get("/org/r/" + "x" * 43)
    assert resp.status_code == 404 and "Linket findes ikke." in resp.get_data(as_text=True)


def test_link_expiry_is_chosen_within_limits(app, teacher, org, monkeypatch):
    monkeypatch.setenv("FACILITATOR_TODAY", "2026-06-01")
    page = teacher.get(f"/org/places/{org['Nord']}").get_data(as_text=True)
    assert 'name="expires_on" type="date" value="2027-06-01"' in page  # a year by default
    for value, message in (
        ("2026-05-31", "«Virker til og med» skal være i dag eller senere."),
        ("2030-01-01", "Et læselink kan højst virke i tre år."),
        ("i morgen", "«Virker til og med» skal være en dato"),
    ):
        resp = post(teacher, f"/org/places/{org['Nord']}/links", {"expires_on": value})
        assert message in teacher.get(resp.location).get_data(as_text=True), value


def test_readers_never_see_participants_or_the_workshop(app, teacher, org, room, round_id):
    """The room's phones (Pia, Kim) write plan rows on the day; their group is Skole A."""
    with app.app_context():
        from facilitator.models import Workshop

        workshop = db.get(Workshop, room["id"])
        workshop.title = title = "Kursusdag på Hotel Hemmelig"
        db.commit()
        group_ids = [g.id for g in workshop.groups]
    form = {f"group-{group_ids[0]}": org["Skole A"], f"group-{group_ids[1]}": org["Skole B"]}
    assert post(teacher, f"/org/knyt/workshop/{room['id']}", form, page="/").status_code == 302
    send(room["pia"], room, "/items", {**ROW, "deadline": "2026-06-01"})
    send(room["kim"], room, "/items", {"activity": "Trivselsdialog", "tovholder": "Leder"})
    link = make_link(teacher, org["Testkommune"], label="KommuneMED")
    reader = app.test_client()
    pages = [reader.get(link).get_data(as_text=True)]
    with app.app_context():
        made = list(db.scalars(db.query(ActionPlan).filter_by(workshop_id=room["id"]).statement))
        assert {p.place_id for p in made} == {org["Skole A"], org["Skole B"]}
        ids = [p.id for p in made]
    pages += [reader.get(f"{link}/planer/{i}").get_data(as_text=True) for i in ids]
    pages.append(reader.get(f"{link}/print").get_data(as_text=True))
    pages.append(reader.get(f"{link}/export.csv").get_data().decode("utf-8-sig"))
    assert "Lydabsorbenter i frokoststuen" in pages[1] + pages[2]
    assert "Åse Ørum" in "".join(pages)  # the tovholder is part of the plan
    for text in pages:
        for name in ("Pia", "Kim", "Ole", title):
            assert name not in text, name


def test_plans_made_by_a_linked_group_belong_to_its_place(app, teacher, org, room):
    with app.app_context():
        from facilitator.models import Workshop

        group_ids = [g.id for g in db.get(Workshop, room["id"]).groups]
    send(room["pia"], room, "/items", ROW)  # before the link: Bord 1's plan, no place yet
    form = {f"group-{group_ids[0]}": org["Ældre C"]}
    resp = post(teacher, f"/org/knyt/workshop/{room['id']}", form, page="/")
    assert "1 af gruppernes planer fulgte med" in teacher.get(resp.location).get_data(as_text=True)
    form = {f"group-{group_ids[1]}": org["Dagtilbud E"]}
    post(teacher, f"/org/knyt/workshop/{room['id']}", form, page="/")
    send(room["kim"], room, "/items", ROW)  # after the link: Bord 2's plan starts at its place
    with app.app_context():
        made = db.query(ActionPlan).filter_by(workshop_id=room["id"]).all()
        assert {p.group_name: p.place_id for p in made} == {
            "Bord 1": org["Ældre C"], "Bord 2": org["Dagtilbud E"],
        }  # fmt: skip
    # The connect page moves a plan to another place, or out of the tree.
    bord1 = next(p.id for p in made if p.group_name == "Bord 1")
    resp = post(teacher, "/org/knyt/planer", {f"plan-{bord1}": org["Skole A"]}, page="/")
    assert "1 plan er knyttet om." in teacher.get(resp.location).get_data(as_text=True)
    post(teacher, "/org/knyt/planer", {f"plan-{bord1}": ""}, page="/")
    with app.app_context():
        assert db.get(ActionPlan, bord1).place_id is None
    # Someone else's place or plan is ignored.
    other = make_plan(app, None, "Ikke din", [row("x")])
    post(teacher, "/org/knyt/planer", {f"plan-{other}": org["Skole A"], f"plan-{bord1}": "999"})
    with app.app_context():
        assert db.get(ActionPlan, other).place_id is None
        assert db.get(ActionPlan, bord1).place_id is None
