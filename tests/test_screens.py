"""screens: each screen's live fragment carries its version and shows what it should."""

from __future__ import annotations

import re

from facilitator import workshops
from facilitator.answers import Outcome
from facilitator.db import db
from facilitator.models import Workshop
from facilitator.reading import step_view
from facilitator.screens import phone_reply, render
from tests.conftest import make_workshop, post


def test_fragments_carry_the_version_and_the_head_count_only_off_the_phone(app, teacher):
    ws = make_workshop(teacher)
    with app.test_request_context("/"):
        workshop = db.get(Workshop, ws["id"])
        pia = workshops.join(workshop, "Pia <b>")
        projector = str(render("projector", workshop))
        controls = str(render("controls", workshop))
        phone = str(render("phone", workshop, participant=pia))
        for html in (projector, controls, phone):
            assert re.search(rf'data-v="{workshop.version}"', html)
            assert 'data-phase="lobby"' in html
        assert "Pia &lt;b&gt;" in controls and "<b>" not in controls  # escaped, never raw


def test_the_phone_reply_says_saved_or_why_not(app, teacher):
    ws = make_workshop(teacher)
    post(teacher, f"/w/{ws['id']}/go/1", page="/")
    with app.test_request_context("/"):
        workshop = db.get(Workshop, ws["id"])
        pia = workshops.join(workshop, "Pia")
        view = step_view(workshop, workshop.current_step)
        refused = str(phone_reply(workshop, view, pia, Outcome(error="Vælg et svar.")))
        assert 'data-testid="phone-error">Vælg et svar.<' in refused
        saved = str(phone_reply(workshop, view, pia, Outcome()))
        assert "phone-error" not in saved and 'data-kind="scale"' in saved
        # The kind's own URLs are in the fragment: the phone posts its answer back to it.
        assert f"/j/{ws['code']}/s/{workshop.current_step.id}" in saved
