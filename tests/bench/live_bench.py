"""Load benchmark of the live loop: N phones with real HTTP and Socket.IO clients.

Starts the app as `make run` does (one gevent process, SQLite), then:
1. join: each phone GETs the join page, POSTs its name, opens the phone page, connects its
   socket with its session cookie and fetches its fragment, as live.js does (bounded ramp);
2. update: the instructor presses "Næste" onto a scale step; per phone, the time until it
   holds the new step's content (pushed over Socket.IO);
3. answer: every phone answers once over its socket as live.js does (a POST if the socket
   is down), at a random moment within ANSWER_SPREAD_S (2) seconds, as a room reading the
   statement does; per phone, the time until its answer is acknowledged (answer_p95_ms);
4. burst: every phone changes its answer in the same instant (burst_p95_ms, the worst case);
5. answer over HTTP: the next scale step, every phone answers by POST within the same
   window (answer_http_p95_ms: the path of a phone whose socket is down or not yet up);
   then the stored answers of both steps are counted through the results download.
Each answer phase logs its wall time beside the server's and the load client's CPU.
Then the exercise scenarios (tests/bench/talechips_bench.py, tip13_bench.py, dots_bench.py
with its per-table and plenum boards) run on the same server, each printing its own
`bench-<name>:` line. `BENCH=live` runs the live loop only.
After the live loop, a bare Flask-SocketIO server broadcasts a message of the update's size
to as many sockets (tests/bench/raw_broadcast.py): the floor under the update, measured in
the same run on the same machine. The last line printed is the live loop's summary
`bench: phones=N ... raw_p95_ms=R ratio=update_p95/raw_p95`.
Run: `PHONES=300 make bench`.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.live_server import LiveServer

from . import common, dots_bench, raw_broadcast, talechips_bench, tip13_bench
from .common import (
    EMAIL,
    MARKER,
    MARKER_HTTP,
    PASSWORD,
    Instructor,
    Phone,
    cpu_report,
    join_all,
    log,
    pct,
    session,
    step_id_in,
    wait_for,
)

WAIT_S = 10.0
GC_LOG_MS = 5  # the server logs collector pauses this long or longer
# A room answers within a few seconds of seeing the statement, not in one instant: the
# answers are spread over this many seconds (the burst phase sends them all at once).
SPREAD_S = float(os.environ.get("ANSWER_SPREAD_S", "2"))
SCENARIOS = {
    "talechips": talechips_bench.run,
    "tip13": tip13_bench.run,
    "dots": dots_bench.run,
    "plenum": dots_bench.run_plenum,
}


async def answer_phase(
    phones: list[Phone],
    code: str,
    step_id: int,
    what: str,
    points: int,
    http: bool = False,
    spread: float | None = None,
) -> list[float]:
    """Every phone answers once, at a random moment within `spread` s (a room reading the
    statement and tapping; 0: all in the same instant); ms until each was acknowledged."""
    window = SPREAD_S if spread is None else spread

    with cpu_report(what):
        sent = (p.answer_within(code, step_id, window, points, http) for p in phones)
        acked = await asyncio.gather(*sent, return_exceptions=True)
    return [ms for ms in acked if isinstance(ms, float)]


async def live_loop(base: str, n: int) -> str:
    """Scenario of the live loop: join, follow the instructor, answer at once."""
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    teacher = await Instructor.login(base, connector)
    code = await teacher.create("demo", "Bench")
    phones = [Phone(i, session(base, connector)) for i in range(n)]
    arrived: dict[int, float] = {}
    got_all = asyncio.Event()
    size = [0]  # the update's fragment, for the raw broadcast of the same size
    wanted = [MARKER]  # the text that shows a phone holds the step it is waiting for

    def watcher(phone: Phone):
        def on_fragment(html: str) -> None:
            if wanted[0] in html and phone.index not in arrived:
                arrived[phone.index] = time.perf_counter()
                size[0] = size[0] or len(html)
                if len(arrived) == n:
                    got_all.set()

        return on_fragment

    await join_all(base, code, phones, watcher)

    log("instructor advances to the scale step ...")
    t0 = time.perf_counter()
    step_id = step_id_in(await teacher.go(1))
    await wait_for(got_all, WAIT_S)
    updates = [(t - t0) * 1000 for t in arrived.values()]
    missed = n - len(updates)

    log(f"the room answers within {SPREAD_S:.0f} s, over its sockets (step {step_id}) ...")
    answers = await answer_phase(phones, code, step_id, "answers over the socket", 5)
    log(f"socket acks: {common.ack_summary(phones)}")
    log("... and all at once, the same instant (changing their answers) ...")
    burst = await answer_phase(phones, code, step_id, "a burst over the socket", 5, spread=0)

    log(f"next scale step: the room answers within {SPREAD_S:.0f} s over HTTP (POST) ...")
    arrived.clear()
    got_all.clear()
    wanted[0] = MARKER_HTTP
    http_step = step_id_in(await teacher.go(2))
    await wait_for(got_all, WAIT_S)
    missed += n - len(arrived)
    by_http = await answer_phase(phones, code, http_step, "answers over HTTP", 7, http=True)

    results = await teacher.results()
    stored = results[1]["result"]["answers"] + results[2]["result"]["answers"]
    lost = missed + (2 * n - stored)
    median = statistics.median(answers) if answers else float("nan")
    log(
        f"stored answers: {stored}/{2 * n}; updates missed: {missed}; answer median {median:.0f} ms"
    )

    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    await teacher.http.close()
    await connector.close()
    joins = [p.join_ms for p in phones if p.join_ms is not None]
    log(f"raw Flask-SocketIO broadcast of {size[0]} bytes to {n} sockets ...")
    raw = await raw_broadcast.measure(n, size[0] or 1000)
    update_p95 = pct(updates, 95)
    return (
        f"bench: phones={n} join_p95_ms={pct(joins, 95):.0f} "
        f"update_p95_ms={update_p95:.0f} update_p99_ms={pct(updates, 99):.0f} "
        f"answer_p95_ms={pct(answers, 95):.0f} answer_http_p95_ms={pct(by_http, 95):.0f} "
        f"burst_p95_ms={pct(burst, 95):.0f} "
        f"lost={lost} "
        f"raw_p95_ms={raw:.0f} ratio={update_p95 / raw:.1f}"
    )


GC_PAUSE = re.compile(r"gc pause ([0-9.]+) ms")


def gc_pauses(server: LiveServer, since: int) -> list[float]:
    """The server's collector pauses logged after byte `since` of its log (GC_LOG_MS)."""
    with server.log.open("rb") as out:
        out.seek(since)
        text = out.read().decode(errors="replace")
    return [float(ms) for ms in GC_PAUSE.findall(text)]


async def run_all(server: LiveServer, n: int, chosen: list[str]) -> str:
    since = server.log.stat().st_size
    line = await live_loop(server.url, n)
    pauses = gc_pauses(server, since)
    worst = max(pauses, default=0.0)
    log(f"gc pauses >= {GC_LOG_MS} ms during the live loop: {len(pauses)}, worst {worst:.0f} ms")
    line += f" gc_max_ms={worst:.0f}"
    log(line)
    base = server.url
    for name in chosen:
        log(f"scenario {name} ...")
        print(await SCENARIOS[name](base, n), flush=True)
    return line


def main() -> int:
    if os.environ.get("BENCH") == "server":
        from . import server_bench

        return server_bench.main()
    n = int(os.environ.get("PHONES") or "300")
    default = "live,talechips,tip13,dots,plenum"
    chosen = [s for s in os.environ.get("BENCH", default).split(",") if s]
    extra = [s for s in chosen if s in SCENARIOS]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-") as tmp:
        server = LiveServer(Path(tmp), {"GC_LOG_MS": str(GC_LOG_MS)})
        made = server.cli("create-instructor", "--name", "Bench", "--email", EMAIL,
                          "--password", PASSWORD)  # fmt: skip
        if made.returncode != 0:
            log(made.stderr)
            return 1
        server.start()
        common.SERVER_PIDS[:] = [server.process.pid]
        log(f"server on {server.url}")
        try:
            line = asyncio.run(asyncio.wait_for(run_all(server, n, extra), timeout=1200))
        finally:
            server.stop()
    print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
