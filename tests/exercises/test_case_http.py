"""Case through the real app: a table shares its answers, the projector shows them back."""

from __future__ import annotations

import json
import re

from tests.conftest import join, make_workshop, post

SCRIPT = "<script>alert('x')</script>"


def test_a_table_writes_together_and_the_projector_shows_it_back(app, teacher):
    ws = make_workshop(teacher, program="moeder_demo", groups="Bord 1\nBord 2")
    code = ws["code"]
    tables = re.findall(r'name="group" value="(\d+)"', app.test_client().get(f"/j/{code}").text)
    pia, ole = join(app, code, "Pia", tables[0]), join(app, code, "Ole", tables[0])
    aase = join(app, code, "Åse", tables[1])
    assert post(teacher, f"/w/{ws['id']}/go/1", page="/").status_code in (200, 302)
    sid = int(re.search(r"/s/(\d+)", pia.get(f"/j/{code}/fragment").text).group(1))

    def send(phone, **data):
        return post(phone, f"/j/{code}/s/{sid}", data, page=f"/j/{code}")

    assert send(pia, q="0", text="Tillidsrepræsentanten og kollegerne", rev="0").status_code == 200
    assert send(aase, q="0", text=SCRIPT, rev="0").status_code == 200
    # Ole sits at Pia's table: he sees her words after a reload; Åse's table does not.
    assert "Tillidsrepræsentanten og kollegerne" in ole.get(f"/j/{code}").text
    assert "Tillidsrepræsentanten" not in aase.get(f"/j/{code}").text
    too_long = send(ole, q="1", text="x" * 601, rev="0")
    assert too_long.status_code == 422 and "højst 600 tegn" in too_long.text
    assert "Tillidsrepræsentanten" not in teacher.get(f"/p/{code}/fragment").text  # not shown yet
    act = f"/w/{ws['id']}/steps/{sid}/act/show_question"
    assert post(teacher, act, {"item": "0"}, page="/").status_code == 200
    projector = teacher.get(f"/p/{code}/fragment").text
    assert "Tillidsrepræsentanten og kollegerne" in projector and "&lt;script&gt;" in projector
    assert SCRIPT not in projector and "Pia" not in projector and "Ole" not in projector
    data = json.loads(teacher.get(f"/w/{ws['id']}/results.json").text)
    result = next(s for s in data["steps"] if s["title"] == "Inddragelse af baglandet")["result"]
    assert result["tables"][0]["answers"][0]["answer"] == "Tillidsrepræsentanten og kollegerne"
    assert "Pia" not in json.dumps(result, ensure_ascii=False)
