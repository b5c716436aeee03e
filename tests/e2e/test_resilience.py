"""What goes wrong in a real room: dropped sockets, late pushes, hostile names, foreign hosts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, PROJECTOR, Room, Watch, show_step, wait_live, watch

pytestmark = pytest.mark.e2e

WELCOME = "Velkommen"
SCALE = "Information og drøftelse"
SCALE_STATEMENT = "drøftes i MED-udvalget"
CULTURE = "Mødekultur"
CULTURE_STATEMENT = "dagsorden, alle kan forberede sig på"


def phone_at_welcome(room: Room):  # noqa: ANN201
    """A workshop at its welcome step, with one phone (Søren) showing it."""
    _instructor, controls = room.instructor()
    _id, code = room.create_workshop(controls)
    _ctx, phone = room.phone(f"/j/{code}", "Søren")
    show_step(controls, WELCOME)
    expect(phone.get_by_role("heading", name=WELCOME)).to_be_visible()
    return controls, code, phone


def push_fragment(page, html: str) -> None:  # noqa: ANN001
    """Hand a fragment to the page as if the server had pushed it over the socket."""
    page.evaluate(
        """([html]) => window.facilitatorLive.socket.listeners("fragment")
            .forEach((handler) => handler({screen: "phone", html}))""",
        [html],
    )


def test_phone_catches_up_after_its_connection_drops(room: Room, screenshots) -> None:  # noqa: ANN001
    _instructor, controls = room.instructor()
    _id, code = room.create_workshop(controls)
    ctx, phone = room.phone(f"/j/{code}", "Pia")
    show_step(controls, WELCOME)
    expect(phone.get_by_role("heading", name=WELCOME)).to_be_visible()
    phone.evaluate("() => { window.__sameDocument = true; }")
    notice = phone.get_by_role("status").filter(has_text="Genopretter forbindelsen")
    expect(notice).to_be_hidden()

    # The wifi drops: no HTTP, and the socket's transport is gone.
    ctx.set_offline(True)
    phone.evaluate("() => window.facilitatorLive.socket.io.engine.close()")
    expect(notice).to_be_visible()
    expect(phone.locator("body")).to_have_class(re.compile(r"\boffline\b"))
    phone.screenshot(path=screenshots / "phone-offline.png")

    # Meanwhile the instructor moves on; the phone cannot know.
    show_step(controls, SCALE)
    expect(controls.get_by_test_id("controls-answers")).to_have_text("0")
    expect(phone.get_by_role("heading", name=WELCOME)).to_be_visible()

    # Back online: the phone reconnects, re-fetches, and shows the current step by itself.
    ctx.set_offline(False)
    expect(phone.locator(".scale-phone h1")).to_contain_text(SCALE_STATEMENT)
    wait_live(phone)
    expect(notice).to_be_hidden()
    expect(phone.locator("body")).not_to_have_class(re.compile(r"\boffline\b"))
    assert phone.evaluate("() => window.__sameDocument === true"), "the phone reloaded"

    # The reconnected socket gets pushes again: an answer and the next step arrive live.
    phone.locator("button.choice").nth(1).tap()
    expect(phone.locator(".saved")).to_contain_text("Uenig")
    expect(controls.get_by_test_id("controls-answers")).to_have_text("1")
    show_step(controls, CULTURE)
    expect(phone.locator(".scale-phone h1")).to_contain_text(CULTURE_STATEMENT)
    expect(phone.locator("button.choice")).to_have_count(7)


def test_a_stale_fragment_never_replaces_a_newer_one(room: Room) -> None:
    controls, code, phone = phone_at_welcome(room)
    old_html = phone.locator("#screen").inner_html()
    old_version = phone.evaluate("() => window.facilitatorLive.held()")

    show_step(controls, SCALE)
    expect(phone.locator(".scale-phone h1")).to_contain_text(SCALE_STATEMENT)
    new_version = phone.evaluate("() => window.facilitatorLive.held()")
    assert new_version > old_version

    # A late push of the older fragment arrives through the socket's 'fragment' handler.
    push_fragment(phone, old_html)
    expect(phone.locator(".scale-phone h1")).to_contain_text(SCALE_STATEMENT)
    expect(phone.get_by_role("heading", name=WELCOME)).to_have_count(0)
    assert phone.evaluate("() => window.facilitatorLive.held()") == new_version

    # A slow re-fetch (after a reconnect) answering with the older fragment is ignored too.
    fragment_url = f"**/j/{code}/fragment"
    phone.route(fragment_url, lambda route: route.fulfill(body=old_html, content_type="text/html"))
    phone.evaluate("() => window.facilitatorLive.refetch()")
    phone.unroute(fragment_url)
    expect(phone.locator(".scale-phone h1")).to_contain_text(SCALE_STATEMENT)

    # So is an htmx answer to the phone's own POST that is older than what it shows. With a
    # live socket the answer travels over it, so drop the socket to take the HTTP fallback.
    phone.evaluate("() => window.facilitatorLive.socket.disconnect()")
    submit_url = "**/j/*/s/*"
    phone.route(submit_url, lambda route: route.fulfill(body=old_html, content_type="text/html"))
    phone.evaluate(
        """() => { window.__answered = new Promise((done) =>
            document.body.addEventListener("htmx:afterRequest", done, {once: true})); }"""
    )
    phone.locator("button.choice").nth(2).tap()
    phone.evaluate("() => window.__answered.then(() => true)")
    phone.unroute(submit_url)
    expect(phone.locator(".scale-phone h1")).to_contain_text(SCALE_STATEMENT)
    assert phone.evaluate("() => window.facilitatorLive.held()") == new_version
    phone.evaluate("() => window.facilitatorLive.socket.connect()")
    expect(phone.locator("body.offline")).to_have_count(0)

    # Control: the same fragment, stamped newer than the one held, is applied.
    newer = re.sub(r'data-v="\d+"', f'data-v="{new_version[0] + 1}"', old_html, count=1)
    push_fragment(phone, newer)
    expect(phone.get_by_role("heading", name=WELCOME)).to_be_visible()
    # And the next real push (a higher version still) takes over again.
    show_step(controls, CULTURE)
    show_step(controls, SCALE)
    expect(phone.locator(".scale-phone h1")).to_contain_text(SCALE_STATEMENT)


def test_a_push_keeps_open_what_the_reader_opened(room: Room) -> None:
    """A fresh fragment does not shut a <details> the reader has open; a changed one shows."""
    _controls, _code, phone = phone_at_welcome(room)
    base = phone.locator("#screen").inner_html()
    version = phone.evaluate("() => window.facilitatorLive.held()")[0]

    def push(text: str) -> None:
        nonlocal version
        version += 1
        html = re.sub(r'data-v="\d+"', f'data-v="{version}"', base, count=1)
        extra = (
            '<div id="row-7"><details class="pi-edit"><summary>Ret rækken</summary>'
            f'<p data-testid="inside">{text}</p></details></div>'
            '<div id="row-8"><details class="pi-edit"><summary>Ret rækken</summary>'
            "<p>Anden række</p></details></div>"
        )
        push_fragment(phone, html + extra)
        expect(phone.get_by_test_id("inside")).to_have_text(text)

    push("Første version")
    expect(phone.get_by_test_id("inside")).not_to_be_visible()
    phone.locator("#row-7 summary").tap()
    expect(phone.get_by_test_id("inside")).to_be_visible()
    push("Anden version")  # someone else changed the plan
    expect(phone.get_by_test_id("inside")).to_be_visible()
    expect(phone.locator("#row-8 details")).not_to_have_attribute("open", "")


def test_participant_names_are_inert(room: Room) -> None:
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    instructor, controls = room.instructor(**PROJECTOR)
    _id, code = room.create_workshop(controls)
    seen = Watch()
    watch(controls, seen)
    projector = room.window(instructor)
    watch(projector, seen)
    projector.goto(f"/p/{code}")

    ctx = room.context(**PHONE)
    phone = ctx.new_page()
    watch(phone, seen)
    phone.goto(f"/j/{code}")
    phone.get_by_label("Dit navn").fill(hostile)
    phone.get_by_role("button", name="Kom med").tap()
    me = phone.get_by_test_id("me")
    expect(me).to_have_text(hostile)
    expect(phone.locator(".phone-id img, .phone-id script")).to_have_count(0)
    wait_live(phone)
    expect(projector.get_by_test_id("joined")).to_have_text("1")
    controls.reload()
    expect(controls.get_by_test_id("joined")).to_have_text("1")
    expect(controls.locator(".participant-list")).to_contain_text(hostile)
    expect(controls.locator(".participant-list img, .participant-list script")).to_have_count(0)
    phone.reload()
    expect(me).to_have_text(hostile)
    assert phone.evaluate("() => document.images.length") == 0
    assert seen.dialogs == [], f"a participant's name ran script: {seen.dialogs}"


def test_csp_holds_and_nothing_leaves_for_another_host(room: Room, server) -> None:  # noqa: ANN001
    seen = Watch()
    instructor, controls = room.instructor(**PROJECTOR)
    watch(controls, seen)
    _id, code = room.create_workshop(controls)
    controls_resp = controls.reload()
    projector = room.window(instructor)
    watch(projector, seen)
    projector_resp = projector.goto(f"/p/{code}")

    ctx = room.context(**PHONE)
    phone = ctx.new_page()
    watch(phone, seen)
    join_resp = phone.goto(f"/j/{code}")
    phone.get_by_label("Dit navn").fill("Åse")
    phone.get_by_role("button", name="Kom med").tap()
    expect(phone.get_by_test_id("me")).to_have_text("Åse")
    phone_resp = phone.reload()

    for page in (controls, projector, phone):
        wait_live(page)
    for resp in (controls_resp, projector_resp, join_resp, phone_resp):
        assert resp is not None and resp.ok, resp
        csp = resp.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp, (resp.url, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
        assert "default-src 'self'" in csp, csp

    # Drive every screen through the live loop: pushes, htmx swaps, bars styled by script.
    show_step(controls, WELCOME)
    expect(projector.locator("h1.display")).to_have_text(WELCOME)
    show_step(controls, SCALE)
    expect(phone.locator(".scale-phone h1")).to_contain_text(SCALE_STATEMENT)
    phone.locator("button.choice").nth(3).tap()
    expect(phone.locator(".saved")).to_be_visible()
    expect(projector.get_by_test_id("answer-count")).to_have_text("1")
    controls.get_by_role("button", name="Vis fordelingen").click()
    expect(projector.locator(".notice")).to_contain_text("mindst 5 svar")

    assert seen.errors == [], f"console errors (CSP or other): {seen.errors}"
    assert seen.foreign == [], f"requests to other hosts: {seen.foreign}"
    assert seen.dialogs == []
    assert server.url.startswith("http://127.0.0.1:")
