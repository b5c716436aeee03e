"""sessions: an answer's reply carries no re-signed cookie; page loads still refresh it."""

from __future__ import annotations

import re

from tests.conftest import join, post


def test_an_answer_is_replied_to_without_a_new_cookie_and_a_page_load_refreshes_it(
    app, teacher, workshop
):
    code = workshop["code"]
    post(teacher, f"/w/{workshop['id']}/go/1", page="/")
    phone = join(app, code, "Pia")
    page = phone.get(f"/j/{code}")
    assert "session=" in page.headers.get("Set-Cookie", "")  # refreshed: a month from now
    csrf = re.search(r'"X-CSRFToken": "([^"]+)"', page.text).group(1)
    step = int(re.search(r"/s/(\d+)", page.text).group(1))
    answer = phone.post(
        f"/j/{code}/s/{step}",
        data={"value": "4"},
        headers={"X-CSRFToken": csrf, "HX-Request": "true", "Idempotency-Key": "s1"},
    )
    assert answer.status_code == 200 and "Dit svar er gemt" in answer.text
    assert "Set-Cookie" not in answer.headers
    # The phone is still itself afterwards.
    assert "Dit svar er gemt" in phone.get(f"/j/{code}/fragment").text


def test_a_change_of_the_session_is_always_sent(app, workshop):
    # Joining writes the phone's identity into its session: that reply must carry it.
    phone = join(app, workshop["code"], "Bo")
    assert phone.get_cookie("session") is not None
