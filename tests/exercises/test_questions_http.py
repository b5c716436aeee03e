"""Evt. spørgsmål through the real app: anonymous on every screen, one vote, marks, export."""

from __future__ import annotations

import json
import re

from tests.conftest import join, make_workshop, post

SCRIPT = "<script>alert('x')</script>"


def room(app, teacher, people=("Pia", "Ole", "Åse")):
    ws = make_workshop(teacher, program="moeder_demo", groups="Bord 1\nBord 2")
    code = ws["code"]
    tables = re.findall(r'name="group" value="(\d+)"', app.test_client().get(f"/j/{code}").text)
    phones = [join(app, code, name, tables[i % 2]) for i, name in enumerate(people)]
    assert post(teacher, f"/w/{ws['id']}/go/0", page="/").status_code in (200, 302)
    sid = int(re.search(r"/s/(\d+)", phones[0].get(f"/j/{code}/fragment").text).group(1))
    return ws, code, sid, phones


def send(phone, code, sid, **data):
    return post(phone, f"/j/{code}/s/{sid}", data, page=f"/j/{code}")


def qid(html: str, text: str) -> str:
    """The id of a question on a screen, read from its vote or mark button."""
    block = html[html.index(text) :]
    return re.search(r"&#34;q&#34;: (\d+)|\"q\": (\d+)", block).group(0).split(":")[-1].strip()


def test_questions_are_anonymous_ranked_by_votes_and_marked(app, teacher):
    ws, code, sid, (pia, ole, aase) = room(app, teacher)
    assert (
        send(pia, code, sid, op="ask", slot="1", text="Hvornår er næste møde?").status_code == 200
    )
    assert send(ole, code, sid, op="ask", slot="1", text=SCRIPT).status_code == 200
    listed = aase.get(f"/j/{code}/fragment").text
    assert "Hvornår er næste møde?" in listed and "&lt;script&gt;" in listed
    assert SCRIPT not in listed
    target = qid(listed, "Hvornår er næste møde?")
    assert send(ole, code, sid, op="vote", q=target, on="1").status_code == 200
    assert send(ole, code, sid, op="vote", q=target, on="1").status_code == 200  # no double vote
    assert send(aase, code, sid, op="vote", q=target, on="1").status_code == 200
    assert send(aase, code, sid, op="vote", q=target, on="0").status_code == 200  # taken back
    own = send(pia, code, sid, op="vote", q=target, on="1")
    assert own.status_code == 422 and "dit eget" in own.text
    projector = teacher.get(f"/p/{code}/fragment").text
    first = projector.index("Hvornår er næste møde?")
    assert first < projector.index("&lt;script&gt;")
    assert re.search(
        r"<strong>1</strong><span>▲</span>\s*</span>\s*<span class=\"qs-line-text\">Hvornår",
        projector,
    )
    controls = teacher.get(f"/w/{ws['id']}/fragment").text
    for html in (projector, controls):
        for name in ("Pia", "Ole", "Åse"):
            assert name not in html.split("qs-", 1)[1]
    # The instructor marks it answered: it leaves the projector's list, and votes stop.
    mark = post(teacher, f"/w/{ws['id']}/steps/{sid}/act/answer", {"q": target}, page="/")
    assert mark.status_code == 200
    assert "Hvornår er næste møde?" not in teacher.get(f"/p/{code}/fragment").text
    late = send(aase, code, sid, op="vote", q=target, on="1")
    assert late.status_code == 422 and "besvaret" in late.text
    data = json.loads(teacher.get(f"/w/{ws['id']}/results.json").text)
    result = next(s for s in data["steps"] if s["title"] == "Evt. spørgsmål")["result"]
    assert {"text": "Hvornår er næste møde?", "votes": 1, "answered": True} in result["questions"]
    for name in ("Pia", "Ole", "Åse"):
        assert name not in json.dumps(result, ensure_ascii=False)


def test_a_reload_keeps_the_question_and_the_vote(app, teacher):
    ws, code, sid, (pia, ole, _aase) = room(app, teacher)
    send(pia, code, sid, op="ask", slot="1", text="Må vi få slides?")
    target = qid(ole.get(f"/j/{code}/fragment").text, "Må vi få slides?")
    send(ole, code, sid, op="vote", q=target, on="1")
    again = ole.get(f"/j/{code}").text
    assert "Må vi få slides?" in again and "Fjern min stemme" in again
    mine = pia.get(f"/j/{code}").text
    assert "Dit spørgsmål" in mine and 'value="2"' in mine  # the next question gets a new slot
