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
from .common import EMAIL, PASSWORD, Instructor, Phone, join_all, log, pct, session, step_id_in

MARKER = "drøftes i MED-udvalget"
WAIT_S = 20.0
SPREAD_S = float(os.environ.get("ANSWER_SPREAD_S", "2"))  # as in the one-process bench


def _connector() -> aiohttp.TCPConnector:
    # The run's self-signed certificate: the bench measures load, not certificate checks.
    return aiohttp.TCPConnector(limit=0, ssl=False)


async def _loader(conn, base: str, code: str, first: int, count: int, loaders: int) -> None:  # noqa: ANN001, E501
    """One load process: its share of the phones, driven by the coordinator's messages."""
    common.SOCKET_OPTIONS["ssl_verify"] = False
    # The room's joining pace stays that of the one-process bench, whatever the loaders.
    common.JOIN_CONCURRENCY = max(5, common.JOIN_CONCURRENCY // loaders)
    loop = asyncio.get_running_loop()
    recv = lambda: loop.run_in_executor(None, conn.recv)  # noqa: E731
    connector = _connector()
    phones = [Phone(i, session(base, connector)) for i in range(first, first + count)]
    arrived: dict[int, float] = {}
    everyone = asyncio.Event()

    def watcher(phone: Phone):
        def on_fragment(html: str) -> None:
            if MARKER in html and phone.index not in arrived:
                arrived[phone.index] = time.time()
                if len(arrived) == count:
                    everyone.set()

        return on_fragment

    failed = await join_all(base, code, phones, watcher)
    conn.send(("joined", failed, [p.join_ms for p in phones if p.join_ms is not None]))
    _, t0 = await recv()  # the instructor pressed "Næste" at t0 (wall clock, same machine)
    await common.wait_for(everyone, WAIT_S)
    conn.send(("updates", [(t - t0) * 1000 for t in arrived.values()]))

    while (order := await recv())[0] == "answer":  # within a window, then all at once
        _, step_id, spread = order
        cpu = common.client_cpu_s()
        acks = await asyncio.gather(
            *(p.answer_within(code, step_id, spread) for p in phones), return_exceptions=True
        )
        cpu = common.client_cpu_s() - cpu
        log(f"loader {first}: socket acks {common.ack_summary(phones)}")
        conn.send(("answers", [ms for ms in acks if isinstance(ms, float)], cpu))
        for phone in phones:
            phone.acks.clear()
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    await connector.close()
    conn.send(("closed",))


def _load_process(conn, base: str, code: str, first: int, count: int, loaders: int) -> None:  # noqa: ANN001, E501
    asyncio.run(_loader(conn, base, code, first, count, loaders))


async def _answers(pipes, gather_all, step_id: int, spread: float, what: str) -> list[float]:  # noqa: ANN001
    """One answer phase over every loader; logs its wall time beside whose CPU it took."""
    for p in pipes:
        p.send(("answer", step_id, spread))
    wall, server = time.perf_counter(), common.server_cpu_s()
    replies = await gather_all()
    wall, server = time.perf_counter() - wall, common.server_cpu_s() - server
    log(
        f"answers, {what}: wall {wall:.2f} s, server CPU {server:.2f} s (gunicorn processes), "
        f"load clients CPU {sum(msg[2] for msg in replies):.2f} s, on {os.cpu_count()} cores"
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

    t0 = time.time()
    step_id = step_id_in(await teacher.go(1))
    for p in pipes:
        p.send(("go", t0))
    updates = [ms for msg in await gather_all() for ms in msg[1]]
    log(f"updates received: {len(updates)}/{n}")

    answers = await _answers(pipes, gather_all, step_id, SPREAD_S, "the room within 2 s")
    burst = await _answers(pipes, gather_all, step_id, 0, "a burst, all at once")
    stored = (await teacher.results())[1]["result"]["answers"]
    log(f"answers acknowledged: {len(answers)}/{n}; stored {stored}/{n}")
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
        "lost": (n - len(updates)) + (n - stored),
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
