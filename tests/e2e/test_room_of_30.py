"""A room of 30: every kind and phase on two projectors, a phone and the controls.

Thirty participants at five tables (long Danish names, 200-character answers with long
compounds) answer over HTTP; one of them is a real phone. On every screen, after every change:
no text clipped, nothing off the projector unless paginated, nothing under the QR badge, no
page wider than its screen. The screenshots go to tests/e2e/screenshots/room30-*.png.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from .axe import violations
from .conftest import PHONE, Room, Watch, show_step, wait_live, watch
from .room_helpers import CHECK, LONG, PROGRAM, TABLES, Phone, answer, name, short

pytestmark = [pytest.mark.e2e, pytest.mark.long]

PEOPLE = 30
SCREENS = {
    "projector-1080": {"viewport": {"width": 1920, "height": 1080}},
    "projector-720": {"viewport": {"width": 1280, "height": 720}},
}


class Screens:
    """The instructor's controls, two projectors and one real phone, checked together."""

    def __init__(self, room: Room, tmp_path, screenshots) -> None:  # noqa: ANN001
        self.watcher = Watch()
        self.shots = screenshots
        self.problems: list[str] = []
        self.axe: list[str] = []
        self.checked = 0
        instructor, self.controls = room.instructor(viewport={"width": 1280, "height": 900})
        watch(self.controls, self.watcher)
        program = tmp_path / "rum-med-30.toml"
        program.write_text(PROGRAM, encoding="utf-8")
        self.controls.goto("/programmer")
        self.controls.locator("input[type=file]").set_input_files(str(program))
        self.controls.get_by_role("button", name="Importér", exact=True).click()
        self.controls.goto("/")
        option = self.controls.locator("option", has_text="Et rum med 30").get_attribute("value")
        self.controls.get_by_label("Program").select_option(option)
        self.controls.get_by_label(re.compile("Borde eller udvalg")).fill("\n".join(TABLES))
        self.controls.get_by_role("button", name="Opret workshop").click()
        self.controls.wait_for_url(re.compile(r"/w/\d+$"))
        self.code = self.controls.locator("#screen").get_attribute("data-code")
        wait_live(self.controls)
        self.projectors = {}
        for key, size in SCREENS.items():
            ctx = room.context(**size, storage_state=instructor.storage_state())
            page = ctx.new_page()
            watch(page, self.watcher)
            page.goto(f"/p/{self.code}")
            wait_live(page)
            self.projectors[key] = page
        # The controls again on a 320 px screen: instructor pages reflow (WCAG 1.4.10).
        narrow = room.context(
            viewport={"width": 320, "height": 640}, storage_state=instructor.storage_state()
        )
        self.narrow = narrow.new_page()
        watch(self.narrow, self.watcher)
        self.narrow.goto(self.controls.url)
        wait_live(self.narrow)
        phone_ctx = room.context(**PHONE)
        self.phone = phone_ctx.new_page()
        watch(self.phone, self.watcher)
        self.phone.goto(f"/j/{self.code}")
        self.phone.get_by_label("Dit navn").fill(name(0))
        self.phone.get_by_label(TABLES[4]).check()
        self.phone.get_by_role("button", name="Kom med").tap()
        wait_live(self.phone)

    def pages(self) -> dict:
        pages = {**self.projectors, "phone": self.phone, "controls": self.controls}
        return {**pages, "controls-320": self.narrow}

    def settle(self) -> None:
        """Every screen holds the newest fragment (the controls' version after the change)."""
        self.controls.reload()
        wait_live(self.controls)
        version = int(self.controls.locator("#screen .fragment").get_attribute("data-v"))
        # An answer moves the workshop's version but is pushed only to the screens it changed;
        # the watched phone asks for its fragment, as it does on waking, to be current too.
        self.phone.evaluate("() => window.facilitatorLive.refetch()")
        for page in self.pages().values():
            page.wait_for_function(
                "(v) => +document.querySelector('#screen .fragment').dataset.v >= v", arg=version
            )
        self.phone.wait_for_timeout(300)

    def check(self, label: str) -> None:
        self.settle()
        for key, page in self.pages().items():
            found = page.evaluate(CHECK, {"projector": key.startswith("projector")})
            self.checked += 1
            self.problems += [f"{label} {key}: {p}" for p in found]
            if key not in ("projector-720", "controls-320"):  # the same pages, only smaller
                self.axe += [f"{label} {key}: {v}" for v in violations(page)]
            page.screenshot(path=self.shots / f"room30-{label}-{key}.png")


# A hundred and thirty screens with a screenshot each, seventy-eight axe runs: over the default.
@pytest.mark.timeout(600)
def test_a_room_of_30_fits_every_screen(room: Room, tmp_path, screenshots) -> None:  # noqa: ANN001
    s = Screens(room, tmp_path, screenshots)
    s.check("lobby")
    phones = [Phone(room.server.url, s.code) for _ in range(PEOPLE - 1)]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda ip: ip[1].join(name(ip[0] + 1), TABLES[ip[0] % 5]), enumerate(phones)))
    expect(s.controls.get_by_test_id("joined")).to_have_text(str(PEOPLE))
    every = list(enumerate(phones, start=1))

    def each(fn) -> None:  # noqa: ANN001
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(lambda ip: fn(*ip), every))

    show_step(s.controls, "Velkommen til MED-grunduddannelsen for " + LONG)
    s.check("info")

    show_step(s.controls, "Information og drøftelse")
    each(lambda i, p: p.submit({"value": i % 5 + 1}))
    s.check("scale-open")
    s.controls.get_by_role("button", name=re.compile("Vis fordelingen")).click()
    s.check("scale-revealed")

    show_step(s.controls, "Overvej til i morgen")
    each(lambda i, p: p.submit({"a0": answer(i), "a1": answer(i + 7)}))
    s.check("reflection-questions")
    s.controls.get_by_test_id("rf-show-1").click()
    s.check("reflection-wall")

    show_step(s.controls, "Opgaver i MED")
    categories = ["0", "1", "2", "3"]
    each(
        lambda i, p: p.submit(
            {"op": "note", "slot": 1, "text": answer(i), "category": categories[i % 4]}
        )
    )
    s.check("ideas-collect")
    s.controls.get_by_test_id("ideas-phase-vote").click()
    # The phones below are plain HTTP: they act only once the server has opened the vote.
    expect(s.controls.get_by_test_id("ideas-phase-vote")).to_have_attribute("aria-pressed", "true")
    each(lambda i, p: [p.tap("+", nth=i * 3 + d) for d in range(3)])
    s.check("ideas-vote")
    s.controls.get_by_test_id("ideas-phase-reveal").click()
    s.check("ideas-reveal")

    show_step(s.controls, "Interview om målet")
    s.controls.get_by_role("button", name="Dan par og start").click()
    s.check("interview-think")
    s.controls.get_by_role("button", name="Start første tur nu").click()
    s.check("interview-turn")

    show_step(s.controls, "Ordet rundt")
    s.controls.get_by_role("button", name="Start runden").click()
    s.check("roundrobin-think")
    s.controls.get_by_role("button", name="Start taletiden nu").click()
    s.check("roundrobin-running")
    s.controls.get_by_role("button", name="Stop runden").click()
    s.check("roundrobin-finished")

    show_step(s.controls, "Talechips")
    s.controls.get_by_role("button", name="Start samtalen").click()
    expect(s.controls.get_by_role("button", name="Afslut og vis fordelingen")).to_be_visible()
    each(lambda i, p: p.tap("Jeg vil gerne sige noget"))
    s.check("talechips-running")
    s.controls.get_by_role("button", name="Afslut og vis fordelingen").click()
    s.check("talechips-ended")

    show_step(s.controls, "Tip en 13'er")
    each(
        lambda i, p: [
            p.submit({"row": r, "answer": "1X2"[i % 3], "coupon": "mine"}) for r in (1, 2)
        ]
    )
    s.check("tip13-coupons")
    s.controls.get_by_role("button", name="Lås kuponerne").click()
    s.controls.get_by_test_id("tip13-reveal-next").click()
    s.check("tip13-row1")
    s.controls.get_by_role("button", name="Vis alt og resultattavlen").click()
    s.check("tip13-board")

    show_step(s.controls, "Opfølgning på dit personlige mål")
    s.check("goalfollowup")

    show_step(s.controls, "Jeres handleplan")
    each(lambda i, p: p.add_plan_row(i))
    s.check("actionplan-rows")
    s.controls.get_by_test_id("show-links").click()
    s.check("actionplan-links")

    # The meeting kinds, each once in its fullest state (one check each keeps the run short).
    show_step(s.controls, "Evt. spørgsmål")
    each(lambda i, p: p.submit({"op": "ask", "slot": 1, "text": answer(i)}))
    each(lambda i, p: p.vote(i))
    s.check("questions-ranked")

    show_step(s.controls, "Inddragelse af baglandet")
    # One writer per table and question (a second one would meet the first one's revision).
    each(lambda i, p: i < 15 and p.submit({"q": i // 5, "text": answer(i, 600), "rev": 0}))
    s.controls.get_by_test_id("case-show-table").filter(has_text=TABLES[1]).click()
    s.check("case-table")

    kinds = ["information", "droeftelse", "beslutning"]
    show_step(s.controls, "Dagsorden for MED-udvalget")
    each(
        lambda i, p: p.submit(
            {"op": "save", "item": "new", "title": short(i), "type": kinds[i % 3],
             "minutes": 10 + i % 4 * 5, "note": answer(i, 120)}
        )
    )  # fmt: skip
    s.check("agenda-tables")

    show_step(s.controls, "Årshjul for MED-udvalget")
    each(
        lambda i, p: p.submit(
            {"op": "save", "item": "new", "title": short(i), "period": i % 12 + 1,
             "note": answer(i, 120)}
        )
    )  # fmt: skip
    s.check("wheel-tables")

    assert s.checked >= 5 * 26, s.checked
    print(f"room of 30: {s.checked} screens checked, {len(s.problems)} problems")
    (screenshots / "room30-problems.txt").write_text("\n".join(s.problems), encoding="utf-8")
    (screenshots / "room30-axe.txt").write_text("\n".join(s.axe), encoding="utf-8")
    print(f"room of 30: {len(s.axe)} axe violations")
    assert not s.axe, "\n".join(s.axe[:40])
    assert not s.problems, "\n".join(s.problems[:60]) + f"\n({len(s.problems)} problems)"
    assert not s.watcher.errors and not s.watcher.foreign, (s.watcher.errors, s.watcher.foreign)
