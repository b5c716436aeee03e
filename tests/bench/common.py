"""What every benchmark scenario shares: an instructor, phones that behave as live.js does."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import resource
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import socketio

PASSWORD = "bench-adgangskode"
EMAIL = "bench@example.dk"
JOIN_CONCURRENCY = 50
MARKER = "drøftes i MED-udvalget"  # text of the demo program's first scale step
MARKER_HTTP = "dagsorden, alle kan forberede"  # and of its second
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
GROUP_OPTION = re.compile(r'name="group" value="(\d+)"')
STEP_ACTION = re.compile(r"/steps/(\d+)/act/")

FragmentHandler = Callable[[str], None]
# Extra options for every Socket.IO client (the server bench's self-signed TLS).
SOCKET_OPTIONS: dict = {}
# The server processes under test, so a scenario can read their CPU time (Linux /proc).
SERVER_PIDS: list[int] = []


def server_cpu_s() -> float:
    """CPU seconds (user + system) the server processes have used so far; 0 if unknown."""
    return sum(_cpu_of(pid) for pid in SERVER_PIDS)


def _cpu_of(pid: int | str, reaped: bool = False) -> float:
    """A process's CPU seconds; `reaped` adds its exited children's (their CPU stays counted
    when they end during a phase, as PostgreSQL's backends do)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = [int(x) for x in stat.rsplit(")", 1)[1].split()[11:15]]
    return sum(fields if reaped else fields[:2]) / os.sysconf("SC_CLK_TCK")


def services_cpu_s(names: tuple[str, ...] = ("postgres", "redis-server", "nginx")) -> float:
    """CPU seconds the machine's PostgreSQL, Redis and nginx processes have used so far: on
    the scaled-out set-up they share the cores with the app and the load client."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                comm = (proc / "comm").read_text().strip()
            except OSError:
                continue
            if comm in names:
                total += _cpu_of(proc.name, reaped=True)
    return total


def with_children(pids: list[int]) -> list[int]:
    """The processes and their children (gunicorn's workers under their masters)."""
    found = list(pids)
    for pid in pids:
        try:
            found += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            continue
    return found


def client_cpu_s() -> float:
    """CPU seconds (user + system) this load process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def cpu_report(what: str):  # noqa: ANN201
    """Log the wall time of a phase beside the server's and this load client's CPU in it:
    on two cores shared with the client, it tells whose time a latency is."""
    wall, server, client = time.perf_counter(), server_cpu_s(), client_cpu_s()
    yield
    log(
        f"{what}: wall {time.perf_counter() - wall:.2f} s, server CPU "
        f"{server_cpu_s() - server:.2f} s, load client CPU {client_cpu_s() - client:.2f} s"
    )


def ack_summary(phones: list[Phone]) -> str:
    """How the phones' socket answers were acknowledged (a status, or "timeout")."""
    from collections import Counter

    counts = Counter(str(status) for p in phones for status, _ms in p.acks)
    acked = [ms for p in phones for status, ms in p.acks if status != "timeout"]
    told = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "none"
    return f"{told} (acked p50 {pct(acked, 50):.0f} ms, p95 {pct(acked, 95):.0f} ms)"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def wait_for(event: asyncio.Event, seconds: float) -> None:
    """Wait for an event, at most `seconds`; what has not arrived by then counts as lost."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token in page")
    return found.group(1) or found.group(2)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def session(
    base: str, connector: aiohttp.BaseConnector, traces: list[aiohttp.TraceConfig] | None = None
) -> aiohttp.ClientSession:
    """A browser-like HTTP client: its own cookies, the shared connection pool."""
    return aiohttp.ClientSession(
        base,
        connector=connector,
        connector_owner=False,
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        trace_configs=traces,
    )


def connection_counter() -> tuple[aiohttp.TraceConfig, list[int]]:
    """A trace that counts the connections (TCP and TLS handshakes) a session opens."""
    opened = [0]

    async def on_created(*_args: object) -> None:
        opened[0] += 1

    trace = aiohttp.TraceConfig()
    trace.on_connection_create_end.append(on_created)
    return trace, opened


def cookie_header(http: aiohttp.ClientSession) -> str:
    return "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)


@dataclass
class Instructor:
    """The instructor's browser: logs in, creates a workshop, presses buttons."""

    base: str
    http: aiohttp.ClientSession
    headers: dict[str, str] = field(default_factory=dict)
    workshop_url: str = ""
    code: str = ""

    @classmethod
    async def login(cls, base: str, connector: aiohttp.BaseConnector) -> Instructor:
        http = session(base, connector)
        async with http.get("/login") as r:
            token = csrf_of(await r.text())
        form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
        async with http.post("/login", data=form, allow_redirects=False) as r:
            assert r.status == 302, r.status
        async with http.get("/") as r:
            token = csrf_of(await r.text())
        return cls(base, http, {"X-CSRFToken": token, "HX-Request": "true"})

    async def create(self, program: str, title: str, groups: list[str] = ()) -> str:
        """Create a workshop from a program; returns its join code."""
        form = {
            "program": program,
            "title": title,
            "groups": "\n".join(groups),
            "csrf_token": self.headers["X-CSRFToken"],
        }
        async with self.http.post("/workshops", data=form, allow_redirects=False) as r:
            self.workshop_url = r.headers["Location"].rstrip("/")
        async with self.http.get(self.workshop_url) as r:
            self.code = re.search(r'data-code="([A-Z0-9]+)"', await r.text()).group(1)
        return self.code

    async def go(self, position: int) -> str:
        """Show a step (0-based); returns the controls fragment."""
        async with self.http.post(f"{self.workshop_url}/go/{position}", headers=self.headers) as r:
            assert r.status == 200, r.status
            return await r.text()

    async def act(self, step_id: int, action: str, data: dict[str, str] | None = None) -> None:
        url = f"{self.workshop_url}/steps/{step_id}/act/{action}"
        async with self.http.post(url, data=data or {}, headers=self.headers) as r:
            assert r.status == 200, (action, r.status)

    async def results(self) -> list[dict]:
        async with self.http.get(self.workshop_url + "/results.json") as r:
            return (await r.json())["steps"]

    async def screen(self, screen: str, on_fragment: FragmentHandler) -> socketio.AsyncClient:
        """Connect a projector (or controls) screen's socket, as its page does."""
        sio = socketio.AsyncClient(reconnection=False, **SOCKET_OPTIONS)

        @sio.on("fragment")
        async def _fragment(msg: dict) -> None:
            if msg.get("screen") == screen:
                on_fragment(msg.get("html", ""))

        await sio.connect(
            self.base,
            headers={"Cookie": cookie_header(self.http)},
            auth={"screen": screen, "code": self.code},
            transports=["websocket"],
            wait_timeout=20,
        )
        return sio


def step_id_in(controls_html: str) -> int:
    """The current step's id, read from its action buttons on the controls."""
    return int(STEP_ACTION.search(controls_html).group(1))


@dataclass
class Phone:
    """One participant's phone: an HTTP client with its cookie and a socket."""

    index: int
    http: aiohttp.ClientSession
    csrf: str = ""
    sio: socketio.AsyncClient | None = None
    join_ms: float | None = None
    # Each socket answer's (ack status or "timeout", ms until then).
    acks: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"Deltager {self.index}"

    async def join(
        self, base: str, code: str, on_fragment: FragmentHandler, group: int | None = None
    ) -> None:
        """Join exactly as the browser does (group by its position), then connect the socket."""
        start = time.perf_counter()
        async with self.http.get(f"/j/{code}") as r:
            page = await r.text()
        form = {"name": self.name, "csrf_token": csrf_of(page)}
        if group is not None:
            form["group"] = GROUP_OPTION.findall(page)[group]
        async with self.http.post(f"/j/{code}", data=form, allow_redirects=False) as r:
            if r.status != 302:
                raise RuntimeError(f"join failed: {r.status}")
        async with self.http.get(f"/j/{code}") as r:
            self.csrf = csrf_of(await r.text())
        sio = socketio.AsyncClient(reconnection=False, **SOCKET_OPTIONS)

        @sio.on("fragment")
        async def _fragment(msg: dict) -> None:
            if msg.get("screen") == "phone":
                on_fragment(msg.get("html", ""))

        await sio.connect(
            base,
            headers={"Cookie": cookie_header(self.http)},
            auth={"screen": "phone", "code": code},
            transports=["websocket"],
            wait_timeout=20,
        )
        self.sio = sio
        async with self.http.get(f"/j/{code}/fragment", headers={"HX-Request": "true"}) as r:
            await r.text()
        self.join_ms = (time.perf_counter() - start) * 1000

    async def submit(
        self, code: str, step_id: int, data: dict[str, str], http: bool = False
    ) -> float | None:
        """Answer as live.js does: over the socket, else an htmx POST; ms until acknowledged.

        `http` takes the POST at once: the path of a phone whose socket is down or not yet up.
        """
        key = secrets.token_hex(16)
        start = time.perf_counter()
        if not http and self.sio is not None and self.sio.connected:
            msg = {"step": step_id, "data": data, "key": key}
            try:
                ack = await self.sio.call("submit", msg, timeout=8)
            except socketio.exceptions.TimeoutError:
                ack = None
            self.acks.append(
                (ack.get("status") if ack else "timeout", (time.perf_counter() - start) * 1000)
            )
            if ack and ack.get("status") == 200:
                return (time.perf_counter() - start) * 1000
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true", "Idempotency-Key": key}
        async with self.http.post(f"/j/{code}/s/{step_id}", data=data, headers=headers) as r:
            await r.read()
            return (time.perf_counter() - start) * 1000 if r.status == 200 else None

    async def answer_within(
        self, code: str, step_id: int, spread: float, points: int = 5, http: bool = False
    ) -> float | None:
        """Answer a scale at a random moment within `spread` s, as a person reading the
        statement does (0: at once); ms from sending until acknowledged."""
        await asyncio.sleep(random.uniform(0, spread))
        return await self.submit(code, step_id, {"value": str(random.randint(1, points))}, http)

    async def close(self) -> None:
        if self.sio is not None:
            await self.sio.disconnect()
        await self.http.close()


async def join_all(
    base: str,
    code: str,
    phones: list[Phone],
    on_fragment: Callable[[Phone], FragmentHandler],
    group_of: Callable[[Phone], int | None] = lambda _p: None,
) -> int:
    """Join every phone with a bounded ramp, as a room does; returns how many failed."""
    gate = asyncio.Semaphore(JOIN_CONCURRENCY)

    async def gated(phone: Phone) -> None:
        async with gate:
            await phone.join(base, code, on_fragment(phone), group_of(phone))

    started = time.perf_counter()
    results = await asyncio.gather(*(gated(p) for p in phones), return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    took = time.perf_counter() - started
    log(f"joined {len(phones)} phones in {took:.1f} s, {len(failed)} failed")
    if failed:
        log(f"first join failure: {failed[0]!r}")
    return len(failed)
