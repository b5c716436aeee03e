"""Handleplaner in a real browser: built on the day from idea board themes, followed up weeks later.

The server is our own (tests/live_server.py): to move the clock, it is stopped and started
again on the same database with FACILITATOR_TODAY set weeks ahead, as the committee meets.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from playwright.sync_api import expect

from facilitator.timefmt import COPENHAGEN
from tests.databases import Databases
from tests.live_server import LiveServer

from .conftest import (
    PHONE,
    PROJECTOR,
    Room,
    Watch,
    join,
    server_with_instructor,
    show_step,
    wait_live,
    watch,
)

pytestmark = [pytest.mark.e2e, pytest.mark.long]

PLAN_STEP = "Jeres handleplan"
IDEAS_STEP = "Hvad skal vi gøre noget ved?"
MED = "Overordnede opgaver (MED-udvalget)"
DAILY = "Daglige opgaver (arbejdsmiljøgruppen)"
DAY = datetime.now(COPENHAGEN).date()  # the server's today, not this machine's
SOON = DAY + timedelta(days=14)  # overdue by the time the committee meets
LATER = DAY + timedelta(days=90)
MEETING_DAY = DAY + timedelta(days=45)


@pytest.fixture
def plan_server(tmp_path: Path, databases: Databases):
    server = server_with_instructor(databases, tmp_path / "instance")
    server.start()
    yield server
    server.stop()
    databases.drop(server.env_extra["DATABASE_URL"])


def add_row(page, activity: str, tovholder: str, deadline: date | None, theme: str = "") -> None:  # noqa: ANN001
    form = page.locator("details.plan-add")
    if not form.get_attribute("open") is not None:
        form.locator("summary").tap()
    form.get_by_label("Problem eller tema").fill(theme)
    form.get_by_label("Aktivitet: hvad gør vi?").fill(activity)
    form.get_by_label("Tovholder").fill(tovholder)
    if deadline:
        form.get_by_label("Deadline").fill(deadline.isoformat())
    form.get_by_role("button", name="Tilføj rækken").tap()
    expect(page.locator(".plan-phone .pi-activity", has_text=activity)).to_be_visible()


def write(page, text: str, category: str) -> None:  # noqa: ANN001
    """A post-it on the idea board, from the phone."""
    form = page.get_by_test_id("ideas-add")
    form.get_by_label("Ny seddel").fill(text)
    form.get_by_label(category).check()
    form.get_by_role("button", name="Sæt sedlen op").tap()
    expect(page.locator("[data-testid=ideas-mine] .ideas-text", has_text=text)).to_have_count(1)


def dot(page, title: str, count: int) -> None:  # noqa: ANN001
    unit = page.locator("[data-testid=ideas-unit]", has_text=title)
    unit.get_by_role("button", name="Giv en prik").tap()
    expect(unit.get_by_test_id("ideas-my")).to_have_attribute("data-count", str(count))


def move(controls, note: str, to: str) -> None:  # noqa: ANN001
    row = controls.locator("[data-testid=ideas-ctl-note]", has_text=note)
    row.get_by_label("Flyt sedlen").select_option(label=to)
    row.get_by_role("button", name="Flyt").click()


def idea_board(controls, projector, pia, ole, kim) -> None:  # noqa: ANN001
    """Each group's wall: notes, one theme made by the instructor, dots, the ranking."""
    show_step(controls, IDEAS_STEP)
    write(pia, "Støj i frokoststuen", DAILY)
    write(ole, "Larm når alle spiser samtidig", DAILY)
    write(ole, "Fast punkt om trivsel på personalemødet", MED)
    write(kim, "Travlhed", DAILY)
    write(kim, "Vagtplanen kommer for sent", MED)
    controls.get_by_test_id("ideas-phase-sort").click()
    move(controls, "Støj i frokoststuen", "Nyt tema ud fra sedlen")
    move(controls, "Larm når alle spiser samtidig", "Tema: Støj i frokoststuen")
    theme = controls.locator("[data-testid=ideas-ctl-theme]", has_text="Støj i frokoststuen")
    expect(theme.locator("[data-testid=ideas-ctl-note]")).to_have_count(2)
    controls.get_by_test_id("ideas-phase-vote").click()
    dot(pia, "Støj i frokoststuen", 1)
    dot(pia, "Støj i frokoststuen", 2)
    dot(ole, "Støj i frokoststuen", 1)
    dot(ole, "Fast punkt om trivsel", 1)
    dot(kim, "Travlhed", 1)
    dot(kim, "Travlhed", 2)
    expect(projector.get_by_test_id("ideas-dots-placed")).to_have_text("6")
    controls.get_by_test_id("ideas-phase-reveal").click()
    first = projector.get_by_test_id("ideas-ranking").first.locator(".ideas-place").first
    expect(first).to_contain_text("Støj i frokoststuen")
    expect(first).to_contain_text("3 prikker")


def take(page, theme: str, activity: str, tovholder: str, deadline: date) -> None:  # noqa: ANN001
    """One click on a theme from the idea board, then the group writes what it will do."""
    page.get_by_role("button", name=f"Tilføj «{theme}» til planen").tap()
    row = page.locator("[data-testid=row]", has_text=theme)
    expect(row.get_by_label("Aktivitet: hvad gør vi?")).to_be_visible()  # opened at once
    expect(row.get_by_label("Problem eller tema")).to_have_value(theme)
    row.get_by_label("Aktivitet: hvad gør vi?").fill(activity)
    row.get_by_label("Tovholder").fill(tovholder)
    row.get_by_label("Deadline").fill(deadline.isoformat())
    row.get_by_role("button", name="Gem ændringer").tap()
    expect(page.locator(".plan-phone .pi-activity", has_text=activity)).to_be_visible()


def test_plans_from_the_day_to_the_follow_up(
    room: Room, plan_server: LiveServer, screenshots, tmp_path
) -> None:  # noqa: ANN001
    room.server = plan_server
    watcher = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, watcher)
    controls.goto("/")
    controls.get_by_label("Program").select_option("handleplan_demo")
    controls.get_by_label("Titel").fill("Store MED dag")
    controls.get_by_label("Borde eller udvalg").fill("Børnehuset Mælkebøtten\nÆldrecentret Åbakken")
    controls.get_by_role("button", name="Opret workshop").click()
    controls.wait_for_url(re.compile(r"/w/\d+$"))
    code = controls.locator("#screen").get_attribute("data-code")
    wait_live(controls)
    projector = room.window(instructor)
    watch(projector, watcher)
    projector.goto(f"/p/{code}")
    wait_live(projector)

    pia = join(room, code, "Pia", "Børnehuset Mælkebøtten")
    ole = join(room, code, "Ole", "Børnehuset Mælkebøtten")
    kim = join(room, code, "Kim", "Ældrecentret Åbakken")
    for page in (pia, ole, kim):
        watch(page, watcher)

    # The groups find their themes on the idea board first.
    idea_board(controls, projector, pia, ole, kim)

    show_step(controls, PLAN_STEP)
    expect(pia.locator(".plan-phone h1")).to_contain_text("hvem er tovholder")

    # Each group builds its own plan on the phones, from its own top themes with one click.
    offered = pia.get_by_test_id("candidates")
    expect(offered.locator(".candidate").first).to_contain_text("Støj i frokoststuen")
    expect(offered.locator(".candidate").first).to_contain_text("3 prikker")
    expect(offered).not_to_contain_text("Travlhed")
    expect(kim.get_by_test_id("candidates")).to_contain_text("Travlhed")
    expect(kim.get_by_test_id("candidates")).not_to_contain_text("Støj i frokoststuen")
    pia.screenshot(caret="initial", path=screenshots / "plan-phone-candidates.png", full_page=True)
    take(pia, "Støj i frokoststuen", "Lydabsorbenter i frokoststuen", "Åse Ørum", SOON)
    expect(ole.locator(".plan-phone .pi-activity", has_text="Lydabsorbenter")).to_be_visible()
    expect(ole.get_by_test_id("candidates").locator(".c-used")).to_have_count(1)
    add_row(ole, "Fast punkt om trivsel på personalemødet", "Ole", LATER)
    take(kim, "Travlhed", "Bedre overlap mellem vagterne", "Kim", SOON)
    expect(kim.locator(".plan-phone [data-testid=row]")).to_have_count(1)
    expect(pia.locator(".plan-phone [data-testid=row]")).to_have_count(2)

    # Two people edit the same row at once: the second is shown the conflict, keeps the text.
    first = pia.locator("[data-testid=row]").first
    first.locator("details.pi-edit summary").tap()
    first.get_by_label("Aktivitet: hvad gør vi?").fill("Lydabsorbenter og gardiner i frokoststuen")
    ole.locator("[data-testid=row]").first.get_by_role("button", name="I gang").tap()
    expect(projector.locator(".pp-board").first.locator(".sp-name").first).to_have_text("I gang")
    # Ole's move was pushed to Pia's phone, but it waits while she is typing.
    expect(first.get_by_label("Aktivitet: hvad gør vi?")).to_have_value(
        "Lydabsorbenter og gardiner i frokoststuen"
    )
    first.get_by_role("button", name="Gem ændringer").tap()
    error = pia.get_by_test_id("row-error")
    expect(error).to_contain_text("Ole har ændret rækken, mens du skrev")
    expect(
        pia.locator("[data-testid=row]").first.get_by_label("Aktivitet: hvad gør vi?")
    ).to_have_value("Lydabsorbenter og gardiner i frokoststuen")
    pia.screenshot(caret="initial", path=screenshots / "plan-phone-conflict.png", full_page=True)
    pia.locator("[data-testid=row]").first.get_by_role("button", name="Gem ændringer").tap()
    expect(pia.locator(".plan-phone .pi-activity").first).to_have_text(
        "Lydabsorbenter og gardiner i frokoststuen"
    )
    expect(pia.get_by_test_id("row-error")).to_have_count(0)

    expect(projector.locator(".pp-board")).to_have_count(2)
    expect(projector.locator(".pp-board").nth(1)).to_contain_text("Bedre overlap")
    projector.screenshot(caret="initial", path=screenshots / "plan-projector-build.png")
    pia.screenshot(caret="initial", path=screenshots / "plan-phone-build.png", full_page=True)

    # End of the day: links and QR codes for every group.
    controls.get_by_test_id("show-links").click()
    expect(projector.locator(".pp-qr svg")).to_have_count(2)
    projector.screenshot(caret="initial", path=screenshots / "plan-projector-links.png")
    expect(pia.get_by_test_id("phone-links")).to_be_visible()
    pia.screenshot(caret="initial", path=screenshots / "plan-phone-links.png", full_page=True)
    edit_url = pia.get_by_test_id("phone-edit-link").get_attribute("href")
    view_url = pia.get_by_test_id("phone-view-link").get_attribute("href")
    assert re.fullmatch(rf"{plan_server.url}/plan/[\w-]{{40,}}", edit_url), edit_url
    assert re.fullmatch(rf"{plan_server.url}/plan/v/[\w-]{{40,}}", view_url), view_url
    # The one expected error: the browser logs the conflict's 422 (it is shown, as it should).
    unexpected = [e for e in watcher.errors if "status of 422" not in e]
    assert len(watcher.errors) - len(unexpected) == 1
    assert not unexpected and not watcher.foreign, (unexpected, watcher.foreign)
    room.close()

    # Weeks later: the committee meets. Same database, the clock moved on.
    plan_server.stop()
    plan_server.env_extra["FACILITATOR_TODAY"] = MEETING_DAY.isoformat()
    plan_server.start()
    _followup(room, plan_server, edit_url, view_url, screenshots, tmp_path)


def _followup(
    room: Room, server: LiveServer, edit_url: str, view_url: str, screenshots, tmp_path
) -> None:  # noqa: ANN001
    watcher = Watch()
    pc = room.context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = pc.new_page()
    watch(page, watcher)
    page.goto(edit_url)
    expect(page.get_by_test_id("plan-title")).to_have_text("Handleplan")
    expect(page.get_by_test_id("overdue-count")).to_contain_text("1 række over fristen")
    overdue = page.locator(".sec-overdue [data-testid=row]")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("Lydabsorbenter og gardiner")
    expect(overdue).to_contain_text("31 dage over fristen")
    page.get_by_label("Dit navn").first.fill("Åse Ørum")
    page.get_by_role("button", name="Gem navn").click()

    # Move the row along the statuspil: done, then (after checking it helped) evaluated.
    row = page.locator("[data-testid=row]", has_text="Lydabsorbenter")
    row.get_by_role("button", name="Gennemført").click()
    expect(page.locator(".sec-done [data-testid=row]")).to_contain_text("Lydabsorbenter")
    expect(page.get_by_test_id("overdue-count")).to_contain_text("Ingen rækker over fristen")
    row = page.locator("[data-testid=row]", has_text="Lydabsorbenter")
    row.locator("details.pi-log summary").click()
    expect(row.locator(".pi-history")).to_contain_text("Åse Ørum")
    expect(row.locator(".pi-history")).to_contain_text("flyttede fra «I gang» til «Gennemført»")
    expect(row.locator(".pi-history")).to_contain_text(f"{MEETING_DAY.day}. ")
    page.screenshot(caret="initial", path=screenshots / "plan-edit-pc.png", full_page=True)

    # Exports: open the files and read them.
    with page.expect_download() as got:
        page.get_by_test_id("export-csv").click()
    raw = Path(got.value.path()).read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Handleplan", "Udvalg/gruppe", "Nr.", "Problem/tema", "Aktivitet"]
    by_activity = {r[4]: r for r in rows[1:]}
    assert by_activity["Lydabsorbenter og gardiner i frokoststuen"][1] == "Børnehuset Mælkebøtten"
    assert by_activity["Lydabsorbenter og gardiner i frokoststuen"][5] == "Åse Ørum"
    assert by_activity["Lydabsorbenter og gardiner i frokoststuen"][8] == "Gennemført"
    with page.expect_download() as got:
        page.get_by_test_id("export-xlsx").click()
    assert got.value.suggested_filename == "handleplan-boernehuset-maelkeboetten.xlsx"
    got.value.save_as(tmp_path / "plan.xlsx")
    book = load_workbook(tmp_path / "plan.xlsx")
    sheet = book["Handleplan"]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert {v[4] for v in values} == {
        "Lydabsorbenter og gardiner i frokoststuen",
        "Fast punkt om trivsel på personalemødet",
    }
    assert any(v[6] is not None and v[6].date() == LATER for v in values)
    assert "Åse Ørum" in [c.value for c in book["Historik"]["D"]]

    # The calendar feed: subscribe and parse it.
    feed = page.request.get(page.get_by_test_id("calendar").get_attribute("href"))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(feed.body()).walk("VEVENT")}
    assert events["Frist: Fast punkt om trivsel på personalemødet"].decoded("DTSTART") == LATER
    assert "Frist: Lydabsorbenter og gardiner i frokoststuen (gennemført)" in events

    # Follow-up meeting mode on the committee's screen.
    meeting = room.context(**PROJECTOR).new_page()
    watch(meeting, watcher)
    meeting.goto(edit_url + "/meeting")
    meeting.get_by_role("link", name="Start gennemgangen").click()
    expect(meeting.get_by_test_id("meeting-progress")).to_have_text("Række 1 af 2")
    meeting.screenshot(caret="initial", path=screenshots / "plan-meeting-row.png")
    meeting.get_by_label("Effekt evalueret").check()
    meeting.get_by_label("Ja", exact=True).check()  # «Har det virket?»
    meeting.get_by_label("Hvad lærte vi?").fill("Små ting i rummet flytter trivslen.")
    meeting.get_by_label("Beslutning eller aftale").fill("Det virker: færre klager over støj.")
    meeting.get_by_role("button", name="Gem og næste").click()
    expect(meeting.get_by_test_id("meeting-progress")).to_have_text("Række 2 af 2")
    meeting.get_by_label("I gang").check()
    meeting.get_by_role("button", name="Gem og næste").click()
    expect(meeting.get_by_role("heading", name="Gennemgangen er færdig")).to_be_visible()
    meeting.get_by_label("Hvornår følger vi op næste gang?").fill(
        (MEETING_DAY + timedelta(days=30)).isoformat()
    )
    meeting.get_by_role("button", name="Gem mødet").click()
    expect(meeting.locator(".flash")).to_contain_text("Mødet er gemt")

    # The read-only link shows all of it and can change nothing.
    reader = room.context(**PHONE).new_page()
    watch(reader, watcher)
    reader.goto(view_url)
    expect(reader.get_by_test_id("plan-title")).to_have_text("Handleplan")
    expect(reader.locator("[data-testid=row]")).to_have_count(2)
    expect(reader.locator("form")).to_have_count(0)
    expect(reader.get_by_role("button", name="Gennemført")).to_have_count(0)
    expect(reader.get_by_test_id("effect")).to_contain_text("Små ting i rummet flytter trivslen.")
    reader.screenshot(caret="initial", path=screenshots / "plan-view-phone.png", full_page=True)
    csrf = reader.evaluate(
        "() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']"
    )
    view_token = view_url.rsplit("/", 1)[-1]
    item_id = reader.locator("[data-testid=row]").first.get_attribute("id").split("-")[1]
    tried = reader.request.post(
        f"{server.url}/plan/{view_token}/items/{item_id}/stage",
        form={"stage": "0", "version": "99", "csrf_token": csrf},
    )
    assert tried.status == 404
    wrong = reader.goto(f"{server.url}/plan/{'A' * 43}")
    assert wrong.status == 404
    expect(reader.get_by_role("heading")).to_contain_text("Planen findes ikke")
    reader.goto(view_url)
    expect(reader.locator(".sp-name").first).to_be_visible()

    # A clean A4 page for print and PDF.
    printer = room.context().new_page()
    printer.goto(edit_url + "/print")
    printer.emulate_media(media="print")
    pdf = printer.pdf(prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages == 1, f"the plan should print on one A4 page, not {pages}"
    (tmp_path / "plan.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):  # the printed page as a picture, to look at
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "plan.pdf"),
             str(screenshots / "plan-print-pdf")],
            check=True, timeout=60,
        )  # fmt: skip
    printer.screenshot(caret="initial", path=screenshots / "plan-print.png", full_page=True)

    # The instructor's overview counts what is overdue across plans.
    _ctx, controls = room.instructor()
    controls.goto("/plans")
    expect(controls.get_by_test_id("total-plans")).to_have_text("2")
    expect(controls.get_by_test_id("total-overdue")).to_have_text("1")  # Åbakken's row
    controls.screenshot(caret="initial", path=screenshots / "plan-overview.png", full_page=True)
    # Expected: the 404 of the wrong token above (the browser logs it).
    unexpected = [e for e in watcher.errors if "status of 404" not in e]
    assert len(watcher.errors) - len(unexpected) == 1
    assert not unexpected and not watcher.foreign, (unexpected, watcher.foreign)
