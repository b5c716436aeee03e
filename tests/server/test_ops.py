"""Running on a server, in-process: proxy headers, request log, caching, backup, files."""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import sys

import pytest

from facilitator import cli, config, create_app
from facilitator.db import db
from facilitator.ops import commands
from facilitator.ops.proxy import origin_checker
from tests.conftest import TEST_SETTINGS, csrf_token, join, make_workshop, post

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _app(tmp_path, **extra):
    settings = {**TEST_SETTINGS, "DATABASE_URL": f"sqlite:///{tmp_path / 'ops.db'}"}
    settings.update(extra)
    return create_app(settings)


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.mark.settings(REQUEST_LOG=True)
def test_request_log_hides_codes_tokens_and_queries(app, teacher, workshop):
    lines = _Lines()
    logger = logging.getLogger("facilitator.requests")
    logger.addHandler(lines)
    try:
        code = workshop["code"]
        phone = join(app, code, "Pia Hansen")
        phone.get(f"/j/{code}/fragment?navn=Pia")
        app.test_client().get("/plan/hemmeligt-token-123")
        app.test_client().get(f"/p/{code}/fragment")
        teacher.get(f"/w/{workshop['id']}")
    finally:
        logger.removeHandler(lines)
    text = "\n".join(lines.lines)
    assert "POST /j/<code> 302" in text
    assert re.search(r"GET /j/<code>/fragment 200 \d+ms", text)
    assert f"GET /w/{workshop['id']} 200" in text
    assert "/plan/" in text  # logged, with the token hidden
    for secret in (code, "hemmeligt-token-123", "Pia", "navn", "127.0.0.1"):
        assert secret not in text, secret


def test_static_files_are_fingerprinted_and_cached_for_a_year(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    for url in re.findall(r'(?:href|src)="(/(?:static/[^"]+|kinds\.css[^"]*))"', page):
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        resp = client.get(url)
        assert resp.status_code == 200
        assert "immutable" in resp.headers["Cache-Control"], url
        assert "max-age=31536000" in resp.headers["Cache-Control"], url
        resp.close()
    stale = client.get("/static/app.css?v=000000000000")
    assert "no-cache" in stale.headers["Cache-Control"]
    stale.close()


def test_hsts_only_behind_https(tmp_path):
    plain = _app(tmp_path).test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = _app(tmp_path, SESSION_COOKIE_SECURE=True).test_client().get("/login")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_proxy_headers_are_trusted_only_with_proxy_hops(tmp_path):
    from facilitator.views.auth import create_instructor
    from tests.conftest import PASSWORD

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kursus.example.dk"}
    for hops, shown in ((0, "localhost/j/"), (1, "kursus.example.dk/j/")):
        (tmp_path / str(hops)).mkdir()
        app = _app(tmp_path / str(hops), PROXY_HOPS=hops)
        with app.app_context():
            create_instructor("Ulla", "u@example.dk", PASSWORD)
        teacher = app.test_client()
        login = {"email": "u@example.dk", "password": PASSWORD, "csrf_token": csrf_token(teacher)}
        assert teacher.post("/login", data=login).status_code == 302
        code = make_workshop(teacher)["code"]
        # The QR code carries the address the projector was opened with, as the proxy saw it.
        page = teacher.get(f"/p/{code}", headers=forwarded).get_data(as_text=True)
        assert f'data-testid="join-url">{shown}{code}<' in page
        app.extensions["engine"].dispose()


def test_socketio_origins_follow_the_page_or_public_url():
    check = origin_checker("https://kursus.example.dk")
    env = {"wsgi.url_scheme": "https", "HTTP_HOST": "10.0.0.5:8443"}
    assert check("https://10.0.0.5:8443", env)
    assert check("https://kursus.example.dk", env)
    assert check(None, env)
    assert not check("https://ondsindet.example.com", env)
    assert not check("http://10.0.0.5:8443", env)
    assert not origin_checker(None)("https://kursus.example.dk", env)


def test_start_url_is_one_a_phone_can_reach():
    url = commands.start_url("0.0.0.0", 5000)
    assert "localhost" not in url and "0.0.0.0" not in url and not url.startswith("http://127.")
    assert url.endswith(":5000/")
    assert commands.start_url("127.0.0.1", 5000) == "http://127.0.0.1:5000/"


def test_projector_warns_when_the_qr_code_points_at_localhost(app, teacher, workshop):
    page = teacher.get(f"/p/{workshop['code']}").get_data(as_text=True)
    assert "QR-koden peger på denne computer" in page
    app.config["PUBLIC_URL"] = "https://kursus.example.dk"
    page = teacher.get(f"/p/{workshop['code']}").get_data(as_text=True)
    assert "QR-koden peger" not in page and "kursus.example.dk/j/" in page


def test_no_instance_folder_when_the_server_needs_none(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@localhost/y")
    config.load(str(instance))
    assert not instance.exists()
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("SECRET_KEY")
    settings = config.load(str(instance))
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    assert settings["SOCKETIO_CHANNEL"].startswith("facilitator-")


def test_channel_differs_per_installation(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "a")
    a = config.load(str(tmp_path))["SOCKETIO_CHANNEL"]
    monkeypatch.setenv("SECRET_KEY", "b")
    b = config.load(str(tmp_path))["SOCKETIO_CHANNEL"]
    assert a != b
    monkeypatch.setenv("SOCKETIO_CHANNEL", "kommune-x")
    assert config.load(str(tmp_path))["SOCKETIO_CHANNEL"] == "kommune-x"


def test_the_sqlite_file_is_private(tmp_path):
    app = _app(tmp_path)
    mode = stat.S_IMODE((tmp_path / "ops.db").stat().st_mode)
    assert mode == 0o600, oct(mode)
    app.extensions["engine"].dispose()


def _cli(monkeypatch, tmp_path, *args: str) -> int:
    """Run a `facilitator` command as a server operator would, on the embedded default."""
    for name in ("DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    return cli.main(list(args))


def test_backup_while_running_and_restore(tmp_path, monkeypatch, capsys):
    made = _cli(monkeypatch, tmp_path, "create-instructor", "--name", "Ulla",
                "--email", "u@example.dk", "--password", "korrekt-hest-batteri")  # fmt: skip
    assert made == 0
    database = tmp_path / "instance" / "facilitator.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    # A running server holds the database open, with its latest writes still in the WAL.
    app = _app(tmp_path, DATABASE_URL=f"sqlite:///{database}")
    teacher = app.test_client()
    login = {"email": "u@example.dk", "password": "korrekt-hest-batteri"}
    login["csrf_token"] = csrf_token(teacher)
    assert teacher.post("/login", data=login).status_code == 302
    workshop = make_workshop(teacher)
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")

    backup = tmp_path / "kopi.db"
    assert _cli(monkeypatch, tmp_path, "backup", str(backup)) == 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _cli(monkeypatch, tmp_path, "backup", str(backup)) == 2  # never overwrites
    assert "findes allerede" in capsys.readouterr().err

    # Restore: the server stopped, the copy put in place of the database, started again.
    with app.app_context():
        db.remove()
    app.extensions["engine"].dispose()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "instance" / f"facilitator.db{suffix}").unlink(missing_ok=True)
    backup.rename(database)
    restored = _app(tmp_path, DATABASE_URL=f"sqlite:///{database}")
    client = restored.test_client()
    login["csrf_token"] = csrf_token(client)
    assert client.post("/login", data=login).status_code == 302
    results = client.get(f"/w/{workshop['id']}/results.json").get_json()
    assert results["steps"][1]["title"]
    assert client.get(f"/p/{workshop['code']}").status_code == 200
    restored.extensions["engine"].dispose()


def test_backup_of_postgresql_points_to_pg_dump(tmp_path):
    url = "postgresql://x@localhost/y"
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "backup", str(tmp_path / "x.db")],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": "s"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "pg_dump" in done.stderr
