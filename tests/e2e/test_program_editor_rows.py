"""The program editor in real Chromium: tip13 rows and reflection questions as rows of inputs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import Room, Watch, watch

pytestmark = pytest.mark.e2e

NEW_ROW = "Medarbejderrepræsentanterne kan kræve et ekstraordinært møde i MED-udvalget."


def copy_program(page, title: str) -> None:  # noqa: ANN001
    page.get_by_role("link", name="Programmer", exact=True).click()
    page.get_by_role("button", name=f"Kopiér til mine: {title}").click()
    expect(page.get_by_role("heading", name=f"{title} (kopi)")).to_be_visible()


def test_tip13_rows_and_reflection_questions_are_edited_as_form_fields(room: Room, screenshots):  # noqa: ANN001
    seen = Watch()
    _ctx, page = room.instructor(viewport={"width": 1366, "height": 768})
    watch(page, seen)

    copy_program(page, "Tip en 13'er: MED-grunduddannelse")
    page.get_by_role("link", name="Redigér trin 2: Tip en 13'er: MED-grunduddannelse").click()
    expect(page.get_by_role("heading", name="Trin 2: Tip en 13'er")).to_be_visible()
    expect(page.get_by_role("textbox", name="Indhold (TOML)")).to_have_count(0)
    rows = page.locator(".record-fields")
    expect(rows).to_have_count(13)
    # caret="initial": hiding the caret leaves style="" on every input, which htmx would then
    # copy onto the swapped rows, and the CSP (no inline style) would report.
    page.screenshot(path=str(screenshots / "program_editor_tip13_rows.png"), caret="initial")

    # The row buttons change the list in place (htmx): the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Fjern række 13").click()
    expect(rows).to_have_count(12)
    page.get_by_role("button", name="Tilføj række").click()
    expect(rows).to_have_count(13)
    new = page.get_by_role("group", name="Række 13", exact=True)
    expect(new.get_by_label("Tekst")).to_be_focused()
    new.get_by_label("Tekst").fill(NEW_ROW)
    new.get_by_label("Forklaring").fill("Det står i jeres lokale MED-aftale.")
    page.get_by_role("button", name="Flyt række 13 op").click()
    moved = page.get_by_role("group", name="Række 12", exact=True)
    expect(moved.get_by_label("Tekst")).to_have_value(NEW_ROW)
    assert page.evaluate("window.notReloaded === true")

    # Saved without the right answer: the error stands beside that row's input.
    page.get_by_role("button", name="Gem trinnet").click()
    error = page.get_by_test_id("error-rows-11-answer")
    expect(error).to_have_text("«Række 12: rigtigt svar» mangler.")
    expect(moved.get_by_label("Rigtigt svar")).to_have_attribute("aria-invalid", "true")
    moved.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "program_editor_tip13_row_error.png"), caret="initial")
    moved.get_by_label("Rigtigt svar").select_option("1")
    page.get_by_role("button", name="Gem trinnet").click()
    expect(page.get_by_text("Trin 2 er gemt.")).to_be_visible()
    page.get_by_role("link", name="Redigér trin 2: Tip en 13'er: MED-grunduddannelse").click()
    expect(
        page.get_by_role("group", name="Række 12", exact=True).get_by_label("Tekst")
    ).to_have_value(NEW_ROW)
    expect(rows).to_have_count(13)

    # Reflection: one more question, shared on the screen, saved as a form.
    copy_program(page, "Demo: Refleksion og postkort")
    page.get_by_role("link", name="Redigér trin 2: Overvej til i morgen").click()
    expect(page.get_by_role("group", name="Spørgsmål 2", exact=True)).to_be_visible()
    page.get_by_role("button", name="Tilføj spørgsmål").click()
    third = page.get_by_role("group", name="Spørgsmål 3", exact=True)
    third.get_by_label("Spørgsmål", exact=True).fill("Hvad vil du spørge din leder om?")
    third.get_by_label("Svarene kan vises på skærmen").check()
    path = screenshots / "program_editor_reflection.png"
    page.screenshot(path=str(path), full_page=True, caret="initial")
    page.get_by_role("button", name="Gem trinnet").click()
    expect(page.get_by_text("Trin 2 er gemt.")).to_be_visible()
    page.get_by_role("link", name="Redigér trin 2: Overvej til i morgen").click()
    third = page.get_by_role("group", name="Spørgsmål 3", exact=True)
    expect(third.get_by_label("Spørgsmål", exact=True)).to_have_value(
        "Hvad vil du spørge din leder om?"
    )
    expect(third.get_by_label("Svarene kan vises på skærmen")).to_be_checked()
    # The refused save answers 422 on purpose; anything else is a fault (CSP reports included).
    unexpected = [e for e in seen.errors if "status of 422" not in e]
    assert unexpected == [] and seen.foreign == [] and seen.dialogs == [], seen
