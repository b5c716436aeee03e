"""Tip en 13'er at scale: N phones fill in the coupon row by row, as people do.

Each phone answers its 13 rows one after another with a short pause between rows (reading
the next statement); every answer's acknowledgement is timed, then the stored answers are
counted in the instructor's results download.
"""

from __future__ import annotations

import asyncio
import random

import aiohttp

from .common import Instructor, Phone, join_all, log, pct, session, step_id_in

PER_GROUP = 6
TIP13_POSITION = 1  # in med_tip13.toml
PAUSE_S = (0.2, 1.0)


async def run(base: str, n: int) -> str:
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    teacher = await Instructor.login(base, connector)
    groups = [f"Bord {i + 1}" for i in range(max(1, -(-n // PER_GROUP)))]
    code = await teacher.create("med_tip13", "Bench tip13", groups)
    phones = [Phone(i, session(base, connector)) for i in range(n)]
    await join_all(base, code, phones, lambda _p: lambda _h: None, lambda p: p.index // PER_GROUP)
    step_id = step_id_in(await teacher.go(TIP13_POSITION))
    rows = len((await teacher.results())[TIP13_POSITION]["result"]["rows"])

    async def fill(phone: Phone) -> list[float | None]:
        times = []
        for row in range(1, rows + 1):
            await asyncio.sleep(random.uniform(*PAUSE_S))
            data = {"row": str(row), "answer": random.choice("1X2"), "coupon": "mine"}
            times.append(await phone.submit(code, step_id, data))
        return times

    log(f"{n} phones fill in {rows} rows each ...")
    filled = await asyncio.gather(*(fill(p) for p in phones), return_exceptions=True)
    acks = [t for times in filled if isinstance(times, list) for t in times if t is not None]
    result = (await teacher.results())[TIP13_POSITION]["result"]
    stored = sum(sum((r["answers"] or {}).values()) for r in result["rows"])
    lost = n * rows - stored
    log(f"tip13: acked {len(acks)}/{n * rows}, stored {stored}")

    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    await teacher.http.close()
    await connector.close()
    return (
        f"bench-tip13: phones={n} answers={n * rows} "
        f"answer_p95_ms={pct(acks, 95):.0f} answer_p99_ms={pct(acks, 99):.0f} lost={lost}"
    )
