"""Instructor accounts: throttled login, revocable sessions, passwords, deactivation."""

from __future__ import annotations

from facilitator import accounts, cli, limits
from facilitator.db import db
from tests.conftest import PASSWORD, csrf_token, post

EMAIL = "ulla@example.dk"


def _login(client, password: str = PASSWORD, email: str = EMAIL):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/login")}
    return client.post("/login", data=data)


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_forty_wrong_passwords_are_throttled_and_then_the_right_one_waits(app, instructor):
    client = app.test_client()
    statuses = [_login(client, f"forkert-{i}-adgangskode").status_code for i in range(40)]
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
    refused = _login(client)
    assert refused.status_code == 429
    assert "for mange forsøg" in refused.get_data(as_text=True)
    assert not _logged_in(client)


def test_a_right_password_clears_the_failures(app, instructor):
    client = app.test_client()
    for i in range(9):
        assert _login(client, f"forkert-{i}-adgangskode").status_code == 401
    assert _login(client).status_code == 302
    other = app.test_client()
    assert _login(other, "forkert-igen-adgangskode").status_code == 401  # counting anew


def test_log_out_everywhere_ends_every_session(app, teacher):
    laptop = app.test_client()
    assert _login(laptop).status_code == 302 and _logged_in(laptop)
    resp = post(teacher, "/konto/log-ud-overalt", page="/konto")
    assert resp.status_code == 302 and resp.location.endswith("/login")
    assert not _logged_in(laptop)
    assert not _logged_in(teacher)
    assert _login(laptop).status_code == 302 and _logged_in(laptop)


def test_password_change_keeps_this_session_and_ends_the_others(app, teacher):
    laptop = app.test_client()
    assert _login(laptop).status_code == 302
    form = {"current": "forkert", "password": "nyt-kodeord-123", "password2": "nyt-kodeord-123"}
    wrong = post(teacher, "/konto/adgangskode", form, page="/konto")
    assert wrong.status_code == 422 and "nuværende adgangskode er forkert" in wrong.get_data(True)
    form["current"] = PASSWORD
    resp = post(teacher, "/konto/adgangskode", form, page="/konto")
    assert resp.status_code == 302
    assert "Din adgangskode er skiftet" in teacher.get("/konto").get_data(as_text=True)
    assert not _logged_in(laptop)
    assert _login(app.test_client(), PASSWORD).status_code == 401
    assert _login(app.test_client(), "nyt-kodeord-123").status_code == 302


def test_a_deactivated_instructor_is_out_at_the_next_request(app, teacher):
    assert _logged_in(teacher)
    with app.app_context():
        accounts.set_active(EMAIL, False)
    assert not _logged_in(teacher)
    assert _login(app.test_client()).status_code == 401
    with app.app_context():
        accounts.set_active(EMAIL, True)
    assert _login(app.test_client()).status_code == 302


def test_a_session_ends_after_its_lifetime(app, teacher):
    assert _logged_in(teacher)
    with teacher.session_transaction() as session:
        session["since"] -= int(app.config["INSTRUCTOR_SESSION_HOURS"] * 3600) + 1
    assert not _logged_in(teacher)


def test_commands_set_password_and_deactivate(app, instructor, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("FACILITATOR_PASSWORD", "kort")
    assert cli.main(["set-password", "--email", EMAIL]) == 2
    assert "mindst 10 tegn" in capsys.readouterr().err
    monkeypatch.setenv("FACILITATOR_PASSWORD", "helt-nyt-kodeord")
    assert cli.main(["set-password", "--email", EMAIL]) == 0
    assert _login(app.test_client(), "helt-nyt-kodeord").status_code == 302
    assert cli.main(["deactivate-instructor", "--email", EMAIL]) == 0
    assert "deaktiveret" in capsys.readouterr().out
    assert _login(app.test_client(), "helt-nyt-kodeord").status_code == 401
    assert cli.main(["deactivate-instructor", "--email", "ingen@example.dk"]) == 2
    with app.app_context():
        db.remove()


def test_http_answers_are_limited_per_phone(app, teacher, workshop):
    from tests.conftest import join
    from tests.views.test_phone import answer, step_id

    code = workshop["code"]
    phone = join(app, code)
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    limit = int(limits.ANSWERS.split()[0])
    for i in range(limit):
        assert answer(phone, code, sid, str(i % 5 + 1)).status_code == 200, i
    refused = answer(phone, code, sid, "3")
    assert refused.status_code == 422
    assert "mange svar på kort tid" in refused.get_data(as_text=True)
    # Another phone is not held back by this one.
    assert answer(join(app, code, "Bo"), code, sid, "2").status_code == 200


def test_socket_and_http_answers_share_one_limit_per_phone(app, teacher, workshop):
    from facilitator.live import socketio
    from tests.conftest import join
    from tests.views.test_phone import answer, step_id

    code = workshop["code"]
    phone = join(app, code)
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    client = socketio.test_client(
        app, flask_test_client=phone, auth={"screen": "phone", "code": code}
    )
    limit = int(limits.ANSWERS.split()[0])
    half = limit // 2
    for i in range(half):
        msg = {"step": sid, "data": {"value": str(i % 5 + 1)}, "key": f"s{i}"}
        assert client.emit("submit", msg, callback=True)["status"] == 200, i
    for i in range(limit - half):
        assert answer(phone, code, sid, "2").status_code == 200, i
    refused = client.emit(
        "submit", {"step": sid, "data": {"value": "1"}, "key": "x"}, callback=True
    )
    assert refused == {"status": 429}  # no html: the page posts it and shows the refusal
    assert answer(phone, code, sid, "1").status_code == 422
    client.disconnect()
