"""The instructor's tree over HTTP: import, add, rename, move, delete, levels, and privacy."""

from __future__ import annotations

from sqlalchemy import func, select

from facilitator.db import db
from facilitator.org.models import Place
from facilitator.plans.models import ActionPlan
from facilitator.views.auth import create_instructor
from tests.conftest import PASSWORD, csrf_token, post

from .conftest import MED_CSV, make_plan, row, upload


def count_places(app) -> int:
    with app.app_context():
        return db.scalar(select(func.count(Place.id)))


def test_import_builds_the_tree_with_the_header_as_levels(app, teacher, org):
    assert len(org) == 8
    with app.app_context():
        levels = {p.name: p.level for p in db.scalars(select(Place))}
    assert levels["Testkommune"] == "Kommune" and levels["Nord"] == "Område"
    assert levels["Ældre C"] == "Arbejdsplads"
    html = teacher.get(f"/org/places/{org['Testkommune']}").get_data(as_text=True)
    assert html.index("Nord") < html.index("Skole A") < html.index("Ældre C") < html.index("Syd")


def test_reimport_merges_and_a_bad_file_changes_nothing(app, teacher, org):
    more = MED_CSV + "testkommune;NORD;Skole F\n"
    resp = upload(teacher, more)
    assert resp.status_code == 302
    html = teacher.get(resp.location).get_data(as_text=True)
    assert "1 nye steder, 8 fandtes i forvejen" in html
    assert count_places(app) == 9
    bad = "Kommune;Område;Arbejdsplads\nTestkommune;Nord;Skole G\nTestkommune;;Skole H\n"
    resp = upload(teacher, bad)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Filen blev ikke importeret." in html and "Intet er ændret" in html
    assert "Linje 3: «Område» er tom, men «Arbejdsplads» er udfyldt." in html
    assert count_places(app) == 9  # Skole G, on a good line, was not imported either
    assert upload(teacher, b"").status_code == 422


def test_add_rename_move_and_delete(app, teacher, org):
    nord, syd = org["Nord"], org["Syd"]
    resp = post(teacher, "/org/places", {"parent_id": nord, "name": "  Skole   Ny "}, page="/org/")
    assert resp.status_code == 302
    with app.app_context():
        new = db.scalar(select(Place).where(Place.name == "Skole Ny"))
        assert new.parent_id == nord and new.level == "Arbejdsplads"  # its siblings' level
        new_id = new.id
    twin = post(teacher, "/org/places", {"parent_id": nord, "name": "skole ny"}, page="/org/")
    assert "Der er allerede et sted, der hedder «skole ny»" in teacher.get(twin.location).get_data(
        as_text=True
    )
    form = {"name": "Skole Nyborg", "level": "Udvalg", "parent_id": syd}
    assert post(teacher, f"/org/places/{new_id}", form, page="/org/").status_code == 302
    with app.app_context():
        moved = db.get(Place, new_id)
        assert (moved.name, moved.level, moved.parent_id) == ("Skole Nyborg", "Udvalg", syd)
    # Not under itself, not under its own children.
    loop = post(teacher, f"/org/places/{nord}", {"name": "Nord", "parent_id": org["Skole A"]})
    assert "Et sted kan ikke flyttes ind under sig selv." in teacher.get(loop.location).get_data(
        as_text=True
    )
    # A place with places under it stays; a leaf goes, and its plans stay without a place.
    refused = post(teacher, f"/org/places/{syd}/delete", page="/org/")
    assert "har steder under sig" in teacher.get(refused.location).get_data(as_text=True)
    plan_id = make_plan(app, new_id, "Planen", [row("Noget")])
    assert post(teacher, f"/org/places/{new_id}/delete", page="/org/").status_code == 302
    with app.app_context():
        assert db.get(Place, new_id) is None
        assert db.get(ActionPlan, plan_id).place_id is None


def test_rename_a_level_everywhere(app, teacher, org):
    root = org["Testkommune"]
    resp = post(teacher, f"/org/places/{root}/levels", {"depth": "1", "old": "Område",
                                                        "new": "Forvaltning"})  # fmt: skip
    assert "Niveauet er omdøbt på 2 steder." in teacher.get(resp.location).get_data(as_text=True)
    with app.app_context():
        assert db.get(Place, org["Syd"]).level == "Forvaltning"
        assert db.get(Place, org["Skole A"]).level == "Arbejdsplads"


def test_another_instructor_sees_none_of_it(app, teacher, org, round_id):
    with app.app_context():
        create_instructor("Ole Anden", "ole@example.dk", PASSWORD)
    ole = app.test_client()
    token = csrf_token(ole)
    ole.post("/login", data={"email": "ole@example.dk", "password": PASSWORD, "csrf_token": token})
    assert "Testkommune" not in ole.get("/org/").get_data(as_text=True)
    for path in (f"/org/places/{org['Nord']}", f"/org/rounds/{round_id}",
                 f"/org/rounds/{round_id}/print", f"/org/rounds/{round_id}/export.csv",
                 f"/org/places/{org['Nord']}/export.csv"):  # fmt: skip
        assert ole.get(path).status_code == 404, path
    for path in (f"/org/places/{org['Nord']}", f"/org/places/{org['Nord']}/delete",
                 f"/org/places/{org['Nord']}/links", f"/org/rounds/{round_id}"):  # fmt: skip
        assert post(ole, path, {"name": "Overtaget"}, page="/org/").status_code == 404, path
    # Not logged in: the login page.
    anonymous = app.test_client().get(f"/org/places/{org['Nord']}")
    assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_the_plans_page_links_to_the_organisation(teacher):
    html = teacher.get("/plans").get_data(as_text=True)
    assert 'href="/org/"' in html and "Organisation og opfølgningsrunder" in html


def test_the_migration_matches_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from facilitator.db import Base

    with app.app_context(), app.extensions["engine"].connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "org_" in repr(d) or "place_id" in repr(d)] == []
