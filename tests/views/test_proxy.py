"""The instructor answers for someone without a phone."""

import re

from facilitator import limits
from tests.conftest import post


def test_instructor_answers_on_behalf(teacher, workshop):
    wid = workshop["id"]
    resp = post(teacher, f"/w/{wid}/participants", {"name": "Jens uden telefon"}, page="/")
    assert resp.status_code == 302
    page = resp.location
    post(teacher, f"/w/{wid}/go/1", page="/")
    html = teacher.get(page).get_data(as_text=True)
    assert "Du svarer for" in html and "Jens uden telefon" in html
    url = re.search(r'hx-post="(/w/\d+/as/\d+/s/\d+)"', html).group(1)
    resp = post(teacher, url, {"value": "2"}, page="/")
    assert resp.status_code == 200 and "Dit svar er gemt" in resp.get_data(as_text=True)
    result = teacher.get(f"/w/{wid}/results.json").get_json()["steps"][1]["result"]
    assert result["answers"] == 1


def test_phones_cannot_use_the_proxy_routes(app, workshop):
    from tests.conftest import join

    phone = join(app, workshop["code"])
    resp = post(
        phone, f"/w/{workshop['id']}/participants", {"name": "X"}, page=f"/j/{workshop['code']}"
    )
    assert resp.status_code == 302 and "/login" in resp.location


def test_an_answer_for_someone_over_the_limit_is_told_to_wait(app, teacher, workshop, monkeypatch):
    """Refused in the burst, after the request let its session go: the page is still made."""
    monkeypatch.setattr(limits, "ANSWERS", "1 per minute")
    app.config["ANSWER_GATHER_MS"] = 4  # the gatherer, as a server runs it
    wid = workshop["id"]
    page = post(teacher, f"/w/{wid}/participants", {"name": "Jens"}, page="/").location
    post(teacher, f"/w/{wid}/go/1", page="/")
    url = re.search(r'hx-post="(/w/\d+/as/\d+/s/\d+)"', teacher.get(page).get_data(as_text=True))
    assert post(teacher, url.group(1), {"value": "2"}, page="/").status_code == 200
    refused = post(teacher, url.group(1), {"value": "3"}, page="/")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert limits.ANSWER_MESSAGE in html and "Dit svar er gemt: <strong>Uenig</strong>" in html
