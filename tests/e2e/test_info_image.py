"""An info step's picture in Chromium: imported with its program file, big on the projector,
small on the phone, loaded under the strict CSP, and no axe violations on either screen."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from playwright.sync_api import expect

from tests.media import pictures

from .axe import violations
from .conftest import PROJECTOR, Room, Watch, join, show_step, wait_live, watch

pytestmark = pytest.mark.e2e


def program_file(png: bytes) -> str:
    ref = f"{hashlib.sha256(png).hexdigest()}.png"
    data = base64.b64encode(png).decode()
    return f'''title = "Billeder på skærmen"
[[steps]]
kind = "info"
title = "Sådan arbejder MED-udvalget"
body = "Organisationsdiagrammet viser udvalgene fra hovedudvalget til de lokale udvalg."
image = "{ref}"
image_alt = "Organisationsdiagram over MED-udvalgene"
link = "https://example.org/film/med-udvalget"
notes = "Fortæl om jeres eget hovedudvalg."

[media."{ref}"]
type = "image/png"
data = "{data}"
'''


def test_a_picture_is_big_on_the_projector_and_small_on_the_phone(
    room: Room,
    tmp_path,
    screenshots,  # noqa: ANN001
) -> None:
    seen = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, seen)
    path = tmp_path / "billeder.toml"
    path.write_text(program_file(pictures.png(1600, 900)), encoding="utf-8")
    controls.goto("/programmer")
    controls.locator("input[type=file]").set_input_files(str(path))
    controls.get_by_role("button", name="Importér", exact=True).click()
    expect(controls.get_by_text("er importeret med 1 trin")).to_be_visible()
    controls.goto("/")
    option = controls.locator("option", has_text="Billeder på skærmen").get_attribute("value")
    controls.get_by_label("Program").select_option(option)
    controls.get_by_label(re.compile("Borde eller udvalg")).fill("Bord 1")
    controls.get_by_role("button", name="Opret workshop").click()
    controls.wait_for_url(re.compile(r"/w/\d+$"))
    code = controls.locator("#screen").get_attribute("data-code")
    wait_live(controls)
    projector = instructor.new_page()
    watch(projector, seen)
    projector.goto(f"/p/{code}")
    wait_live(projector)
    phone = join(room, code, "Åse", "Bord 1", seen)

    show_step(controls, "Sådan arbejder MED-udvalget")
    big = projector.get_by_role("img", name="Organisationsdiagram over MED-udvalgene")
    small = phone.get_by_role("img", name="Organisationsdiagram over MED-udvalgene")
    for img in (big, small):
        expect(img).to_be_visible()
        assert img.evaluate("(i) => i.complete && i.naturalWidth") == 1600  # loaded, not blocked
    box = big.bounding_box()
    assert box["width"] >= 0.45 * 1920 and box["y"] + box["height"] <= 1080, box
    phone_box = small.bounding_box()
    assert phone_box["width"] <= 390 and phone_box["height"] <= 0.45 * 844, phone_box
    expect(projector.get_by_test_id("info-link")).to_contain_text("example.org/film/med-udvalget")
    expect(controls.get_by_test_id("presenter-notes")).to_contain_text("eget hovedudvalg")
    expect(projector.get_by_text("eget hovedudvalg")).to_have_count(0)
    projector.screenshot(path=screenshots / "info-image-projector.png")
    phone.screenshot(path=screenshots / "info-image-phone.png", full_page=True)
    assert violations(projector) == [] and violations(phone) == []
    assert seen.errors == [] and seen.foreign == [], (seen.errors, seen.foreign)
