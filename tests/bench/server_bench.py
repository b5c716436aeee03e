"""Scaled-out benchmark of the live loop: N gunicorn processes behind nginx (the shipped
config, TLS) on PostgreSQL and Redis, with the simulated phones spread over several load
processes so the client is not one Python process's single core.

`BENCH=server make bench` runs 1,000 and then 3,000 phones; `PHONES=500,2000`, `PROCS=3`
(gunicorn processes) and `LOADERS=4` (load processes) change that. Per size it prints
`bench-server: phones=N procs=P join_p95_ms=… update_p95_ms=… update_p99_ms=…
answer_p95_ms=… burst_p95_ms=… lost=K`, with the same meaning as the one-process `bench:`
line: the phones answer over their sockets within ANSWER_SPREAD_S (2) seconds, then all in
one instant (the burst). Each answer phase logs the gunicorn processes' and the load
processes' CPU beside its wall time: on two cores the load client takes its share.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.server.cluster import (
    Installation,
    Nginx,
    behind_nginx,
    create_database,
    drop_database,
    missing_services,
)

from . import common
from .common import (
    EMAIL,
    MARKER,
    MARKER_HTTP,
    PASSWORD,
    Instructor,
    Phone,
    join_all,
    log,
    pct,
    session,
    step_id_in,
)

WAIT_S = 20.0
SPREAD_S = float(os.environ.get("ANSWER_SPREAD_S", "2"))  # as in the one-process bench


def _connector() -> aiohttp.TCPConnector:
    # The run's self-signed certificate: the bench measures load, not certificate checks.
    # A browser keeps a used connection open for minutes (nginx closes it after 75 s idle);
    # aiohttp's 15 s would have every answer after a quiet spell open a new TLS session.
    return aiohttp.TCPConnector(limit=0, ssl=False, keepalive_timeout=60)


async def _loader(conn, base: str, code: str, first: int, count: int, loaders: int) -> None:  # noqa: ANN001, E501
    """One load process: its share of the phones, driven by the coordinator's messages."""
    common.SOCKET_OPTIONS["ssl_verify"] = False
    # The room's joining pace stays that of the one-process bench, whatever the loaders.
    common.JOIN_CONCURRENCY = max(5, common.JOIN_CONCURRENCY // loaders)
    loop = asyncio.get_running_loop()
    recv = lambda: loop.run_in_executor(None, conn.recv)  # noqa: E731
    # Each phone is a browser of its own: its own connections (kept alive as a browser keeps
    # them), none shared with the others: a shared pool opened a TLS connection for most
    # answers of a busy room and never for a quiet one, which no room of phones does.
    connectors = [_connector() for _ in range(count)]
    trace, opened = common.connection_counter()
    phones = [
        Phone(i, session(base, connectors[i - first], [trace])) for i in range(first, first + count)
    ]
    # When each phone first showed each step: a push may come before the order that says
    # which step the instructor went to.
    arrived: dict[str, dict[int, float]] = {MARKER: {}, MARKER_HTTP: {}}
    everyone = {marker: asyncio.Event() for marker in arrived}

    def watcher(phone: Phone):
        def on_fragment(html: str) -> None:
            for marker, seen in arrived.items():
                if marker in html and phone.index not in seen:
                    seen[phone.index] = time.time()
                    if len(seen) == count:
                        everyone[marker].set()

        return on_fragment

    failed = await join_all(base, code, phones, watcher)
    conn.send(("joined", failed, [p.join_ms for p in phones if p.join_ms is not None]))
    while (order := await recv())[0] != "close":
        if order[0] == "go":  # the instructor pressed "Næste" at t0 (wall clock, same machine)
            _, t0, marker = order
            await common.wait_for(everyone[marker], WAIT_S)
            conn.send(("updates", [(t - t0) * 1000 for t in arrived[marker].values()]))
            continue
        _, step_id, spread, points, http = order  # answer: within a window, or all at once
        cpu, connections = common.client_cpu_s(), opened[0]
        acks = await asyncio.gather(
            *(p.answer_within(code, step_id, spread, points, http) for p in phones),
            return_exceptions=True,
        )
        cpu = common.client_cpu_s() - cpu
        how = "HTTP" if http else f"socket acks {common.ack_summary(phones)}"
        log(
            f"loader {first}: {how}; acked {sum(isinstance(ms, float) for ms in acks)}/{count}; "
            f"{opened[0] - connections} new connections"
        )
        conn.send(("answers", [ms for ms in acks if isinstance(ms, float)], cpu))
        for phone in phones:
            phone.acks.clear()
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    await asyncio.gather(*(c.close() for c in connectors), return_exceptions=True)
    conn.send(("closed",))


def _load_process(conn, base: str, code: str, first: int, count: int, loaders: int) -> None:  # noqa: ANN001, E501
    asyncio.run(_loader(conn, base, code, first, count, loaders))


async def _answers(  # noqa: PLR0913
    pipes,  # noqa: ANN001
    gather_all,  # noqa: ANN001
    step_id: int,
    spread: float,
    what: str,
    points: int = 5,
    http: bool = False,
) -> list[float]:
    """One answer phase over every loader; logs its wall time beside whose CPU it took."""
    for p in pipes:
        p.send(("answer", step_id, spread, points, http))
    wall, server, services = time.perf_counter(), common.server_cpu_s(), common.services_cpu_s()
    replies = await gather_all()
    wall, server = time.perf_counter() - wall, common.server_cpu_s() - server
    services = common.services_cpu_s() - services
    log(
        f"answers, {what}: wall {wall:.2f} s, server CPU {server:.2f} s (gunicorn processes) "
        f"+ {services:.2f} s (PostgreSQL, Redis, nginx), load clients CPU "
        f"{sum(msg[2] for msg in replies):.2f} s, on {os.cpu_count()} cores"
    )
    return [ms for msg in replies for ms in msg[1]]


async def _round(base: str, n: int, loaders: int) -> dict:
    connector = _connector()
    teacher = await Instructor.login(base, connector)
    code = await teacher.create("demo", f"Server {n}")
    ctx = mp.get_context("spawn")
    shares = [n // loaders + (1 if i < n % loaders else 0) for i in range(loaders)]
    pipes, procs, first = [], [], 0
    for share in shares:
        here, there = ctx.Pipe()
        proc = ctx.Process(target=_load_process, args=(there, base, code, first, share, loaders))
        proc.start()
        pipes.append(here)
        procs.append(proc)
        first += share
    loop = asyncio.get_running_loop()

    async def gather_all() -> list[tuple]:
        return list(await asyncio.gather(*(loop.run_in_executor(None, p.recv) for p in pipes)))

    started = time.perf_counter()
    joined = await gather_all()
    log(f"{n} phones joined in {time.perf_counter() - started:.1f} s")
    joins = [ms for msg in joined for ms in msg[2]]
    failed = sum(msg[1] for msg in joined)

    async def go(position: int, marker: str) -> tuple[int, list[float]]:
        t0 = time.time()
        step = step_id_in(await teacher.go(position))
        for p in pipes:
            p.send(("go", t0, marker))
        return step, [ms for msg in await gather_all() for ms in msg[1]]

    step_id, updates = await go(1, MARKER)
    log(f"updates received: {len(updates)}/{n}")
    answers = await _answers(pipes, gather_all, step_id, SPREAD_S, "the room within 2 s")
    burst = await _answers(pipes, gather_all, step_id, 0, "a burst, all at once")
    http_step, http_updates = await go(2, MARKER_HTTP)
    log(f"updates received: {len(http_updates)}/{n}")
    by_http = await _answers(
        pipes, gather_all, http_step, SPREAD_S, "the room within 2 s over HTTP", 7, http=True
    )
    results = await teacher.results()
    stored = results[1]["result"]["answers"]
    stored_http = results[2]["result"]["answers"]
    log(f"answers acknowledged: {len(answers)}/{n}; stored {stored}/{n}")
    log(f"HTTP answers acknowledged: {len(by_http)}/{n}; stored {stored_http}/{n}")
    for p in pipes:
        p.send(("close",))
    await gather_all()
    for proc in procs:
        proc.join(30)
    await teacher.http.close()
    await connector.close()
    return {
        "join_p95_ms": pct(joins, 95),
        "update_p95_ms": pct(updates, 95),
        "update_p99_ms": pct(updates, 99),
        "answer_p95_ms": pct(answers, 95),
        "burst_p95_ms": pct(burst, 95),
        "answer_http_p95_ms": pct(by_http, 95),
        "lost": (2 * n - len(updates) - len(http_updates)) + (2 * n - stored - stored_http),
        "failed_joins": failed,
    }


def main() -> int:
    sizes = [int(x) for x in (os.environ.get("PHONES") or "1000,3000").split(",") if x]
    procs = int(os.environ.get("PROCS", "2"))
    loaders = int(os.environ.get("LOADERS", "4"))
    if missing := missing_services():
        log(f"!!! bench-server not run: missing {', '.join(missing)} !!!")
        return 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by every process
    lines = []
    with tempfile.TemporaryDirectory(prefix="facilitator-server-bench-") as tmp:
        folder = Path(tmp)
        database = create_database("facilitator_bench")
        nginx = Nginx(folder / "nginx", backends=[], workers="auto")
        install = Installation(
            folder / "app",
            {
                **behind_nginx(nginx, database),
                "REQUEST_LOG": "0",
                # Two processes within PostgreSQL's 100 connections, shared with others here.
                "DB_POOL_SIZE": os.environ.get("DB_POOL_SIZE", "8"),
            },
        )
        try:
            nginx.backends = install.start(procs)
            common.SERVER_PIDS[:] = common.with_children([p.pid for _port, p in install.processes])
            made = install.cli("create-instructor", "--name", "Bench", "--email", EMAIL,
                               "--password", PASSWORD)  # fmt: skip
            assert made.returncode == 0, made.stderr
            nginx.start()
            log(f"{procs} gunicorn processes behind nginx at {nginx.url}; {loaders} load processes")
            for n in sizes:
                result = asyncio.run(asyncio.wait_for(_round(nginx.url, n, loaders), 1800))
                line = (
                    f"bench-server: phones={n} procs={procs} "
                    f"join_p95_ms={result['join_p95_ms']:.0f} "
                    f"update_p95_ms={result['update_p95_ms']:.0f} "
                    f"update_p99_ms={result['update_p99_ms']:.0f} "
                    f"answer_p95_ms={result['answer_p95_ms']:.0f} "
                    f"answer_http_p95_ms={result['answer_http_p95_ms']:.0f} "
                    f"burst_p95_ms={result['burst_p95_ms']:.0f} lost={result['lost']}"
                )
                log(line)
                lines.append(line)
                for port in nginx.backends:  # a lost ack leaves no other trace
                    errors = [x for x in install.log(port).read_text().splitlines()
                              if "Error" in x or "error" in x]  # fmt: skip
                    log(f"process {port}: {len(errors)} error lines; last: {errors[-3:]}")
        finally:
            nginx.stop()
            install.stop()
            drop_database(database)
    for line in lines:
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
