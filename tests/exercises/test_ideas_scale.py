"""A plenum idea board's work per dot does not grow with the number of voters (issue 15).

Counts, never times: the cards drawn and the SQL statements run for one burst of dots, in
a room of 10 and of 100 voters on the same 10 notes.
"""

from __future__ import annotations

import secrets

import pytest

from exercises.ideas import phone_screen
from facilitator import workshops
from facilitator.answers import Sender
from facilitator.answers.burst import Item, store_batch
from facilitator.db import db
from facilitator.live import socketio
from facilitator.models import Participant, Response, Workshop
from facilitator.screens import phone_reply
from tests.conftest import join, make_workshop, post, statements

NOTES = 10
CONTENT = {"prompt": "Hvad styrker trygheden?", "categories": ["Styrker", "Svækker"], "dots": 3}


def plenum(app, teacher, voters: int) -> dict:
    """A plenum board in its vote phase: `voters` participants, the first NOTES wrote a note."""
    ws = make_workshop(teacher, program="")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        step = workshops.add_step(workshop, "ideas", "Idétavle", CONTENT)
        ws["sid"] = step.id
    assert post(teacher, f"/w/{ws['id']}/go/0", page="/").status_code == 200
    with app.app_context():
        people = [
            Participant(
                workshop_id=ws["id"],
                name=f"Deltager {n}",
                token=secrets.token_urlsafe(16),
                reentry_code=f"{n:012d}",
            )  # fmt: skip
            for n in range(voters)
        ]
        db.add_all(people)
        db.flush()
        db.add_all(
            Response(
                step_id=ws["sid"],
                owner=f"p:{p.id}",
                slot="note:1",
                participant_id=p.id,
                payload={"text": f"Idé nummer {i}", "category": i % 2, "rev": 0},
            )  # fmt: skip
            for i, p in enumerate(people[:NOTES])
        )
        db.commit()
        ws["pids"] = [p.id for p in people]
        ws["notes"] = [
            r.id for r in db.query(Response).filter_by(step_id=ws["sid"]).order_by(Response.id)
        ]
    assert post(teacher, f"/w/{ws['id']}/steps/{ws['sid']}/act/vote", page="/").status_code == 200
    return ws


def burst_of_dots(app, ws: dict, voters: list[int]) -> None:
    """One dot from each of `voters` on a note of its own, stored as one burst."""
    items = [
        Item(
            Sender(ws["id"], pid),
            ws["sid"],
            {"op": "dot", "target": f"n:{note}", "count": "1"},
            secrets.token_hex(8),
            phone_reply,
        )  # fmt: skip
        for pid, note in zip(voters, ws["notes"], strict=False)
    ]
    with app.app_context(), app.test_request_context("/"):
        store_batch(items)
        db.remove()
    assert all(item.outcome and item.outcome.error is None for item in items)
    assert all("ideas-vote" in str(item.reply_value) for item in items)


@pytest.fixture
def drawn(monkeypatch) -> list[int]:
    """How many cards the phone template drew (not taken from the board's memo)."""
    count = [0]
    real = phone_screen._card_cache

    def counting(view):  # noqa: ANN001, ANN202
        cached = real(view)

        def draw(key, caller):  # noqa: ANN001, ANN202
            def counted():  # noqa: ANN202
                count[0] += 1
                return caller()

            return cached(key, counted)

        return draw

    monkeypatch.setattr(phone_screen, "_card_cache", counting)
    return count


def test_a_burst_of_dots_draws_each_card_once_not_once_per_voter(app, teacher, drawn):
    ws = plenum(app, teacher, 30)
    drawn[0] = 0
    burst_of_dots(app, ws, ws["pids"][:10])
    # Ten replies of ten cards each: each card once, plus the ten the voters' dots changed.
    # Drawing every card for every voter would be 100.
    assert drawn[0] <= NOTES + 10


@pytest.mark.parametrize("dotting", [1, 8])
def test_the_work_of_a_burst_does_not_grow_with_the_voters(app, teacher, drawn, dotting):
    work = []
    for voters in (10, 100):
        ws = plenum(app, teacher, voters)
        drawn[0] = 0
        with statements(app) as seen:
            burst_of_dots(app, ws, ws["pids"][:dotting])
        work.append((drawn[0], len(seen)))
    assert work[0] == work[1], work


def test_a_dot_over_the_socket_is_answered_with_its_card_not_the_wall(app, teacher):
    ws = plenum(app, teacher, 10)
    code = ws["code"]
    phone = join(app, code, "Pia")
    io = socketio.test_client(app, flask_test_client=phone, auth={"screen": "phone", "code": code})
    first, second = (f"n:{n}" for n in ws["notes"][:2])

    def dot(target: str, count: int, was: int, key: str) -> str:
        data = {"op": "dot", "target": target, "count": str(count), "was": str(was)}
        ack = io.emit("submit", {"step": ws["sid"], "data": data, "key": key}, callback=True)
        assert ack["status"] == 200
        return ack["html"]

    patch = dot(first, 1, 0, "a")
    assert patch.startswith('<div class="patch" data-v="')
    assert patch.count('data-testid="ideas-unit"') == 1
    assert f'id="ideas-{first.replace(":", "-")}"' in patch and 'data-count="1"' in patch
    assert 'id="ideas-left"' in patch and "<strong>2</strong>" in patch
    assert dot(second, 1, 0, "b").count('data-testid="ideas-unit"') == 1
    # The last dot disables every other «+»: the whole wall, not a patch.
    wall = dot(second, 2, 1, "c")
    assert 'class="fragment"' in wall and wall.count('data-testid="ideas-unit"') == NOTES
    # And so does the first dot taken back: every «+» is enabled again.
    assert 'class="fragment"' in dot(second, 1, 2, "d")
    # Without "was" (an older page) the reply is the whole screen, as it is over HTTP.
    old = {"op": "dot", "target": first, "count": "2"}
    ack = io.emit("submit", {"step": ws["sid"], "data": old, "key": "e"}, callback=True)
    assert ack["html"].startswith('<div class="fragment"')
    over_http = post(
        phone, f"/j/{code}/s/{ws['sid']}", {"op": "dot", "target": first, "count": "1"},
        page=f"/j/{code}",
    )  # fmt: skip
    assert over_http.status_code == 200 and 'class="fragment"' in over_http.text
