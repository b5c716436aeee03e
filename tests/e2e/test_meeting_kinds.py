"""The four meeting kinds in a real browser: questions, case, agenda and årshjul at two tables."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PROJECTOR, Room, Watch, join, show_step, wait_live, watch

pytestmark = [pytest.mark.e2e, pytest.mark.long]

SCRIPT = "<script>alert('x')</script>"
PIA_Q = "Hvornår får vi referatet fra i går?"
AASE_Q = "Må suppleanter deltage i møderne?"


def create(page) -> tuple[int, str]:  # noqa: ANN001
    page.goto("/")
    page.get_by_label("Program").select_option("moeder_demo")
    page.get_by_label("Titel").fill("MED-grunduddannelse, dag 2")
    page.get_by_label(re.compile("Borde eller udvalg")).fill("Bord 1\nBord 2")
    page.get_by_role("button", name="Opret workshop").click()
    page.wait_for_url(re.compile(r"/w/\d+$"))
    return int(page.url.rsplit("/", 1)[-1]), page.locator("#screen").get_attribute("data-code")


def shoot(projector, phone, screenshots, name: str) -> None:  # noqa: ANN001
    """The projector at 1920x1080 and 1280x720, and one phone at 390x844."""
    projector.screenshot(path=screenshots / f"meeting-{name}-projector.png")
    projector.set_viewport_size({"width": 1280, "height": 720})
    projector.screenshot(path=screenshots / f"meeting-{name}-projector-720.png")
    projector.set_viewport_size({"width": 1920, "height": 1080})
    phone.screenshot(path=screenshots / f"meeting-{name}-phone.png", full_page=True)


def post_many(page, code: str, rows: list[dict]) -> None:  # noqa: ANN001
    """Answers sent as the phone's own htmx posts would be, to fill a table quickly."""
    import json

    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    sid = re.search(r"/s/(\d+)", page.locator("form[hx-post]").first.get_attribute("hx-post"))
    for row in rows:
        resp = page.request.post(
            f"/j/{code}/s/{sid.group(1)}", form=row,
            headers={"X-CSRFToken": token, "HX-Request": "true"},
        )  # fmt: skip
        assert resp.status == 200, resp.text()


def nothing_cut(projector, selector: str) -> None:  # noqa: ANN001
    """Every element of `selector` lies wholly inside the projector's window, at both sizes."""
    for size in ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720}):
        projector.set_viewport_size(size)
        outside = projector.evaluate(
            """(sel) => Array.from(document.querySelectorAll(sel)).filter((el) => {
                const r = el.getBoundingClientRect();
                return r.bottom > window.innerHeight + 1 || r.right > window.innerWidth + 1;
            }).map((el) => el.textContent.trim().slice(0, 40))""",
            selector,
        )
        assert outside == [], (size, outside)
    projector.set_viewport_size({"width": 1920, "height": 1080})


def add_agenda_item(page, title: str, kind: str, minutes: str) -> None:  # noqa: ANN001
    form = page.locator(".ag-new")
    form.get_by_label("Punkt").fill(title)
    form.get_by_label(kind).check()
    form.get_by_label("Minutter").fill(minutes)
    form.get_by_role("button", name="Sæt på dagsordenen").tap()
    expect(page.get_by_test_id("ag-item").filter(has_text=title)).to_be_visible()


def add_wheel_item(page, title: str, month: str) -> None:  # noqa: ANN001
    form = page.locator(".aw-new")
    form.get_by_label("Hvad").fill(title)
    form.get_by_label("Hvilken måned").select_option(label=month)
    form.get_by_role("button", name="Sæt i årshjulet").tap()
    expect(page.get_by_test_id("aw-item").filter(has_text=title)).to_be_visible()


def test_questions_case_agenda_and_wheel_at_two_tables(room: Room, screenshots) -> None:  # noqa: ANN001
    watcher = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, watcher)
    _workshop_id, code = create(controls)
    wait_live(controls)
    projector = room.window(instructor)
    watch(projector, watcher)
    projector.goto(f"/p/{code}")
    wait_live(projector)
    people = [("Pia", "Bord 1"), ("Ole", "Bord 1"), ("Åse", "Bord 2")]
    pia, ole, aase = (join(room, code, n, g, watcher) for n, g in people)

    # Evt. spørgsmål: asked anonymously, upvoted, ranked, one marked answered.
    show_step(controls, "Evt. spørgsmål")
    for page, text in ((pia, PIA_Q), (aase, AASE_Q), (ole, SCRIPT)):
        page.get_by_label("Dit spørgsmål").fill(text)
        page.get_by_test_id("qs-send").tap()
        expect(page.get_by_test_id("qs-item").filter(has_text=text)).to_be_visible()
    for page in (ole, aase):
        page.get_by_test_id("qs-item").filter(has_text=PIA_Q).get_by_test_id("qs-vote").tap()
        expect(page.get_by_test_id("qs-item").filter(has_text=PIA_Q)).to_contain_text(
            "Fjern min stemme"
        )
    expect(projector.get_by_test_id("qs-line").first).to_contain_text(PIA_Q)
    expect(projector.get_by_test_id("qs-line").first).to_contain_text("2")
    expect(projector.get_by_test_id("qs-projector")).to_contain_text(SCRIPT)  # as text
    for name in ("Pia", "Ole", "Åse"):
        expect(projector.get_by_test_id("qs-projector")).not_to_contain_text(name)
    shoot(projector, ole, screenshots, "questions")
    asked = [
        {"op": "ask", "slot": str(n), "text": f"Hvordan kan vi i udvalget blive bedre til at {w}?"}
        for n, w in enumerate(["lytte", "dele referater", "følge op", "inddrage kolleger"], 2)
    ]
    post_many(pia, code, asked)
    post_many(aase, code, [{"op": "ask", "slot": "2", "text": "Hvad gør vi, hvis " + "ord " * 45}])
    expect(projector.get_by_test_id("qs-more")).to_be_visible()
    nothing_cut(projector, ".qs-line, .qs-more")
    projector.screenshot(path=screenshots / "meeting-questions-full-projector.png")
    controls.get_by_test_id("qs-controls-row").filter(has_text=PIA_Q).get_by_test_id(
        "qs-answer"
    ).click()
    expect(projector.get_by_test_id("qs-projector")).not_to_contain_text(PIA_Q)
    expect(pia.get_by_test_id("qs-item").filter(has_text=PIA_Q)).to_contain_text("2 stemmer")

    # Case: Pia and Ole write for Bord 1, Åse for Bord 2; the instructor shows Bord 1.
    show_step(controls, "Inddragelse af baglandet")
    projector.screenshot(path=screenshots / "meeting-case-text-projector.png")
    nothing_cut(projector, ".case-body, .case-questions li, .case-progress")
    pia.get_by_test_id("case-input").nth(0).fill("Alle på vagtholdet\nog tillidsrepræsentanten")
    pia.get_by_test_id("case-save").nth(0).tap()
    expect(ole.get_by_test_id("case-input").nth(0)).to_have_value(re.compile("Alle på vagtholdet"))
    ole.get_by_test_id("case-input").nth(1).fill("Et kort personalemøde i næste uge")
    ole.get_by_test_id("case-save").nth(1).tap()
    aase.get_by_test_id("case-input").nth(0).fill("Dem, der har små børn")
    aase.get_by_test_id("case-save").nth(0).tap()
    expect(projector.get_by_test_id("case-progress")).to_contain_text("Bord 1: 2 af 3")
    controls.get_by_test_id("case-show-table").filter(has_text="Bord 1").click()
    expect(projector.get_by_test_id("case-card").nth(1)).to_contain_text("personalemøde")
    expect(projector.get_by_test_id("case-projector")).not_to_contain_text("små børn")
    shoot(projector, ole, screenshots, "case")
    nothing_cut(projector, ".case-card")

    # Dagsorden: Bord 1 builds and reorders; Bord 2 writes its own.
    show_step(controls, "Dagsorden for MED-udvalget")
    add_agenda_item(pia, "Orientering om ny vagtplan", "Information", "20")
    add_agenda_item(ole, "Retningslinje for pauser", "Beslutning", "45")
    add_agenda_item(pia, "Sygefravær i første kvartal", "Drøftelse", "70")
    ole.get_by_test_id("ag-item").filter(has_text="Retningslinje for pauser").get_by_test_id(
        "ag-up"
    ).tap()
    expect(pia.get_by_test_id("ag-item").first).to_contain_text("Retningslinje for pauser")
    expect(pia.get_by_test_id("ag-total")).to_contain_text("135 af 120 min")
    add_agenda_item(aase, "Budget 2027", "Beslutning", "30")
    tables = projector.get_by_test_id("ag-table")
    expect(tables.nth(0)).to_contain_text("15 min for meget")
    expect(tables.nth(1)).to_contain_text("Budget 2027")
    shoot(projector, pia, screenshots, "agenda")
    controls.get_by_test_id("ag-project").first.click()
    expect(projector.get_by_test_id("ag-table")).to_have_count(1)
    projector.screenshot(path=screenshots / "meeting-agenda-one-projector.png")
    nothing_cut(projector, ".ag-prow, .ag-more")
    controls.get_by_role("button", name="Vis alle borde").click()
    long = "Opfølgning på arbejdspladsvurderingen og handleplanen for "
    many = [
        {
            "op": "save",
            "item": "new",
            "title": f"{long}team {n}",
            "type": "droeftelse",
            "minutes": "10",
        }
        for n in range(1, 12)
    ]
    post_many(aase, code, many)
    expect(projector.get_by_test_id("ag-more")).to_be_visible()
    nothing_cut(projector, ".ag-prow, .ag-more")
    projector.screenshot(path=screenshots / "meeting-agenda-full-projector.png")

    # Årshjul: months per table, shown as a year on the projector.
    show_step(controls, "Årshjul for MED-udvalget")
    add_wheel_item(pia, "APV", "Marts")
    add_wheel_item(ole, "Budget", "September")
    add_wheel_item(aase, "Trivselsmåling", "Oktober")
    add_wheel_item(aase, "Arbejdsmiljødrøftelsen", "Oktober")
    add_wheel_item(aase, "Temadrøftelse om vold", "Oktober")
    october = projector.locator("tr", has_text="Oktober").get_by_test_id("aw-cell")
    expect(october.nth(1)).to_contain_text("Trivselsmåling")
    expect(october.nth(1).get_by_test_id("aw-more")).to_have_text("+ 2")
    expect(projector.locator("tr", has_text="September")).to_contain_text("Budget")
    shoot(projector, aase, screenshots, "wheel")
    months = ["5", "5", "5", "6", "6", "11", "11", "12", "12", "1", "2", "4"]
    post_many(aase, code, [
        {"op": "save", "item": "new", "title": f"Temadrøftelse om trivsel nr. {n}", "period": m}
        for n, m in enumerate(months, start=1)
    ])  # fmt: skip
    expect(projector.locator("tr", has_text="Maj").get_by_test_id("aw-more")).to_be_visible()
    nothing_cut(projector, ".aw-year-table tr")
    projector.screenshot(path=screenshots / "meeting-wheel-full-projector.png")
    with controls.expect_download() as download:
        controls.get_by_test_id("aw-ics").first.click()
    assert download.value.suggested_filename.endswith(".ics")

    assert not watcher.errors, watcher.errors
    assert not watcher.foreign, watcher.foreign
