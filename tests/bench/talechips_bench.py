"""Talechips at scale: N phones in groups of 6 (50 tables at N=300), every phone taps.

The projector's socket is watched: for each tap, the time from the tap until the projector
first shows that person's chip as placed (per-person counts turned on, so it is visible).
Taps are spread over TAP_SPREAD_S seconds, as a room of tables talking at once would.
"""

from __future__ import annotations

import asyncio
import random
import re
import time

import aiohttp

from .common import Instructor, Phone, join_all, log, pct, session, step_id_in, wait_for

PER_GROUP = 6
TAP_SPREAD_S = 3.0
WAIT_S = 15.0
PLACED = re.compile(r'data-testid="tc-person" data-name="Deltager (\d+)" [^>]*data-placed="(\d+)"')
TALECHIPS_POSITION = 2  # in fair_talk_demo.toml


async def run(base: str, n: int) -> str:
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    teacher = await Instructor.login(base, connector)
    groups = [f"Bord {i + 1}" for i in range(max(1, -(-n // PER_GROUP)))]
    code = await teacher.create("fair_talk_demo", "Bench talechips", groups)
    phones = [Phone(i, session(base, connector)) for i in range(n)]
    await join_all(base, code, phones, lambda _p: lambda _h: None, lambda p: p.index // PER_GROUP)

    tapped: dict[int, float] = {}
    shown: dict[int, float] = {}
    everyone = asyncio.Event()

    def on_projector(html: str) -> None:
        now = time.perf_counter()
        for index, placed in PLACED.findall(html):
            i = int(index)
            if int(placed) >= 1 and i in tapped and i not in shown:
                shown[i] = now
        if len(shown) == n:
            everyone.set()

    projector = await teacher.screen("projector", on_projector)
    step_id = step_id_in(await teacher.go(TALECHIPS_POSITION))
    await teacher.act(step_id, "toggle_counts")
    await teacher.act(step_id, "start")
    await asyncio.sleep(1.0)

    async def tap(phone: Phone) -> float | None:
        await asyncio.sleep(random.uniform(0, TAP_SPREAD_S))
        tapped[phone.index] = time.perf_counter()
        return await phone.submit(code, step_id, {"what": "chip", "r": "0", "n": "1"})

    log(f"{n} phones at {len(groups)} tables tap «Jeg vil gerne sige noget» ...")
    acks = await asyncio.gather(*(tap(p) for p in phones), return_exceptions=True)
    await wait_for(everyone, WAIT_S)
    acked = [a for a in acks if isinstance(a, float)]
    latencies = [(shown[i] - tapped[i]) * 1000 for i in shown]
    lost = n - len(shown)
    log(f"talechips: acked {len(acked)}/{n}, on projector {len(shown)}/{n}")

    await projector.disconnect()
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    await teacher.http.close()
    await connector.close()
    return (
        f"bench-talechips: phones={n} groups={len(groups)} "
        f"tap_ack_p95_ms={pct(acked, 95):.0f} tap_to_projector_p95_ms={pct(latencies, 95):.0f} "
        f"tap_to_projector_p99_ms={pct(latencies, 99):.0f} lost={lost}"
    )
