"""The round's overview with 40 workplaces in a real browser: a laptop and a phone, no projector.

The instructor imports the MED structure from a CSV file and creates «Trivselsmåling og APV
2026» through the pages; the plans of the 40 workplaces are written straight into the
server's database (as the day would have made them), and the clock stands on 20 June 2026,
ten days before the deadline. KommuneMED reads it all on a phone through a read link, an
area's AfdelingsMED only its own part; the printed status is one A4 page.
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from facilitator.timefmt import COPENHAGEN
from tests.databases import Databases

from .axe import violations
from .conftest import PHONE, Room, Watch, server_with_instructor, watch

pytestmark = pytest.mark.e2e

TODAY = date(2026, 6, 20)
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
AREAS = {
    "Børn og Familie": ["Dagtilbud Nord", "Dagtilbud Syd", "Hinnerup Skole", "Hadsten Skole",
                        "Tungelundskolen", "PPR", "Sundhedsplejen", "Familiecentret"],
    "Social og Sundhed": ["Ældrecenter Lindelund", "Ældrecenter Rosengården", "Hjemmeplejen Nord",
                          "Hjemmeplejen Syd", "Center for Socialpsykiatri og Misbrugsbehandling, "
                          "Bostedet Solhverv", "Træning og Rehabilitering", "Sygeplejen",
                          "Hjælpemiddeldepotet"],
    "Borger og Ydelsescenteret": ["Ydelseskontoret", "Jobcentret", "Borgerservice", "Integration",
                                  "Ungeindsatsen", "Kontrolgruppen", "Sekretariatet",
                                  "Visitationen"],
    "Kultur, Fritid og Ejendomme": ["Biblioteket", "Musikskolen", "Kommunale Ejendomme",
                                    "Rengøringen", "Idrætshallerne", "Kulturhuset", "Ungdomsskolen",
                                    "Materielgården"],
    "Økonomi og Personale": ["Løn og Personale", "Økonomi", "IT", "Udbud og Indkøb",
                             "Kommunikation", "Jura", "Byrådssekretariatet", "Direktionen"],
}  # fmt: skip
KOMMUNE = "Testrup Kommune"
ACTIVITIES = [
    ("Støj i frokoststuen", "Lydabsorbenter i loftet"),
    ("Travlhed", "Fast ugentlig prioritering på teammødet"),
    ("Psykologisk tryghed", "Trivselsdialog med postkort"),
    ("Introduktion af nye kolleger", "Makkerordning de første tre måneder"),
    ("Indeklima", "Udluftningsplan og CO2-måler"),
    ("Krænkende adfærd", "Fælles retningslinje drøftes i MED"),
]


def med_csv() -> str:
    lines = ["Kommune;Område;Arbejdsplads"]
    for area, places in AREAS.items():
        lines += [f'{KOMMUNE};"{area}";"{place}"' for place in places]
    return "\n".join(lines) + "\n"


def seed_plans(env: dict[str, str]) -> dict[str, int]:
    """Plans for 30 of the 40 workplaces, written into the server's database; what is expected."""
    from sqlalchemy import select

    from facilitator import create_app
    from facilitator.db import db
    from facilitator.org.models import Place
    from facilitator.plans.items import ItemInput, add_item
    from facilitator.plans.service import create_plan

    rng = random.Random(13)
    app = create_app({**env, "AUTO_MIGRATE": False, "SECRET_KEY": "seed", "GC_TUNE": False})
    tally = {"complete": 0, "started": 0, "missing": 0}
    try:
        with app.app_context():
            places = {p.name: p for p in db.scalars(select(Place))}
            workplaces = [name for names in AREAS.values() for name in names]
            for n, name in enumerate(workplaces):
                kind = ("complete", "started", "complete", "missing")[n % 4]
                tally[kind] += 1
                if kind == "missing":
                    continue
                plan = create_plan("Handleplan 2026", f"MED {name}"[:80])
                plan.place_id = places[name].id
                plan.created_at = datetime.combine(date(2026, 5, 20), time(10), tzinfo=COPENHAGEN)
                if n % 3 == 0:
                    plan.last_followup = TODAY - timedelta(days=rng.randint(1, 30))
                # A complete APV plan has its next follow-up meeting set.
                plan.next_followup = TODAY + timedelta(days=rng.randint(7, 60))
                for i in range(rng.randint(1, 6)):
                    theme, activity = ACTIVITIES[(n + i) % len(ACTIVITIES)]
                    deadline = TODAY + timedelta(days=rng.randint(-25, 80))
                    tovholder = "" if kind == "started" and i == 0 else "Arbejdsmiljørep."
                    item = add_item(
                        plan, ItemInput(theme, activity, tovholder, deadline, 2, ""), "Seed"
                    )
                    item.stage = rng.choice([0, 0, 1, 2, 3, 4])
                db.commit()
    finally:
        app.extensions["engine"].dispose()
    return tally


@pytest.fixture
def org_server(tmp_path: Path, databases: Databases):
    server = server_with_instructor(databases, tmp_path / "instance")
    server.env_extra["FACILITATOR_TODAY"] = TODAY.isoformat()
    server.start()
    yield server
    server.stop()
    databases.drop(server.env_extra["DATABASE_URL"])


WIDE = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def looked_at(page, label: str, found: list[str], screenshots: Path) -> None:  # noqa: ANN001
    """No sideways scrolling, nothing for axe; a screenshot of the screen and of the page."""
    page.wait_for_load_state()
    if (over := page.evaluate(WIDE)) > 0:
        found.append(f"{label}: {over} px wider than the screen")
    found += [f"{label}: {v}" for v in violations(page)]
    page.screenshot(caret="initial", path=screenshots / f"org-{label}.png")
    page.screenshot(caret="initial", path=screenshots / f"org-{label}-full.png", full_page=True)


def test_overview_of_40_places_on_a_laptop_and_a_phone(
    browser, org_server, screenshots, tmp_path: Path
) -> None:  # noqa: ANN001
    room = Room(browser, org_server)
    watcher = Watch()
    found: list[str] = []
    try:
        _, page = room.instructor(**LAPTOP)
        watch(page, watcher)
        # From the plans page to the organisation, and the MED structure from a CSV file.
        page.goto("/plans")
        page.get_by_test_id("org-link").click()
        expect(page.get_by_role("heading", name="Organisation og opfølgning")).to_be_visible()
        csv_file = tmp_path / "med-struktur.csv"
        csv_file.write_text(med_csv(), encoding="cp1252")  # as Danish Excel saves it
        page.get_by_label("CSV-fil", exact=True).set_input_files(csv_file)
        page.get_by_role("button", name="Importér").click()
        expect(page.get_by_test_id("place-name")).to_have_text(KOMMUNE)
        expect(page.locator("p.flash")).to_contain_text("46 nye steder")
        expect(page.get_by_test_id("tree").locator("li")).to_have_count(46)
        kommune_url = page.url

        page.get_by_role("button", name="Opret runde").click()
        expect(page.get_by_test_id("round-title")).to_have_text("Trivselsmåling og APV 2026")
        round_url = page.url
        tally = seed_plans(org_server.env_extra)
        page.reload()

        rows = page.get_by_test_id("place-row")
        expect(rows).to_have_count(40)
        expect(page.get_by_test_id("total-complete")).to_have_text(str(tally["complete"]))
        expect(page.get_by_test_id("count-missing")).to_contain_text(str(tally["missing"]))
        expect(page.get_by_test_id("branch")).to_have_count(5)
        expect(page.locator(".org-lead")).to_contain_text("(om 10 dage)")
        expect(page.locator(".org-timeline .st-now")).to_contain_text("Trivselsdialoger")
        looked_at(page, "laptop-overview", found, screenshots)

        # The one-page status for the KommuneMED meeting.
        page.get_by_test_id("print-link").click()
        expect(page.get_by_test_id("print-table").locator("tbody tr")).to_have_count(46)
        page.emulate_media(media="print")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        (screenshots / "org-print.pdf").write_bytes(pdf)
        # The page as printed: A4 less its 10 mm margins is 718 x 1047 CSS pixels.
        page.set_viewport_size({"width": 718, "height": 1047})
        page.screenshot(path=screenshots / "org-print.png", full_page=True)
        assert page.evaluate(WIDE) <= 0, "the printed status is wider than A4"
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages == 1, f"the printed status has {pages} pages"
        page.emulate_media(media="screen")
        page.set_viewport_size(LAPTOP["viewport"])

        # Read links: KommuneMED for the kommune, AfdelingsMED for one area.
        page.goto(kommune_url)
        page.get_by_label("Hvem er linket til?").fill("KommuneMED")
        page.get_by_role("button", name="Lav læselink").click()
        kommune_link = page.get_by_test_id("link-url").first.inner_text()
        page.goto(kommune_url)
        page.get_by_test_id("tree").get_by_role("link", name="Social og Sundhed").click()
        page.get_by_role("button", name="Lav læselink").click()
        area_link = page.get_by_test_id("link-url").first.inner_text()

        phone = room.context(**PHONE).new_page()
        watch(phone, watcher)
        phone.goto(kommune_link)
        expect(phone.get_by_test_id("reader-bar")).to_contain_text("KommuneMED")
        expect(phone.get_by_test_id("place-row")).to_have_count(40)
        looked_at(phone, "phone-overview", found, screenshots)
        phone.get_by_test_id("fold").click()
        expect(phone.locator("details.org-branch[open]")).to_have_count(0)
        expect(phone.get_by_test_id("place-row").first).to_be_hidden()
        looked_at(phone, "phone-folded", found, screenshots)
        phone.goto(kommune_link)
        # A workplace's plan, read-only, from the phone.
        phone.get_by_test_id("place-row").first.get_by_role("link").first.click()
        expect(phone.get_by_test_id("plan-title")).to_have_text("Handleplan 2026")
        expect(phone.locator("form")).to_have_count(0)
        looked_at(phone, "phone-plan", found, screenshots)

        area = room.context(**PHONE).new_page()
        area.goto(area_link)
        expect(area.get_by_test_id("place-row")).to_have_count(8)
        expect(area.get_by_text("Biblioteket")).to_have_count(0)
        looked_at(area, "phone-area", found, screenshots)

        page.goto(round_url)
        assert not found, "\n".join(found)
        assert not watcher.errors, watcher.errors
        assert not watcher.foreign, watcher.foreign
    finally:
        room.close()
