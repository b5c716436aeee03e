"""The program editor in real Chromium: copy, edit, reorder, preview, export, import, run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, PROJECTOR, Room, Watch, watch

pytestmark = pytest.mark.e2e

STATEMENT = "Hvor enig er du i, at MED-udvalget skal drøfte nye lokaler, før beslutningen træffes?"
BROKEN = b'title = "Kursus"\n\n[[steps]]\nkind = "scale"\ntitle = "Tom"\npoints = 6\n'


def step_titles(page) -> list[str]:  # noqa: ANN001
    return page.locator("#trin .step-title").all_inner_texts()


def test_copy_edit_reorder_preview_export_import_and_run(room: Room, screenshots, tmp_path):  # noqa: ANN001
    seen = Watch()
    ctx, page = room.instructor(viewport={"width": 1366, "height": 900})
    watch(page, seen)

    # Copy the demo from the library into the instructor's own programs.
    page.get_by_role("link", name="Programmer", exact=True).click()
    expect(page.get_by_role("heading", name="Biblioteket")).to_be_visible()
    page.get_by_role("button", name="Kopiér til mine: Demo: Hvor står vi i MED?").click()
    expect(page.get_by_role("heading", name="Demo: Hvor står vi i MED? (kopi)")).to_be_visible()
    assert step_titles(page) == [
        "Velkommen",
        "Information og drøftelse",
        "Mødekultur",
        "Tak for i dag",
    ]

    # Edit the scale step's statement through its form; an empty statement is refused.
    page.get_by_role("link", name="Redigér trin 2: Information og drøftelse").click()
    expect(page.get_by_role("heading", name="Trin 2: Hvor enig er du i ...")).to_be_visible()
    page.get_by_label("Udsagn").fill("")
    page.get_by_role("button", name="Gem trinnet").click()
    expect(page.get_by_test_id("error-statement")).to_have_text("«Udsagn» mangler.")
    expect(page.get_by_label("Udsagn")).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=str(screenshots / "program_editor_step_error.png"), full_page=True)
    page.get_by_label("Udsagn").fill(STATEMENT)
    page.get_by_role("button", name="Gem trinnet").click()
    expect(page.get_by_text("Trin 2 er gemt.")).to_be_visible()
    expect(page.locator("#trin-2 .step-summary")).to_have_text(STATEMENT)

    # Reorder with the arrows (htmx swaps the list in place).
    page.get_by_role("button", name="Flyt op: Information og drøftelse").click()
    expect(page.locator("#trin .step-title").first).to_have_text("Information og drøftelse")
    page.get_by_role("button", name="Flyt ned: Tak for i dag").is_disabled()
    page.get_by_role("button", name="Flyt op: Tak for i dag").click()
    expect(page.locator("#trin .step-title").nth(2)).to_have_text("Tak for i dag")
    assert step_titles(page) == [
        "Information og drøftelse",
        "Velkommen",
        "Tak for i dag",
        "Mødekultur",
    ]
    page.screenshot(path=str(screenshots / "program_editor.png"), full_page=True)

    # Preview the edited step as the projector and as a phone.
    href = page.get_by_role("link", name="Vis trin 1 på projektor").get_attribute("href")
    projector = room.context(**PROJECTOR, storage_state=ctx.storage_state()).new_page()
    watch(projector, seen)
    projector.goto(href)
    expect(projector.locator(".statement")).to_have_text(STATEMENT)
    expect(projector.get_by_text("Prøvevisning af trin 1")).to_be_visible()
    projector.screenshot(path=str(screenshots / "program_preview_projector.png"))
    href = page.get_by_role("link", name="Vis trin 1 på telefon").get_attribute("href")
    phone = room.context(**PHONE, storage_state=ctx.storage_state()).new_page()
    watch(phone, seen)
    phone.goto(href)
    expect(phone.get_by_text(STATEMENT)).to_be_visible()
    expect(phone.get_by_role("button", name="Helt enig")).to_be_visible()
    phone.screenshot(path=str(screenshots / "program_preview_phone.png"))

    # Export, then import the file again: a broken file first gets its errors by line.
    with page.expect_download() as download:
        page.get_by_role("link", name="Eksportér som TOML").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == "demo-hvor-staar-vi-i-med-kopi.toml"
    assert STATEMENT in exported.read_text(encoding="utf-8")
    page.get_by_role("link", name="Programmer", exact=True).click()
    page.get_by_label("Importér en TOML-fil").set_input_files(
        {"name": "kursus.toml", "mimeType": "application/toml", "buffer": BROKEN}
    )
    page.get_by_role("button", name="Importér", exact=True).click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Linje 6 · Trin 1 (Tom): «Antal trin» skal være 5 eller 7.")
    page.screenshot(path=str(screenshots / "program_import_errors.png"), full_page=True)
    page.get_by_label("Importér en TOML-fil").set_input_files(str(exported))
    page.get_by_role("button", name="Importér", exact=True).click()
    expect(page.get_by_text("er importeret med 4 trin")).to_be_visible()
    assert step_titles(page) == [
        "Information og drøftelse",
        "Velkommen",
        "Tak for i dag",
        "Mødekultur",
    ]

    # Create a workshop from the imported program: the edited step is what the room sees.
    page.get_by_role("button", name="Opret workshop ud fra programmet").click()
    page.wait_for_url(re.compile(r"/w/\d+$"))
    expect(page.locator(".program .step-go").nth(1)).to_contain_text("Information og drøftelse")
    page.locator(".program .step-go", has_text="Information og drøftelse").click()
    expect(page.locator(".current-step")).to_contain_text(STATEMENT)
    # The refused form and the broken file answer 422 on purpose; anything else is a fault.
    unexpected = [e for e in seen.errors if "status of 422" not in e]
    assert unexpected == [] and seen.foreign == [], (seen.errors, seen.foreign)
