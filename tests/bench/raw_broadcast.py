"""The floor under the update: a bare Flask-SocketIO broadcast of the same size, same run.

A server with nothing but Flask-SocketIO on gevent (as `make run` serves the app) runs in a
subprocess; N clients connect as the phones do; one HTTP POST makes it broadcast a message
the size of the update's fragment, and each client's time from the POST to the message is
measured, as the update's is from the instructor's click. The server is raw_server.py.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time

import aiohttp
import socketio

from tests.live_server import free_port

from .common import JOIN_CONCURRENCY, log, pct

ROUNDS = 3  # broadcasts measured; the median of their p95s is reported


async def measure(n: int, size: int) -> float:
    """The median over ROUNDS broadcasts of the p95 ms until each of n sockets has it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tests.bench.raw_server", str(port)])
    base = f"http://127.0.0.1:{port}"
    clients: list[socketio.AsyncClient] = []
    try:
        async with aiohttp.ClientSession() as http:
            await _healthy(http, base)
            got: dict[int, float] = {}
            done = asyncio.Event()

            async def connect(i: int, gate: asyncio.Semaphore) -> None:
                sio = socketio.AsyncClient(reconnection=False)

                @sio.on("fragment")
                async def _fragment(_msg: dict) -> None:
                    got[i] = time.perf_counter()
                    if len(got) == n:
                        done.set()

                async with gate:
                    await sio.connect(base, transports=["websocket"], wait_timeout=20)
                clients.append(sio)

            gate = asyncio.Semaphore(JOIN_CONCURRENCY)
            await asyncio.gather(*(connect(i, gate) for i in range(n)))
            p95s = []
            for _round in range(ROUNDS):
                got.clear()
                done.clear()
                await asyncio.sleep(0.5)
                start = time.perf_counter()
                async with http.post(f"{base}/emit", json={"size": size}) as r:
                    assert r.status == 204, r.status
                try:
                    await asyncio.wait_for(done.wait(), 10)
                except TimeoutError:
                    log(f"raw broadcast: {n - len(got)} of {n} sockets missed it")
                p95s.append(pct([(t - start) * 1000 for t in got.values()], 95))
            log(f"raw broadcast of {size} bytes to {n} sockets: p95 {p95s} ms")
            return statistics.median(p95s)
    finally:
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
        server.terminate()
        server.wait(timeout=10)


async def _healthy(http: aiohttp.ClientSession, base: str) -> None:
    for _attempt in range(100):
        try:
            async with http.get(f"{base}/healthz") as r:
                if r.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("raw broadcast server did not start")
