"""Real-browser fixtures: the server as `make run` starts it, and Debian's Chromium.

The server runs as a subprocess (`python -m facilitator run`) on a free port with its own
instance folder; the instructor is created beforehand with `create-instructor`, as a newcomer
would. Browsers are Playwright's sync API driving /usr/bin/chromium, headless.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.databases import Databases
from tests.live_server import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
TIMEOUT_MS = 10_000

INSTRUCTOR_NAME = "Ulla Underviser"
INSTRUCTOR_EMAIL = "ulla@example.dk"
INSTRUCTOR_PASSWORD = "korrekt-hest-batteri"

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}


def server_database(databases: Databases, instance: Path) -> dict[str, str]:
    """A copy of the session's migrated template for a server (PostgreSQL if DATABASE_URL is set).

    On SQLite the copy lands where the server looks by default, `instance/facilitator.db`.
    """
    return {"DATABASE_URL": databases.new(instance)}


def server_with_instructor(databases: Databases, instance: Path) -> LiveServer:
    """A server of a test's own on a fresh database that already has the instructor.

    The session's server creates its instructor with `facilitator create-instructor`, as a
    newcomer would; the servers a test restarts get theirs through the same function, in
    this process, which spares a Python start per server.
    """
    from facilitator import create_app
    from facilitator.views.auth import create_instructor
    from tests.conftest import FAST_PASSWORD_HASH

    env = server_database(databases, instance)
    app = create_app(
        {
            **env,
            "AUTO_MIGRATE": False,
            "SECRET_KEY": "setup",
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
            "GC_TUNE": False,  # an app of this test process, not a server
        }
    )
    try:
        with app.app_context():
            create_instructor(INSTRUCTOR_NAME, INSTRUCTOR_EMAIL, INSTRUCTOR_PASSWORD)
    finally:
        app.extensions["engine"].dispose()
    return LiveServer(instance, env)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, databases: Databases) -> Iterator[LiveServer]:
    """The real server, started as `make run` would, with one instructor account."""
    instance = tmp_path_factory.mktemp("instance")
    srv = LiveServer(instance, server_database(databases, instance))
    created = srv.cli(
        "create-instructor", "--name", INSTRUCTOR_NAME, "--email", INSTRUCTOR_EMAIL,
        "--password", INSTRUCTOR_PASSWORD,
    )  # fmt: skip
    assert created.returncode == 0, created.stdout + created.stderr
    try:
        srv.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield srv
    finally:
        srv.stop()
        databases.drop(srv.env_extra["DATABASE_URL"])


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium, headless, driven by Playwright."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: install Debian's chromium (`make chromium`)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout() -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@dataclass
class Watch:
    """What a page did that it should not: console errors, CSP reports, foreign requests."""

    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def watch(page, watcher: Watch, host: str = "127.0.0.1") -> Watch:  # noqa: ANN001
    """Record console errors, dialogs and any request to a host other than `host`."""

    def on_console(msg) -> None:  # noqa: ANN001
        if msg.type == "error":
            watcher.errors.append(msg.text)

    def on_request(request) -> None:  # noqa: ANN001
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        match = re.match(r"^[a-z]+://([^/:]+)", url)
        if not match or match.group(1) != host:
            watcher.foreign.append(url)

    def on_dialog(dialog) -> None:  # noqa: ANN001
        watcher.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watcher.errors.append(f"pageerror: {exc}"))
    page.on("request", on_request)
    page.on("dialog", on_dialog)
    return watcher


class Room:
    """A helper that runs a workshop through the UI the way people do."""

    def __init__(self, browser, server: LiveServer) -> None:  # noqa: ANN001
        self.browser = browser
        self.server = server
        self.contexts: list = []

    def context(self, **kw):  # noqa: ANN201
        ctx = self.browser.new_context(base_url=self.server.url, locale="da-DK", **kw)
        ctx.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(ctx)
        return ctx

    def instructor(self, **kw):  # noqa: ANN201
        """A logged-in instructor context (also used for the projector page)."""
        from playwright.sync_api import expect

        ctx = self.context(**kw)
        page = ctx.new_page()
        page.goto("/login")
        page.get_by_label("E-mail").fill(INSTRUCTOR_EMAIL)
        page.get_by_label("Adgangskode").fill(INSTRUCTOR_PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        expect(page.get_by_role("heading", name="Ny workshop")).to_be_visible()
        return ctx, page

    def window(self, ctx):  # noqa: ANN001, ANN201
        """A page in a window of its own, logged in as `ctx` is: the projector beside the controls.

        A second page of the same context is a background tab, where Chromium draws no frames:
        every click there waits about 1.5 s for the element to hold still. A projector is a
        window on a second screen anyway.
        """
        viewport = ctx.pages[0].viewport_size if ctx.pages else None
        extra = {"viewport": viewport} if viewport else {}
        return self.context(storage_state=ctx.storage_state(), **extra).new_page()

    @staticmethod
    def create_workshop(page, program: str = "demo", title: str = "") -> tuple[int, str]:  # noqa: ANN001
        """Create a workshop on the index page; returns (id, join code)."""
        from playwright.sync_api import expect

        page.goto("/")
        page.get_by_label("Program").select_option(program)
        if title:
            page.get_by_label("Titel").fill(title)
        page.get_by_role("button", name="Opret workshop").click()
        page.wait_for_url(re.compile(r"/w/\d+$"))
        expect(page.locator("#screen .fragment")).to_be_attached()
        workshop_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
        code = page.locator("#screen").get_attribute("data-code")
        assert code and re.fullmatch(r"[A-Z0-9]{4,12}", code), code
        return workshop_id, code

    def phone(self, url: str, name: str):  # noqa: ANN201
        """A phone that opened `url` and joined with `name`; returns (context, page)."""
        from playwright.sync_api import expect

        ctx = self.context(**PHONE)
        page = ctx.new_page()
        page.goto(url)
        page.get_by_label("Dit navn").fill(name)
        page.get_by_role("button", name="Kom med").click()
        expect(page.get_by_test_id("me")).to_have_text(name)
        wait_live(page)
        return ctx, page

    def close(self) -> None:
        for ctx in self.contexts:
            with contextlib.suppress(Exception):  # a context already gone with its browser
                ctx.close()
        self.contexts.clear()


@pytest.fixture
def room(browser, server: LiveServer) -> Iterator[Room]:  # noqa: ANN001
    r = Room(browser, server)
    yield r
    r.close()


@pytest.fixture
def own_server(tmp_path: Path, databases: Databases) -> Iterator[LiveServer]:
    """A server of this test's own, so it can be restarted mid-round."""
    live = server_with_instructor(databases, tmp_path / "instance")
    live.start()
    try:
        yield live
    finally:
        live.stop()
        databases.drop(live.env_extra["DATABASE_URL"])


@pytest.fixture
def own_room(browser, own_server: LiveServer) -> Iterator[Room]:  # noqa: ANN001
    r = Room(browser, own_server)  # type: ignore[arg-type]
    yield r
    r.close()


def wait_live(page) -> None:  # noqa: ANN001
    """Wait until the page's socket is connected (and has re-fetched its fragment)."""
    page.wait_for_function(
        "() => document.readyState !== 'loading' && !!window.htmx"
        " && !!window.facilitatorLive && window.facilitatorLive.socket.connected",
        timeout=TIMEOUT_MS,
    )


def show_step(controls, title: str) -> None:  # noqa: ANN001
    """The instructor jumps to the step titled `title` in the program list."""
    from playwright.sync_api import expect

    controls.locator(".program .step-go", has_text=title).click()
    expect(controls.locator(".current-step h2")).to_have_text(title)


def join(room: Room, code: str, name: str, group: str, watcher: Watch | None = None):  # noqa: ANN201
    """A phone joins at a table through `/j/<CODE>` and waits until it is live."""
    from playwright.sync_api import expect

    page = room.context(**PHONE).new_page()
    if watcher is not None:
        watch(page, watcher)
    page.goto(f"/j/{code}")
    page.get_by_label("Dit navn").fill(name)
    page.get_by_label(group).check()
    page.get_by_role("button", name="Kom med").tap()
    expect(page.get_by_test_id("me")).to_have_text(f"{name} · {group}")
    wait_live(page)
    return page
