"""First-run setup, login, logout, and who sees which workshop."""

from __future__ import annotations

from facilitator.db import db
from facilitator.views.auth import create_instructor
from tests.conftest import PASSWORD, csrf_token, make_workshop, post


def test_first_run_redirects_to_setup_and_creates_account(app):
    client = app.test_client()
    assert client.get("/").location.endswith("/setup")
    token = csrf_token(client, "/setup")
    form = {"name": "Bo", "email": "Bo@Example.dk", "password": "kort", "password2": "kort"}
    resp = client.post("/setup", data={**form, "csrf_token": token})
    assert resp.status_code == 400
    assert "mindst 10 tegn" in resp.get_data(as_text=True)
    form.update(password=PASSWORD, password2=PASSWORD)
    resp = client.post("/setup", data={**form, "csrf_token": token})
    assert resp.status_code == 302
    assert client.get("/").status_code == 200
    # Setup is closed once an instructor exists.
    assert app.test_client().get("/setup").location.endswith("/login")


def test_wrong_password_is_refused(app, instructor):
    client = app.test_client()
    token = csrf_token(client)
    resp = client.post(
        "/login", data={"email": "ulla@example.dk", "password": "forkert-kode", "csrf_token": token}
    )
    assert resp.status_code == 401
    assert "Forkert e-mail eller adgangskode" in resp.get_data(as_text=True)


def test_login_never_redirects_off_site(app, instructor):
    client = app.test_client()
    token = csrf_token(client)
    resp = client.post(
        "/login?next=//evil.example/x",
        data={"email": "ulla@example.dk", "password": PASSWORD, "csrf_token": token},
    )
    assert resp.location == "/"


def test_passwords_are_hashed(app, instructor):
    with app.app_context():
        assert PASSWORD not in db.merge(instructor).password_hash


def test_logout_requires_post_with_csrf(teacher):
    assert teacher.post("/logout").status_code == 400
    assert post(teacher, "/logout", page="/").status_code == 302
    assert teacher.get("/").status_code == 302


def test_instructor_sees_only_own_workshops(app, teacher):
    mine = make_workshop(teacher)
    with app.app_context():
        create_instructor("Anden", "anden@example.dk", PASSWORD)
    other = app.test_client()
    token = csrf_token(other)
    other.post(
        "/login", data={"email": "anden@example.dk", "password": PASSWORD, "csrf_token": token}
    )
    assert mine["code"] not in other.get("/").get_data(as_text=True)
    assert other.get(f"/w/{mine['id']}").status_code == 404
    assert other.get(f"/p/{mine['code']}").status_code == 404
    assert post(other, f"/w/{mine['id']}/go/0", page="/").status_code == 404
    assert other.get(f"/w/{mine['id']}/results.csv").status_code == 404
