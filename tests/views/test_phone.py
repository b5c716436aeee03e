"""Joining from a phone, coming back, answering, and every kind of bad input."""

from __future__ import annotations

import re
import threading

import pytest

from tests.conftest import csrf_token, join, make_workshop, post, statements


def step_id(phone, code: str) -> int:
    html = phone.get(f"/j/{code}/fragment").get_data(as_text=True)
    return int(re.search(r"/s/(\d+)", html).group(1))


def answer(phone, code: str, sid: int, value: str, **kw):
    return post(phone, f"/j/{code}/s/{sid}", {"value": value}, page=f"/j/{code}", **kw)


def test_unknown_code_gets_a_danish_404(app):
    resp = app.test_client().get("/j/ZZZZZZ")
    assert resp.status_code == 404
    assert "Koden findes ikke" in resp.get_data(as_text=True)


def test_lowercase_code_is_accepted(app, workshop):
    resp = app.test_client().get(f"/j/{workshop['code'].lower()}")
    assert resp.status_code == 302 and resp.location.endswith(workshop["code"])


def test_closed_workshop_gets_410(app, teacher, workshop):
    post(teacher, f"/w/{workshop['id']}/status/closed", page="/")
    resp = app.test_client().get(f"/j/{workshop['code']}")
    assert resp.status_code == 410
    assert "afsluttet" in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Skriv dit navn"), ("   ", "Skriv dit navn"), ("x" * 10_000, "for langt")],
)
def test_bad_names_are_refused_and_nothing_is_stored(app, teacher, workshop, name, message):
    phone = app.test_client()
    token = csrf_token(phone, f"/j/{workshop['code']}")
    resp = phone.post(f"/j/{workshop['code']}", data={"name": name, "csrf_token": token})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert 'data-testid="joined">0<' in teacher.get(f"/w/{workshop['id']}").get_data(as_text=True)


def test_join_without_csrf_is_refused(app, workshop):
    resp = app.test_client().post(f"/j/{workshop['code']}", data={"name": "Pia"})
    assert resp.status_code == 400
    assert "Genindlæs siden" in resp.get_data(as_text=True)


def test_group_is_required_when_the_workshop_has_groups(app, teacher):
    ws = make_workshop(teacher, groups="Bord 1\nBord 2")
    phone = app.test_client()
    token = csrf_token(phone, f"/j/{ws['code']}")
    resp = phone.post(f"/j/{ws['code']}", data={"name": "Pia", "csrf_token": token})
    assert resp.status_code == 422 and "Vælg dit bord" in resp.get_data(as_text=True)
    html = phone.get(f"/j/{ws['code']}").get_data(as_text=True)
    group_id = re.search(r'name="group" value="(\d+)"', html).group(1)
    join(app, ws["code"], "Pia", group=group_id)


def test_same_phone_comes_back_as_the_same_participant(app, teacher, workshop):
    phone = join(app, workshop["code"], "Pia")
    first = phone.get(f"/j/{workshop['code']}").get_data(as_text=True)
    again = phone.get(f"/j/{workshop['code']}").get_data(as_text=True)
    code = re.search(r'data-testid="reentry-code">([\d ]+)<', first).group(1)
    assert code in again
    assert 'data-testid="joined">1<' in teacher.get(f"/w/{workshop['id']}").get_data(as_text=True)


def test_new_phone_comes_back_with_the_reentry_code(app, teacher, workshop):
    code = workshop["code"]
    phone = join(app, code, "Pia")
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    assert answer(phone, code, sid, "4").status_code == 200
    reentry = re.search(
        r'data-testid="reentry-code">([\d ]+)<', phone.get(f"/j/{code}").get_data(as_text=True)
    ).group(1)

    other = app.test_client()
    token = csrf_token(other, f"/j/{code}")
    wrong = other.post(f"/j/{code}/igen", data={"reentry": "00000", "csrf_token": token})
    assert wrong.status_code == 422 and "Koden passer ikke" in wrong.get_data(as_text=True)
    other.post(f"/j/{code}/igen", data={"reentry": reentry, "csrf_token": token})
    html = other.get(f"/j/{code}").get_data(as_text=True)
    assert "Pia" in html and 'aria-pressed="true"' in html


def test_answer_change_and_results(app, teacher, workshop):
    code = workshop["code"]
    phones = [join(app, code, f"P{i}") for i in range(5)]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    sid = step_id(phones[0], code)
    for i, phone in enumerate(phones):
        assert answer(phone, code, sid, str(i % 5 + 1)).status_code == 200
    resp = answer(phones[0], code, sid, "5")  # changes the answer, does not add one
    assert "Dit svar er gemt" in resp.get_data(as_text=True)
    result = teacher.get(f"/w/{workshop['id']}/results.json").get_json()
    scale = result["steps"][1]["result"]
    assert scale["answers"] == 5
    assert scale["distribution"]["Helt enig"] == 2


def test_bad_answers_get_clear_errors(app, teacher, workshop):
    code = workshop["code"]
    phone = join(app, code)
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    resp = answer(phone, code, sid, "6")
    assert resp.status_code == 422 and "Vælg et svar fra 1 til 5" in resp.get_data(as_text=True)
    # Without the CSRF token
    resp = phone.post(f"/j/{code}/s/{sid}", data={"value": "3"})
    assert resp.status_code == 400
    # A step that is not the current one
    resp = answer(phone, code, sid + 1, "3")
    assert resp.status_code == 422 and "ikke aktivt" in resp.get_data(as_text=True)
    assert (
        teacher.get(f"/w/{workshop['id']}/results.json").get_json()["steps"][1]["result"]["answers"]
        == 0
    )


def test_phone_cannot_post_to_another_workshops_step(app, teacher, workshop):
    other = make_workshop(teacher)
    post(teacher, f"/w/{other['id']}/go/1", page="/")
    intruder = join(app, other["code"])
    other_sid = step_id(intruder, other["code"])
    phone = join(app, workshop["code"])
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    resp = answer(phone, workshop["code"], other_sid, "3")
    assert resp.status_code == 422
    assert "hører ikke til" in resp.get_data(as_text=True)
    # And a participant of one workshop is a stranger in the other.
    resp = post(
        intruder, f"/j/{workshop['code']}/s/{other_sid}", {"value": "3"}, page=f"/j/{other['code']}"
    )
    assert resp.status_code == 401


def test_retried_post_with_same_idempotency_key_is_one_answer(app, teacher, workshop):
    code = workshop["code"]
    phone = join(app, code)
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    sid = step_id(phone, code)
    for _ in range(3):
        resp = answer(phone, code, sid, "2", headers={"Idempotency-Key": "abc123"})
        assert resp.status_code == 200
    scale = teacher.get(f"/w/{workshop['id']}/results.json").get_json()["steps"][1]["result"]
    assert scale["answers"] == 1


def test_fragment_requires_a_participant(app, workshop):
    assert app.test_client().get(f"/j/{workshop['code']}/fragment").status_code == 401


def test_participant_text_is_escaped(app, teacher, workshop):
    phone = join(app, workshop["code"], "<script>alert(1)</script>")
    html = phone.get(f"/j/{workshop['code']}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_burst_of_posts_looks_its_phones_up_in_one_query(app, teacher, workshop):
    """The POSTs of a room answering at once read nothing each: the burst finds its phones."""
    code = workshop["code"]
    phones = [join(app, code, f"Deltager {n}") for n in range(8)]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    sid = step_id(phones[0], code)
    headers = [{"X-CSRFToken": csrf_token(p, f"/j/{code}"), "HX-Request": "true"} for p in phones]
    stranger = app.test_client()  # no cookie of this workshop at all
    app.config["ANSWER_GATHER_MS"] = 300  # one batch
    barrier = threading.Barrier(len(phones))
    statuses: list[int] = []

    def send(n: int) -> None:
        barrier.wait()
        resp = phones[n].post(f"/j/{code}/s/{sid}", data={"value": "4"}, headers=headers[n])
        statuses.append(resp.status_code)

    with statements(app) as seen:
        threads = [threading.Thread(target=send, args=(n,)) for n in range(len(phones))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert statuses == [200] * len(phones)
    lookups = [s for s in seen if "FROM participants" in s]
    assert len(lookups) == 1, lookups  # the burst's, with the tokens: none per request
    results = teacher.get(f"/w/{workshop['id']}/results.json").get_json()
    assert results["steps"][1]["result"]["answers"] == len(phones)
    # A phone without a cookie, and one whose cookie names no phone, are told to join.
    token = csrf_token(stranger, f"/j/{code}")
    refused = stranger.post(
        f"/j/{code}/s/{sid}", data={"value": "4"}, headers={"X-CSRFToken": token}
    )
    assert refused.status_code == 401
    with stranger.session_transaction() as kept:
        kept["phones"] = {code: "not-a-token-of-anyone"}
    refused = stranger.post(
        f"/j/{code}/s/{sid}", data={"value": "4"}, headers={"X-CSRFToken": token}
    )
    assert refused.status_code == 401
    assert results["steps"][1]["result"]["answers"] == len(phones)
