"""Idea boards at scale: N phones at tables of 6 each put up a post-it, then place 3 dots.

Runs on the Store MED dag's board «Før målingen: en høj svarprocent», one wall per table
(50 walls at N=300), as a big room works. Every note and every dot is acknowledged and
timed; then the stored notes and dots are counted in the instructor's results download.
"""

from __future__ import annotations

import asyncio
import random
import re

import aiohttp

from .common import Instructor, Phone, join_all, log, pct, session, step_id_in, wait_for

BOARD_POSITION = 8  # «Vores plan for en høj svarprocent» in store_med_dag.toml
PER_GROUP = 6
DOTS = 3
# The phone's «+» buttons (Jinja's tojson sorts the keys): a first dot on each note.
TARGET = re.compile(r'"count": 1, "op": "dot", "target": "([^"]+)"')


async def run(base: str, n: int) -> str:
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    teacher = await Instructor.login(base, connector)
    groups = [f"Bord {i + 1}" for i in range(max(1, -(-n // PER_GROUP)))]
    code = await teacher.create("store_med_dag", "Bench idétavle", groups)
    phones = [Phone(i, session(base, connector)) for i in range(n)]
    # The «+» buttons each phone was pushed when voting opened (as the page receives them).
    targets: dict[int, list[str]] = {}
    voting = asyncio.Event()

    def keep_targets(phone: Phone):
        def on_fragment(html: str) -> None:
            found = TARGET.findall(html)
            if found and phone.index not in targets:
                targets[phone.index] = found
                if len(targets) == n:
                    voting.set()

        return on_fragment

    await join_all(base, code, phones, keep_targets, lambda p: p.index // PER_GROUP)
    step_id = step_id_in(await teacher.go(BOARD_POSITION))

    async def note(phone: Phone) -> float | None:
        await asyncio.sleep(random.uniform(0, 2.0))
        text = f"Opgave nr. {phone.index}: sygefravær, APV og trivsel"
        data = {"op": "note", "slot": "1", "text": text, "category": str(phone.index % 3)}
        return await phone.submit(code, step_id, data)

    log(f"{n} phones put up a note each ...")
    notes = [t for t in await asyncio.gather(*(note(p) for p in phones)) if t is not None]
    await teacher.act(step_id, "vote")
    await wait_for(voting, 15.0)

    async def vote(phone: Phone) -> list[float | None]:
        await asyncio.sleep(random.uniform(0, 2.0))
        mine = targets.get(phone.index, [])
        times = []
        for target in random.sample(mine, min(DOTS, len(mine))):
            data = {"op": "dot", "target": target, "count": "1"}
            times.append(await phone.submit(code, step_id, data))
        return times

    log(f"{n} phones place {DOTS} dots each ...")
    voted = await asyncio.gather(*(vote(p) for p in phones), return_exceptions=True)
    dots = [t for times in voted if isinstance(times, list) for t in times if t is not None]
    result = (await teacher.results())[BOARD_POSITION]["result"]
    stored_notes = len(result["notes"])
    stored_dots = sum(note["dots"] for note in result["notes"])
    lost = (n - stored_notes) + (n * DOTS - stored_dots)
    log(f"ideas: notes {stored_notes}/{n}, dots {stored_dots}/{n * DOTS}")

    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)
    await teacher.http.close()
    await connector.close()
    return (
        f"bench-dots: phones={n} notes={stored_notes} dots={stored_dots} "
        f"note_p95_ms={pct(notes, 95):.0f} dot_p95_ms={pct(dots, 95):.0f} lost={lost}"
    )
