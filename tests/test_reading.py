"""reading: the read helpers every layer shares."""

from __future__ import annotations

from facilitator import reading, workshops
from facilitator.answers import PhoneCookie
from facilitator.db import db
from facilitator.models import Instructor, Response, Workshop
from facilitator.views.auth import create_instructor
from tests.conftest import make_workshop, post, statements


def test_codes_are_found_however_they_are_typed(app, teacher):
    ws = make_workshop(teacher)
    typed = " ".join(ws["code"].lower())
    with app.app_context():
        assert reading.normalise_code(typed) == ws["code"]
        assert reading.workshop_by_code(typed).id == ws["id"]
        assert reading.workshop_by_code("") is None


def test_co_instructors_teach_and_strangers_do_not(app, teacher, instructor):
    ws = make_workshop(teacher)
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        colleague = create_instructor("Kaj", "kaj@example.dk", "et-langt-kodeord")
        stranger = create_instructor("Sten", "sten@example.dk", "et-langt-kodeord")
        workshop.co_instructors.append(colleague)
        db.commit()
        owner = db.get(Instructor, instructor.id)
        assert reading.can_teach(owner, workshop) and reading.can_teach(colleague, workshop)
        assert not reading.can_teach(stranger, workshop) and not reading.can_teach(None, workshop)
        assert [w.id for w in reading.visible_to(colleague)] == [ws["id"]]
        assert reading.visible_to(stranger) == []


def test_participants_in_join_order_and_by_their_codes(app, teacher):
    ws = make_workshop(teacher)
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        people = [workshops.join(workshop, name) for name in ("Åse", "Bo", "Cai")]
        assert [p.name for p in reading.participants_of(workshop)] == ["Åse", "Bo", "Cai"]
        assert reading.participant_count(workshop) == 3
        code = people[1].reentry_code
        spaced = f"{code[:2]} {code[2:]}"
        assert reading.by_reentry_code(workshop, spaced).name == "Bo"
        assert reading.by_reentry_code(workshop, "") is None
        assert reading.by_token(workshop, people[2].token).name == "Cai"
        assert reading.by_token(workshop, None) is None


def test_earlier_responses_are_the_participants_own_in_program_order(app, teacher):
    ws = make_workshop(teacher)
    post(teacher, f"/w/{ws['id']}/go/1", page="/")
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        pia, ole = (workshops.join(workshop, n) for n in ("Pia", "Ole"))
        scale_steps = [s for s in workshop.steps if s.kind == "scale"]
        first = scale_steps[0]
        for person, value in ((pia, 2), (ole, 5)):
            owner = f"p:{person.id}"
            db.add(Response(step_id=first.id, owner=owner, slot="answer",
                            participant_id=person.id, payload={"value": value}))  # fmt: skip
        db.commit()
        later = workshop.steps[-1]
        found = reading.earlier_responses(workshop, later, "scale", pia)
        assert [s.id for s, _ in found] == [
            s.id for s in scale_steps if s.position < later.position
        ]
        assert [r.payload for r in found[0][1]] == [{"value": 2}]
        view = reading.step_view(workshop, first)
        assert sorted(r.payload["value"] for r in view.responses) == [2, 5]
        assert [r["kind"] for r in reading.results(workshop)] == [s.kind for s in workshop.steps]


def test_a_bursts_phones_by_cookie_in_one_query_only_while_their_workshop_is_open(app, teacher):
    ws, other = make_workshop(teacher), make_workshop(teacher)
    with app.app_context():
        workshop = db.get(Workshop, ws["id"])
        pia, bo = workshops.join(workshop, "Pia"), workshops.join(workshop, "Bo")
        there = workshops.join(db.get(Workshop, other["id"]), "Ea")
        pias, bos = PhoneCookie(ws["code"], pia.token), PhoneCookie(ws["code"], bo.token)
        wrong = PhoneCookie(ws["code"], "not-the-token")
        elsewhere = PhoneCookie(other["code"], pia.token)  # a token with another workshop's code
        eas = PhoneCookie(other["code"], there.token)
        with statements(app) as queries:
            found = reading.phones_by_cookies([pias, bos, wrong, elsewhere, eas])
        assert found == {pias: pia, bos: bo, eas: there}
        assert len(queries) == 1
        assert reading.phones_by_cookies([PhoneCookie(ws["code"], "")]) == {}
        workshop.status = "closed"
        db.commit()
        assert reading.phones_by_cookies([pias, eas]) == {eas: there}
