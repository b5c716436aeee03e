"""A seeded mutator over every route in `app.url_map` and every socket event.

Each request mixes real ids, codes and tokens of a running workshop with hostile values
(NUL and control characters, integers past 2^31 and 2^63, Unicode digits, overlong names),
from a random role's session. A failure is a 5xx, an exception, an error logged, an ack
that never came or said 500, or a redirect to another host.
"""

from __future__ import annotations

import io
import logging
import random
import re
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from facilitator.live import socketio

from .forms import forms_in
from .world import ROLES, World, repair

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_INTS = [
    "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808", "18446744073709551616", "1" + "0" * 30, "²", "٣", "１２", "1e3",
    "0x10", "+1", " 1", "1.5", "9" * 5000,
]  # fmt: skip
HOSTILE_TEXT = [
    "", " ", "\x00", "a\x00b", "\x01\x1f\x7f\x9f", "\t\n\r", "x" * 300, "y" * 5000, "Æblegrød ø å",
    "../../etc/passwd", "%00", "<script>alert(1)</script>", "'; DROP TABLE workshops;--",
    "\u202eevil", "😀" * 40, "null", "[]", "{}", "own:", "own:²", "own:99999999999",
    "//evil.example", "/\t/evil.example", "/\\evil.example", "http://evil.example/", "/\n",
    "javascript:alert(1)", "2026-02-30", "31.12.9999", "ja", "nej",
]  # fmt: skip
WORDS = {
    "fmt": ["csv", "xlsx", "json", "md", "txt", "ics", "html", "pdf", "toml"],
    "which": ["edit", "view"],
    "status": ["lobby", "running", "closed"],
    "screen": ["projector", "phone", "controls", "projektor", "telefon"],
    "direction": ["op", "ned", "up", "down"],
    "filename": ["app.css", "live.js", "vendor/htmx.min.js", "../secret_key"],
}
METHOD_WEIGHT = {"GET": 1, "POST": 3}
AFFINITY = [
    ("phone.", "phone"), ("action_plan.", "phone"), ("plan.", "plan"), ("auth.", "anonymous"),
    ("projector.", "instructor"), ("", "instructor"),
]  # fmt: skip
UPLOADS = [b"", b"\x00\xff", b'title = "x"\n[[steps]]\nkind = "scale"\ntitle = "\x00"', b"["]


@dataclass
class Tally:
    """What the run did and found."""

    requests: int = 0
    socket_events: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def fail(self, signature: str, detail: str) -> None:
        self.failures.setdefault(signature, detail)


class ErrorLog(logging.Handler):
    """Collects every log record at ERROR and above (a traceback in the log fails the run)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def harvest() -> tuple[list[str], list[str]]:
    """Form field names and instructor action names, read from the source as it is today."""
    fields: set[str] = {"csrf_token", "next", "file", "as", "target", "version", "confirm"}
    actions: set[str] = set()
    for path in list(ROOT.glob("facilitator/**/*.py")) + list(ROOT.glob("exercises/**/*.py")):
        text = path.read_text(encoding="utf-8")
        fields |= set(re.findall(r'(?:form|data|args)\.get(?:list)?\(\s*"([^"]+)"', text))
        fields |= set(re.findall(r'(?:form|data)\[\s*"([^"]+)"\s*\]', text))
        for line in text.splitlines():
            if "action" in line and ("==" in line or " in " in line):
                actions |= set(re.findall(r'"([a-z_]{2,24})"', line))
    for path in list(ROOT.glob("facilitator/**/*.html")) + list(ROOT.glob("exercises/**/*.html")):
        fields |= set(re.findall(r'name="([A-Za-z_0-9:\-]+)"', path.read_text(encoding="utf-8")))
    return sorted(fields), sorted(actions)


class Fuzzer:
    """Generates and sends one hostile request (or socket exchange) at a time."""

    def __init__(self, world: World, seed: int) -> None:
        self.world, self.rng = world, random.Random(seed)
        self.fields, self.actions = harvest()
        self.rules = [r for r in world.app.url_map.iter_rules()]
        self.tally = Tally()

    # ---- values --------------------------------------------------------------------------

    def real_values(self) -> list[str]:
        w = self.world
        ints = [str(i) for values in w.ints.values() for i in values]
        return ints + w.words["code"] + w.words["token"] + ["1", "2", "3", "ja", "Pia", "own:1"]

    def value(self) -> str:
        pool = self.rng.choice((self.real_values(), HOSTILE_TEXT, HOSTILE_INTS))
        return self.rng.choice(pool)

    def path_value(self, name: str, converter: str) -> str:
        w, rng = self.world, self.rng
        if rng.random() < 0.25:
            return rng.choice(HOSTILE_INTS if converter == "BoundedInt" else HOSTILE_TEXT) or "x"
        if name in w.ints and w.ints[name]:
            return str(rng.choice(w.ints[name]))
        if name == "action":
            return rng.choice(self.actions)
        if name in w.words and w.words[name]:
            return rng.choice(w.words[name])
        if name in WORDS:
            return rng.choice(WORDS[name])
        if name == "slug":
            return rng.choice(["demo", "med_grund_dag1", "x" * 300, "../programs/demo"])
        return self.value() or "x"

    def path(self, rule: Any) -> str:
        def fill(match: re.Match[str]) -> str:
            name = match.group(2)
            converter = type(rule._converters[name]).__name__
            return quote(self.path_value(name, converter), safe="")

        return re.sub(r"<(?:([a-z_]+)(?:\([^)]*\))?:)?([a-z_]+)>", fill, rule.rule)

    def form(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for _ in range(self.rng.randint(0, 7)):
            name = self.rng.choice(self.fields)
            data[name] = self.value()
        if "file" in data and self.rng.random() < 0.7:
            body = self.rng.choice(UPLOADS)
            data["file"] = (io.BytesIO(body), self.rng.choice(["p.toml", "\x00.toml", "x" * 300]))
        return data

    # ---- one exchange --------------------------------------------------------------------

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.08:
            self.socket_exchange()
        elif roll < 0.5:
            self.form_request()
        else:
            self.request()

    def pages(self, role: str) -> list[str]:
        w = self.world
        code, ws, token = w.code, w.workshop_id, (w.words["token"] or ["x"])[0]
        programs = [f"/programmer/{p}" for p in w.ints["program_id"]]
        programs += [f"/programmer/{p}/trin/0" for p in w.ints["program_id"]]
        proxies = [f"/w/{ws}/as/{p}" for p in w.ints["pid"]]
        return {
            "phone": [f"/j/{code}"],
            "phone2": [f"/j/{code}"],
            "instructor": [f"/w/{ws}", "/", "/plans", "/programmer/", *programs, *proxies],
            "other_instructor": ["/", "/programmer/", *programs],
            "plan": [f"/plan/{token}", f"/plan/{token}/meeting"],
            "anonymous": [f"/j/{code}", "/login", "/j"],
        }[role]

    def form_request(self) -> None:
        """A form the role sees on one of its pages, with one or two fields made hostile."""
        rng, w = self.rng, self.world
        role = rng.choice(ROLES)
        page = rng.choice(self.pages(role))
        forms = forms_in(w.client(role).get(page).get_data(as_text=True))
        if not forms:
            return self.request()
        form = rng.choice(forms)
        data: dict[str, Any] = dict(form.fields)
        for _ in range(rng.randint(1, 2)):
            name = rng.choice(list(data) + self.fields) if data else rng.choice(self.fields)
            data[name] = self.value() if rng.random() < 0.8 else rng.choice(HOSTILE_TEXT)
        if data and rng.random() < 0.15:
            del data[rng.choice(list(data))]
        headers = {"X-CSRFToken": w.csrf.get(role, "")}
        if rng.random() < 0.5:
            headers["HX-Request"] = "true"
        what = f"{role} form on {page} POST {form.action} data={data!r:.300}"
        self.send(role, "POST", form.action, {}, data, headers, what)

    def request(self) -> None:
        rng, w = self.rng, self.world
        rule = rng.choice(self.rules)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        method = rng.choices(methods, [METHOD_WEIGHT.get(m, 1) for m in methods])[0]
        role = rng.choice(ROLES)
        if rng.random() < 0.6:  # mostly the role the route is for, so requests get deep
            role = next((r for p, r in AFFINITY if rule.endpoint.startswith(p)), role)
        path = self.path(rule)
        query = {rng.choice(self.fields + ["next"] * 5): self.value() for _ in range(3)}
        query = query if rng.random() < 0.3 else {}
        headers = {"HX-Request": "true"} if rng.random() < 0.5 else {}
        if method == "POST" and rng.random() < 0.9:
            headers["X-CSRFToken"] = w.csrf.get(role, "")
        if rng.random() < 0.3:
            key = rng.choice([self.value(), "\x00k", "ø" * 80, "k" * 500])
            # HTTP itself cannot carry a line break in a header: the test client refuses it.
            headers["Idempotency-Key"] = key.replace("\r", "").replace("\n", "")
        data = self.form() if method == "POST" else None
        addr = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        what = f"{role} {method} {path[:200]} query={query!r:.200} data={data!r:.300}"
        self.send(role, method, path, query, data, headers, what, addr)

    def send(
        self,
        role: str,
        method: str,
        path: str,
        query: dict,
        data: Any,
        headers: dict,
        what: str,
        addr: str = "127.0.0.1",
    ) -> None:
        """Send one request and judge the answer."""
        w = self.world
        endpoint = _endpoint(w, path, method)
        try:
            resp = w.client(role).open(
                path,
                method=method,
                query_string=query,
                data=data,
                headers=headers,
                environ_base={"REMOTE_ADDR": addr},
            )
        except Exception as exc:  # the point: every exception is a finding
            self.tally.fail(f"{endpoint} {type(exc).__name__}", f"{what}\n{_tb()}")
            return
        finally:
            self.tally.requests += 1
        self.tally.statuses[resp.status_code] = self.tally.statuses.get(resp.status_code, 0) + 1
        if resp.status_code >= 500:
            self.tally.fail(f"{endpoint} {resp.status_code}", what)
        location = resp.headers.get("Location", "")
        if 300 <= resp.status_code < 400 and urlsplit(location).netloc not in ("", "localhost"):
            self.tally.fail(f"{endpoint} open redirect", f"{what} -> {location}")
        if resp.status_code < 400 and endpoint in REPAIR_AFTER:
            repair(w)

    def socket_exchange(self) -> None:
        rng, w = self.rng, self.world
        role = rng.choice(ROLES)
        screen = rng.choice(
            ["phone", "phone", "projector", "controls", "x", None, 7, ["phone"], {}]
        )
        code = rng.choice([w.code, w.code, self.value(), None, ["x"], 10**30])
        auth = rng.choice([{"screen": screen, "code": code}, None, "x", [1], {"code": "\x00"}])
        what = f"socket {role} auth={auth!r:.200}"
        try:
            client = socketio.test_client(w.app, flask_test_client=w.client(role), auth=auth)
            self.tally.socket_events += 1
            if client.is_connected():
                for _ in range(rng.randint(1, 3)):
                    msg = self.socket_message()
                    ack = client.emit("submit", msg, callback=True)
                    self.tally.socket_events += 1
                    if not isinstance(ack, dict) or ack.get("status", 500) >= 500:
                        detail = f"{what} msg={msg!r:.300}"
                        self.tally.fail(f"socket submit ack {ack!r:.40}", detail)
                client.disconnect()
        except Exception as exc:  # the point: every exception is a finding
            self.tally.fail(f"socket {type(exc).__name__}", f"{what}\n{_tb()}")

    def socket_message(self) -> Any:
        rng, w = self.rng, self.world
        steps = w.ints["step_id"] or [1]
        data = {rng.choice(self.fields): self.value() for _ in range(rng.randint(0, 4))}
        msg = {
            "step": rng.choice([rng.choice(steps), rng.choice(steps), 2**31, 2**63, -1, "1", None]),
            "data": rng.choice([data, data, data, None, "x", [1], {"k": 1}, {"\x00": "\x00"}]),
            "key": rng.choice([None, self.value(), "\x00", "k" * 500, 5, {"a": 1}]),
        }
        if rng.random() < 0.1:
            del msg[rng.choice(list(msg))]
        return rng.choice([msg, msg, msg, msg, None, "x", [msg], 42])


# A successful request to these may leave a role without its session or the room closed.
REPAIR_AFTER = {
    "auth.logout", "retention.delete", "retention.anonymise", "retention.remove_participant",
    "controls.status", "plans.token_action",
}  # fmt: skip


def _endpoint(world: World, path: str, method: str) -> str:
    """The endpoint a path reaches (for grouping failures), or "?" when none."""
    adapter = world.app.url_map.bind("localhost")
    try:
        return adapter.match(urlsplit(path).path, method=method)[0]
    except Exception:  # a 404 or 405 has no endpoint
        return "?"


def _tb() -> str:
    return "".join(traceback.format_exc(limit=-6))


def run(world: World, seed: int, examples: int, seconds: float, until: int = 0) -> Tally:
    """Fuzz until `examples` exchanges or `seconds` have passed; errors logged count too.

    With `until`, stop as soon as that many distinct failures (and logged errors) are in.
    """
    log = ErrorLog()
    loggers = [logging.getLogger(), world.app.logger]
    for logger in loggers:
        logger.addHandler(log)
    fuzzer = Fuzzer(world, seed)
    deadline = time.monotonic() + seconds
    try:
        for _ in range(examples):
            if time.monotonic() > deadline:
                break
            fuzzer.step()
            if until and len(fuzzer.tally.failures) + min(1, len(log.records)) >= until:
                break
    finally:
        for logger in loggers:
            logger.removeHandler(log)
    for record in {id(r): r for r in log.records}.values():
        trace = "".join(traceback.format_exception(*record.exc_info)) if record.exc_info else ""
        fuzzer.tally.fail(f"logged {record.name}: {record.getMessage()[:80]}", trace[-3000:])
    return fuzzer.tally
