"""Render one screen's live fragment: the part of the page that follows the workshop."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from flask import render_template, url_for
from markupsafe import Markup

from . import countdown, day_clock
from .kinds import Screen, StepView, kind_of
from .models import Participant, Workshop, utcnow
from .reading import participant_count, roster, step_view
from .timefmt import epoch_ms

# Names listed on the controls; beyond that, a link to the page with everyone.
ROSTER_MAX = 100

if TYPE_CHECKING:
    from .answers import Outcome


def base_context(screen: Screen, workshop: Workshop, stamp: int | None = None) -> dict[str, Any]:
    """The variables every fragment carries: versions for staleness, the server's now."""
    now_ms = int(time.time() * 1000)
    step = workshop.current_step
    return {
        "screen": screen,
        "workshop": workshop,
        "version": workshop.version,
        # Read time: among fragments of the same version, the later read is the fresher one.
        "stamp": stamp if stamp is not None else time.time_ns() // 1000,
        "now_ms": now_ms,
        "step": step,
        "phase": "lobby" if step is None else "step",
        # Phones never show the head count; it costs a query per phone render.
        "joined": participant_count(workshop) if screen != "phone" else None,
        "countdown": countdown.shown(step.state, utcnow()) if step is not None else None,
    }


def kind_context(screen: Screen, view: StepView) -> dict[str, Any]:
    """The current step's kind context plus the URLs its templates post to."""
    step = view.step
    kind = kind_of(step)
    code = view.workshop.code
    ctx = kind.context(screen, view)
    # The page's own variables win: a kind returning e.g. "phase" must not move the layout.
    for reserved in ("phase", "version", "stamp", "now_ms", "screen", "workshop"):
        ctx.pop(reserved, None)
    ctx.update(
        kind=kind,
        step=step,
        kind_template=kind.template(screen),
        submit_url=url_for("phone.submit", code=code, step_id=step.id),
        act_url=lambda action: url_for(
            "controls.act", workshop_id=view.workshop.id, step_id=step.id, action=action
        ),
        deadline_ms=epoch_ms,
    )
    return ctx


def render(
    screen: Screen,
    workshop: Workshop,
    participant: Participant | None = None,
    view: StepView | None = None,
    stamp: int | None = None,
    **extra: Any,
) -> Markup:
    """The fragment HTML for one screen (for one participant on the phone)."""
    ctx = base_context(screen, workshop, stamp)
    step = workshop.current_step
    if step is not None:
        if view is None:
            view = step_view(workshop, step, participant)
        elif participant is not None:
            view = view.for_participant(participant)
        ctx.update(kind_context(screen, view))
    ctx["participant"] = participant
    if screen == "controls":
        # Pushed on every join: a hall of 3,000 names took 0.4 s to render, during which the
        # process answered nobody. The full list is a page of its own.
        ctx["participants"], ctx["more_participants"] = roster(workshop, ROSTER_MAX)
        ctx["planned"], ctx["day_status"] = day_clock.of_steps(workshop.steps, utcnow())
    ctx.update(extra)  # last: a caller may point the phone's forms elsewhere (on behalf)
    # Our own autoescaped template output: safe to place inside the page shell as it is.
    return Markup(render_template(f"{screen}/_screen.html", **ctx))


def phone_reply(
    workshop: Workshop, view: StepView | None, participant: Participant, outcome: Outcome
) -> Markup:
    """The phone's fragment after its own answer: saved, or the reason it was refused."""
    extra = {"error": outcome.error} if outcome.error else {"saved": True}
    return render("phone", workshop, participant=participant, view=view, **extra)


class SocketReply:
    """The reply to an answer over the socket: the kind's patch when it offers one.

    A patch names the elements it replaces by id; the page applies it only to the screen it
    was made for, and fetches the whole screen otherwise (live.js). Over HTTP the whole
    screen is sent, as htmx swaps it in.
    """

    def __call__(
        self, workshop: Workshop, view: StepView | None, participant: Participant, outcome: Outcome
    ) -> Markup:
        return phone_reply(workshop, view, participant, outcome)

    def patch(self, workshop: Workshop, view: StepView, patch: dict[str, Any]) -> Markup:
        """The patch's HTML in a marked wrapper: <div class="patch" data-v=... data-step=...>."""
        step = view.step
        ctx = base_context("phone", workshop)
        ctx["submit_url"] = url_for("phone.submit", code=workshop.code, step_id=step.id)
        ctx.update(patch)
        html = render_template(f"{step.kind}/phone_patch.html", **ctx)
        # The fragment's own attributes: the page checks it still shows this step.
        head = (
            f'<div class="patch" data-v="{ctx["version"]}" data-t="{ctx["stamp"]}" '
            f'data-kind="{step.kind}" data-step="{step.position + 1}">'
        )
        return Markup(head) + Markup(html) + Markup("</div>")


socket_reply = SocketReply()
