"""Proof of server mode: gunicorn processes behind nginx (the shipped config, TLS), on
PostgreSQL, sharing pushes through Redis, with real Socket.IO clients over WebSocket.

One installation of three processes is started at once on an empty database (each runs
`facilitator migrate` first, as the systemd unit does); nginx balances over two of them.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
import socketio

from tests.server.cluster import (
    REDIS,
    Installation,
    Nginx,
    behind_nginx,
    create_database,
    drop_database,
    self_signed,
)

pytestmark = [pytest.mark.scaleout, pytest.mark.server]

EMAIL, PASSWORD = "ulla@example.dk", "korrekt-hest-batteri"
MARKER = "drøftes i MED-udvalget"  # the demo program's first scale step


@pytest.fixture(scope="module")
def site(server_services, tmp_path_factory):
    """Three processes started at once on an empty PostgreSQL database, two behind nginx.

    Beside it, a second installation (SQLite) on the same Redis, started at the same time.
    """
    folder = tmp_path_factory.mktemp("server")
    database = create_database()
    nginx = Nginx(folder / "nginx", backends=[])
    install = Installation(folder / "a", behind_nginx(nginx, database))
    other = Installation(
        folder / "b", {"SOCKETIO_MESSAGE_QUEUE": REDIS, "SECRET_KEY": secrets.token_hex(16)}
    )
    try:
        # Each process migrates on start (under the advisory lock); `facilitator migrate`,
        # the systemd unit's step before start, is run again by the first test.
        ports = install.launch(3, migrate_first=False)
        other.launch(1, migrate_first=False)
        nginx.folder.mkdir(parents=True)
        nginx.cert = self_signed(nginx.folder)[0]
        install.wait()
        other.wait()
        nginx.backends = ports[:2]
        nginx.start()
        assert Browser(nginx.url, nginx.cert).setup().status_code == 302
        yield install, nginx, ports, other
    finally:
        nginx.stop()
        install.processes += other.processes  # stopped together
        install.stop()
        drop_database(database)


class Browser:
    """A browser's HTTP side through nginx: cookies, CSRF token, htmx headers."""

    def __init__(self, base: str, cert: Path | None = None) -> None:
        self.base = base
        self.http = requests.Session()
        # The run's own self-signed certificate is the one trusted: TLS is checked for real.
        self.http.trust_env = False
        self.http.verify = str(cert) if cert else True
        self.token = ""

    def csrf(self, path: str) -> str:
        html = self.http.get(self.base + path, timeout=10).text
        found = re.search(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"', html)
        return found.group(1) or found.group(2)

    def post(self, path: str, data: dict | None = None, page: str = "/", token: str = "", **kw):
        headers = {"X-CSRFToken": token or self.csrf(page), "HX-Request": "true"}
        return self.http.post(self.base + path, data=data or {}, headers=headers, timeout=10, **kw)

    def setup(self) -> requests.Response:
        """The first-run page: the installation's first instructor account."""
        data = {"name": "Ulla", "email": EMAIL, "password": PASSWORD, "password2": PASSWORD}
        data["csrf_token"] = self.csrf("/setup")
        return self.http.post(self.base + "/setup", data=data, timeout=10, allow_redirects=False)

    def login(self, password: str = PASSWORD, email: str = EMAIL) -> requests.Response:
        data = {"email": email, "password": password, "csrf_token": self.csrf("/login")}
        return self.http.post(self.base + "/login", data=data, timeout=10, allow_redirects=False)

    def socket(self, screen: str, code: str, on_fragment, origin: str | None = None):
        """A socket as the page opens it; the WebSocket client sends the page's own Origin."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())}
        if origin:  # a foreign page: its Origin sent on a long-polling handshake
            headers["Origin"] = origin
        # A page's socket reconnects when its first try fails (live.js); so does this one,
        # once, for a WebSocket a loaded CI machine dropped. A refused socket is not retried:
        # the server answers a refusal at once, with an error.
        for attempt in (1, 2):
            client = socketio.Client(reconnection=False, http_session=self.http)
            client.on("fragment", lambda msg: on_fragment(msg["html"]))
            try:
                client.connect(
                    self.base, auth={"screen": screen, "code": code}, headers=dict(headers),
                    wait_timeout=10, transports=["polling"] if origin else ["websocket"],
                )  # fmt: skip
                return client
            except socketio.exceptions.ConnectionError as exc:
                if origin or attempt == 2 or "failed to connect" in str(exc):
                    raise
        raise AssertionError("unreachable")


def _workshop(teacher: Browser) -> tuple[int, str]:
    made = teacher.post("/workshops", {"program": "demo", "title": "Server"}, allow_redirects=False)
    assert made.status_code == 302, made.text[:300]
    workshop_id = int(made.headers["Location"].rstrip("/").split("/")[-1])
    page = teacher.http.get(f"{teacher.base}/w/{workshop_id}", timeout=10).text
    return workshop_id, re.search(r'data-code="([A-Z0-9]+)"', page)[1]


def _phone(base: str, code: str, name: str, cert: Path | None = None) -> Browser:
    """A phone that joined; its page's CSRF token is kept in `phone.token`."""
    phone = Browser(base, cert)
    data = {"name": name, "csrf_token": phone.csrf(f"/j/{code}")}
    page = phone.http.post(f"{base}/j/{code}", data=data, timeout=10)
    assert page.ok
    phone.token = re.search(r'"X-CSRFToken": "([^"]+)"', page.text)[1]
    return phone


def _upstreams(nginx: Nginx, pattern: str, since: int = 0) -> Counter:
    """Which backend ports served the logged requests whose path matches `pattern`."""
    ports: Counter = Counter()
    for line in nginx.access_log.read_text().splitlines()[since:]:
        parts = line.split()
        if len(parts) >= 7 and re.search(pattern, parts[2]):
            ports[parts[6].rsplit(":", 1)[-1]] += 1
    return ports


def test_three_processes_started_at_once_on_an_empty_database_all_came_up(site):
    install, _nginx, ports, _other = site
    assert len(ports) == 3 and all(p.poll() is None for _port, p in install.processes)
    again = install.cli("migrate")
    assert again.returncode == 0 and "opdateret" in again.stdout


def test_http_goes_to_https_and_nginx_serves_static_files(site):
    _install, nginx, _ports, _other = site
    plain = requests.get(f"http://127.0.0.1:{nginx.http_port}/login", allow_redirects=False)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    page = requests.get(nginx.url + "/login", verify=nginx.cert, timeout=10)
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', page.text)[1]
    resp = requests.get(nginx.url + css, verify=nginx.cert, headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    assert "immutable" in resp.headers["Cache-Control"]
    assert "Content-Security-Policy" not in resp.headers  # from disk, not from the app
    assert (
        "max-age=31536000"
        in requests.get(
            nginx.url + re.search(r'href="(/kinds\.css\?v=[0-9a-f]+)"', page.text)[1],
            verify=nginx.cert,
        ).headers["Cache-Control"]
    )


def test_phones_on_websockets_follow_the_instructor_on_the_other_process(site):
    install, nginx, ports, _other = site
    teacher = Browser(nginx.url, nginx.cert)
    assert teacher.login().status_code == 302
    workshop_id, code = _workshop(teacher)
    got = {i: threading.Event() for i in range(4)}
    sockets = []
    for i in range(4):
        phone = _phone(nginx.url, code, f"Deltager {i}", nginx.cert)
        seen = got[i]
        sockets.append(phone.socket("phone", code, lambda html, e=seen: MARKER in html and e.set()))
    try:
        assert all(s.transport() == "websocket" for s in sockets)
        resp = teacher.post(f"/w/{workshop_id}/go/1")
        assert resp.status_code == 200
        missed = [i for i, e in got.items() if not e.wait(10)]
        assert not missed, f"phones {missed} got no push"
    finally:
        for s in sockets:
            s.disconnect()
    time.sleep(0.3)  # nginx logs a WebSocket when it closes
    # The sockets were spread over both processes; the change went through one of them.
    assert set(_upstreams(nginx, r"^/socket\.io/")) == {str(p) for p in ports[:2]}
    assert len(_upstreams(nginx, rf"^/w/{workshop_id}/go/1$")) == 1
    # The access log holds neither the join code nor a token (a read link's neither).
    secret = "R" * 43
    assert teacher.http.get(f"{nginx.url}/org/r/{secret}/print", timeout=10).status_code == 404
    time.sleep(0.3)
    log = nginx.access_log.read_text()
    assert code not in log and secret not in log and "/org/r/*/print" in log


def test_fifty_answers_over_both_processes_are_all_stored(site):
    _install, nginx, ports, _other = site
    teacher = Browser(nginx.url, nginx.cert)
    assert teacher.login().status_code == 302
    workshop_id, code = _workshop(teacher)
    phones = [_phone(nginx.url, code, f"Deltager {i}", nginx.cert) for i in range(50)]
    teacher.post(f"/w/{workshop_id}/go/1")
    logged = len(nginx.access_log.read_text().splitlines())
    sockets = [p.socket("phone", code, lambda _html: None) for p in phones[:25]]
    try:
        step_id = int(re.search(r"/s/(\d+)", phones[0].http.get(
            f"{nginx.url}/j/{code}/fragment", timeout=10).text)[1])  # fmt: skip
        acks: list[dict] = []
        threads = [
            threading.Thread(target=lambda s=s, i=i: acks.append(s.call(
                "submit", {"step": step_id, "data": {"value": str(i % 5 + 1)},
                           "key": secrets.token_hex(8)}, timeout=20)))
            for i, s in enumerate(sockets)
        ]  # fmt: skip
        for t in threads:
            t.start()
        posted = [
            p.post(f"/j/{code}/s/{step_id}", {"value": "3"}, token=p.token) for p in phones[25:]
        ]
        for t in threads:
            t.join(30)
    finally:
        for s in sockets:
            s.disconnect()
    assert [a["status"] for a in acks] == [200] * 25
    assert [r.status_code for r in posted] == [200] * 25
    results = teacher.http.get(f"{nginx.url}/w/{workshop_id}/results.json", timeout=10).json()
    assert results["steps"][1]["result"]["answers"] == 50
    both = {str(p) for p in ports[:2]}
    time.sleep(0.3)  # nginx logs a WebSocket when it closes
    # The socket answers went over sockets on both processes (least_conn sends the short
    # POSTs to whichever holds fewer sockets at the time).
    assert set(_upstreams(nginx, r"^/socket\.io/", since=logged)) == both
    assert set(_upstreams(nginx, rf"^/j/\*/s/{step_id}$", since=logged)) <= both


def test_a_page_from_another_site_cannot_open_a_socket(site):
    _install, nginx, _ports, _other = site
    teacher = Browser(nginx.url, nginx.cert)
    assert teacher.login().status_code == 302
    _id, code = _workshop(teacher)
    with pytest.raises(socketio.exceptions.ConnectionError):
        teacher.socket("controls", code, lambda _h: None, origin="https://ondsindet.example.com")
    ok = teacher.socket("controls", code, lambda _h: None)
    ok.disconnect()


def test_login_throttling_holds_across_processes(site):
    _install, nginx, ports, _other = site
    attacker = Browser(nginx.url, nginx.cert)
    guessed = "bo@example.dk"
    statuses = [attacker.login(f"gæt-nummer-{i}", guessed).status_code for i in range(12)]
    assert statuses == [401] * 10 + [429] * 2
    assert Browser(nginx.url, nginx.cert).login().status_code == 302  # Ulla is not locked out
    # The guesses were answered by both processes, which counted them together.
    assert set(_upstreams(nginx, r"^/login$")) >= {str(p) for p in ports[:2]}


def test_two_installations_on_one_redis_do_not_meet(site):
    _install, nginx, _ports, other = site
    b_base = f"http://127.0.0.1:{other.processes[0][0]}"
    b_teacher = Browser(b_base)
    assert b_teacher.setup().status_code == 302
    b_id, b_code = _workshop(b_teacher)
    heard: list[str] = []
    b_phone = _phone(b_base, b_code, "Bo").socket("phone", b_code, heard.append)

    a_teacher = Browser(nginx.url, nginx.cert)
    assert a_teacher.login().status_code == 302
    a_id, a_code = _workshop(a_teacher)
    got = threading.Event()
    a_phone = _phone(nginx.url, a_code, "Pia", nginx.cert).socket(
        "phone", a_code, lambda html: MARKER in html and got.set()
    )
    try:
        # B's workshop 1 and A's workshops share room names ("w1:phone" ...): only the
        # installation's own channel keeps A's pushes from B's phone.
        assert b_id == 1
        for workshop_id in range(1, a_id + 1):
            assert a_teacher.post(f"/w/{workshop_id}/go/1").status_code == 200
        assert got.wait(10)
        time.sleep(1)
        assert heard == [], f"installation B heard A: {heard[:1]}"
    finally:
        a_phone.disconnect()
        b_phone.disconnect()
