"""Scale-out mode: two server processes on PostgreSQL, sharing pushes through Redis.

A phone connected to one process must see what the instructor does through the other.
Needs the local PostgreSQL and Redis (as on the CI machine); never needed by `make run`.
"""

from __future__ import annotations

import os
import re
import secrets
import threading

import pytest

from tests.live_server import LiveServer

PG_ADMIN = os.environ.get("TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS", "redis://127.0.0.1:6379/0")
PASSWORD = "korrekt-hest-batteri"

pytestmark = pytest.mark.scaleout


def _services_or_skip():
    psycopg = pytest.importorskip("psycopg")
    redis = pytest.importorskip("redis")
    try:
        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception as exc:  # report which service is missing
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL/Redis needed for the scale-out test: {exc}")
        pytest.skip(f"PostgreSQL/Redis not reachable: {exc}")
    return psycopg


@pytest.fixture
def pg_database():
    psycopg = _services_or_skip()
    name = f"facilitator_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def two_servers(tmp_path, pg_database):
    shared = {
        "DATABASE_URL": pg_database,
        "SOCKETIO_MESSAGE_QUEUE": REDIS,
        "SECRET_KEY": secrets.token_hex(16),
    }
    a = LiveServer(tmp_path / "a", shared)
    b = LiveServer(tmp_path / "b", shared)
    made = a.cli("create-instructor", "--name", "Ulla", "--email", "u@example.dk",
                 "--password", PASSWORD)  # fmt: skip
    assert made.returncode == 0, made.stderr
    try:
        yield a.start(), b.start()
    finally:
        a.stop()
        b.stop()


def _csrf(session, url: str) -> str:
    html = session.get(url, timeout=10).text
    found = re.search(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"', html)
    return found.group(1) or found.group(2)


def test_phone_on_one_process_follows_instructor_on_the_other(two_servers):
    import requests
    import socketio

    a, b = two_servers
    teacher = requests.Session()
    login = {
        "email": "u@example.dk",
        "password": PASSWORD,
        "csrf_token": _csrf(teacher, a.url + "/login"),
    }
    assert teacher.post(a.url + "/login", data=login, timeout=10).ok
    token = _csrf(teacher, a.url + "/")
    created = teacher.post(
        a.url + "/workshops", data={"program": "demo", "title": "Skala", "csrf_token": token},
        timeout=10, allow_redirects=False,
    )  # fmt: skip
    workshop_id = created.headers["Location"].rstrip("/").split("/")[-1]
    code = re.search(r'data-code="([A-Z0-9]+)"', teacher.get(a.url + f"/w/{workshop_id}").text)[1]

    phone = requests.Session()
    join = {"name": "Pia", "csrf_token": _csrf(phone, b.url + f"/j/{code}")}
    assert phone.post(b.url + f"/j/{code}", data=join, timeout=10).ok
    got = threading.Event()
    pushed: list[str] = []
    client = socketio.Client(reconnection=False)

    @client.on("fragment")
    def _fragment(msg):
        pushed.append(msg["html"])
        if "drøftes i MED-udvalget" in msg["html"]:
            got.set()

    cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
    client.connect(b.url, headers={"Cookie": cookie}, auth={"screen": "phone", "code": code},
                   transports=["websocket"])  # fmt: skip
    try:
        resp = teacher.post(
            a.url + f"/w/{workshop_id}/go/1",
            headers={"X-CSRFToken": token, "HX-Request": "true"}, timeout=10,
        )  # fmt: skip
        assert resp.ok
        assert got.wait(10), f"no push reached the phone on the other process: {pushed[-1:]}"
        # And the answer, sent to process B, is stored in the shared database.
        step_id = re.search(r"/s/(\d+)", pushed[-1])[1]
        answer = phone.post(
            b.url + f"/j/{code}/s/{step_id}", data={"value": "4"},
            headers={"X-CSRFToken": _csrf(phone, b.url + f"/j/{code}"), "HX-Request": "true"},
            timeout=10,
        )  # fmt: skip
        assert answer.status_code == 200
        results = teacher.get(a.url + f"/w/{workshop_id}/results.json", timeout=10).json()
        assert results["steps"][1]["result"]["answers"] == 1
    finally:
        client.disconnect()
