"""The program editor over HTTP: CSRF, ownership, sharing, steps, import, export, preview."""

from __future__ import annotations

import io
import re

import pytest

from facilitator import programs
from facilitator.db import db
from facilitator.models import Workshop
from facilitator.programs.models import Program
from facilitator.views.auth import create_instructor
from tests.conftest import PASSWORD, csrf_token, join, post

BASE = "/programmer"


def login(app, email: str):
    client = app.test_client()
    token = csrf_token(client, "/login")
    resp = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert resp.status_code == 302
    return client


@pytest.fixture
def colleague(app, instructor):
    with app.app_context():
        create_instructor("Kaj Kollega", "kaj@example.dk", PASSWORD)
    return login(app, "kaj@example.dk")


def copy_demo(teacher) -> int:
    resp = post(teacher, f"{BASE}/bibliotek/demo/kopi", page=f"{BASE}/")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return int(re.search(r"/programmer/(\d+)", resp.location).group(1))


def stored(app, program_id: int) -> Program:
    with app.app_context():
        program = db.get(Program, program_id)
        db.expunge(program)
        return program


def titles(app, program_id: int) -> list[str]:
    return [s["title"] for s in stored(app, program_id).steps]


def test_editor_needs_login_and_is_linked_from_the_topbar(app, teacher):
    anonymous = app.test_client()
    assert anonymous.get(f"{BASE}/").status_code == 302
    assert f'href="{BASE}/"' in teacher.get("/").get_data(as_text=True)
    html = teacher.get(f"{BASE}/").get_data(as_text=True)
    assert "Biblioteket" in html and "Demo: Hvor står vi i MED?" in html


def test_posts_without_csrf_are_refused(app, teacher):
    program_id = copy_demo(teacher)
    resp = teacher.post(f"{BASE}/{program_id}/trin/2/flyt/op", data={"version": "1"})
    assert resp.status_code == 400
    assert titles(app, program_id)[:2] == ["Velkommen", "Information og drøftelse"]
    assert teacher.post(f"{BASE}/bibliotek/demo/kopi").status_code == 400


def test_copy_reorder_and_a_stale_form(app, teacher):
    program_id = copy_demo(teacher)
    page = f"{BASE}/{program_id}"
    html = teacher.get(page).get_data(as_text=True)
    assert "Demo: Hvor står vi i MED? (kopi)" in html and "Mødekultur" in html
    resp = post(teacher, f"{page}/trin/2/flyt/op", {"version": "1"}, page=page)
    assert resp.status_code == 200 and 'id="trin"' in resp.get_data(as_text=True)
    assert titles(app, program_id)[:2] == ["Information og drøftelse", "Velkommen"]
    # The same press again (a double click): based on version 1, so it is refused.
    resp = post(teacher, f"{page}/trin/2/flyt/op", {"version": "1"}, page=page)
    assert resp.status_code == 422 and "ændret i mellemtiden" in resp.get_data(as_text=True)
    assert titles(app, program_id)[:2] == ["Information og drøftelse", "Velkommen"]
    post(teacher, f"{page}/trin/1/flyt/ned", {"version": "2"}, page=page)
    assert titles(app, program_id)[:2] == ["Velkommen", "Information og drøftelse"]


def test_add_and_remove_steps(app, teacher):
    program_id = copy_demo(teacher)
    page = f"{BASE}/{program_id}"
    resp = post(teacher, f"{page}/trin", {"kind": "round_robin", "version": "1"}, page=page)
    assert resp.status_code == 200 and "Ordet rundt på tid" in resp.get_data(as_text=True)
    program = stored(app, program_id)
    assert program.steps[-1]["content"]["question"].startswith("Hvad er det vigtigste")
    post(teacher, f"{page}/trin/1/fjern", {"version": "2"}, page=page)
    assert titles(app, program_id)[0] == "Information og drøftelse"
    resp = post(teacher, f"{page}/trin", {"kind": "dans", "version": "3"}, page=page)
    assert resp.status_code == 422 and "Vælg en øvelsestype" in resp.get_data(as_text=True)


def test_step_form_has_danish_labels_and_errors_beside_the_field(app, teacher):
    program_id = copy_demo(teacher)
    url = f"{BASE}/{program_id}/trin/2"
    html = teacher.get(url).get_data(as_text=True)
    assert ">Udsagn</label>" in html and ">Case</label>" in html and "Antal trin" in html
    assert "Hvor enig er du i, at sagen skal drøftes" in html
    form = {"version": "1", "title": "Ny titel", "statement": "  ", "points": "5"}
    resp = post(teacher, url, form, page=url)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    error = re.search(r'data-testid="error-statement">([^<]+)<', html)
    assert error and error.group(1) == "«Udsagn» mangler."
    assert 'value="Ny titel"' in html  # what was typed is kept
    resp = post(teacher, url, {**form, "statement": "Er vi enige?", "points": "fem"}, page=url)
    assert "«Antal trin» skal være et helt tal." in resp.get_data(as_text=True)
    resp = post(teacher, url, {**form, "statement": "Er vi enige?", "points": "7"}, page=url)
    assert resp.status_code == 302
    step = stored(app, program_id).steps[1]
    assert step["title"] == "Ny titel"
    assert step["content"] == {"statement": "Er vi enige?", "points": 7}  # empty case left out


def test_bool_and_choice_fields_keep_defaults(app, teacher):
    program_id = copy_demo(teacher)
    page = f"{BASE}/{program_id}"
    post(teacher, f"{page}/trin", {"kind": "round_robin", "version": "1"}, page=page)
    url = f"{page}/trin/5"
    html = teacher.get(url).get_data(as_text=True)
    assert re.search(r'name="allow_pass" value="1" checked', html)  # the example allows pass
    assert '<option value="join" selected>Tilmeldingsrækkefølge</option>' in html
    form = {"version": "2", "question": "Hvad tager du med?", "seconds": "45", "order": "random"}
    assert post(teacher, url, form, page=url).status_code == 302
    content = stored(app, program_id).steps[4]["content"]
    assert content["order"] == "random" and content["seconds"] == 45
    assert content["allow_pass"] is False and content["keyword"] is False


def tip13_form(*rows: dict[str, str]) -> dict:
    """The step form of a tip13 coupon: rows as the editor sends them, numbered from 0."""
    form = {"version": "1", "mode": "individual", "rows": ["", *map(str, range(len(rows)))]}
    for number, row in enumerate(rows):
        form |= {f"rows.{number}.{key}": value for key, value in row.items()}
    return form


def test_tip13_rows_are_edited_as_a_row_list(app, teacher):
    resp = post(teacher, f"{BASE}/bibliotek/med_tip13/kopi", page=f"{BASE}/")
    program_id = int(re.search(r"/programmer/(\d+)", resp.location).group(1))
    url = f"{BASE}/{program_id}/trin/2"
    html = teacher.get(url).get_data(as_text=True)
    assert "<legend>Rækker</legend>" in html and "<legend>Række 13</legend>" in html
    assert 'name="rows.12.explanation"' in html and "[[rows]]" not in html
    # A row's own 1/X/2 labels are folded away where the row has none, shown where it has.
    assert '<details class="rare-field"><summary>Betydning af 1, X og 2</summary>' in html
    assert re.search(r'name="rows.1.labels"[^>]*>Medindflydelse', html)
    first = {"text": "Et udsagn", "answer": "1", "explanation": "Fordi"}
    second = {"text": "Uden svar", "answer": "", "explanation": "x"}
    resp = post(teacher, url, tip13_form(first, second), page=url)
    assert resp.status_code == 422
    error = re.search(r'data-testid="error-rows-1-answer">([^<]+)<', resp.get_data(as_text=True))
    assert error and "Række 2: rigtigt svar" in error.group(1)
    # A blank row (added and left empty) is dropped, not refused.
    blank = {"text": "", "answer": "", "explanation": ""}
    form = tip13_form(first, blank, {**second, "text": "Med svar", "answer": "X"})
    resp = post(teacher, url, form, page=url)
    assert resp.status_code == 302
    content = stored(app, program_id).steps[1]["content"]
    assert [r["answer"] for r in content["rows"]] == ["1", "X"] and content["mode"] == "individual"
    assert content["rows"][1] == {"text": "Med svar", "answer": "X", "explanation": "x"}


def test_row_buttons_add_remove_and_move_rows_without_saving(app, teacher):
    resp = post(teacher, f"{BASE}/bibliotek/reflection_demo/kopi", page=f"{BASE}/")
    program_id = int(re.search(r"/programmer/(\d+)", resp.location).group(1))
    number = next(
        i for i, s in enumerate(stored(app, program_id).steps, 1) if s["kind"] == "reflection"
    )
    url = f"{BASE}/{program_id}/trin/{number}"
    before = stored(app, program_id).steps[number - 1]["content"]
    # As the browser sends it: "anonymous" is ticked by default, "shared" only on the second.
    form = {"version": "1", "questions": ["", "0", "1"], "questions.0.text": "Første?",
            "questions.0.anonymous": "1", "questions.1.text": "Anden?",
            "questions.1.shared": "1", "questions.1.anonymous": "1"}  # fmt: skip
    html = post(teacher, url, {**form, "op": "add:questions"}, page=url).get_data(as_text=True)
    assert 'name="questions.2.text"' in html and "autofocus" in html
    assert "Ændringen er ikke gemt endnu" in html
    html = post(teacher, url, {**form, "op": "up:questions:1"}, page=url).get_data(as_text=True)
    assert html.index("Anden?") < html.index("Første?")
    assert re.search(r'name="questions.0.shared" value="1" checked', html)
    html = post(teacher, url, {**form, "op": "remove:questions:0"}, page=url).get_data(as_text=True)
    assert "Første?" not in html and 'name="questions.1.text"' not in html
    assert stored(app, program_id).steps[number - 1]["content"] == before  # nothing saved
    resp = post(teacher, url, form, page=url)
    assert resp.status_code == 302
    questions = stored(app, program_id).steps[number - 1]["content"]["questions"]
    assert questions == [{"text": "Første?"}, {"text": "Anden?", "shared": True}]


def test_sharing_is_read_only_for_the_colleague(app, teacher, colleague):
    program_id = copy_demo(teacher)
    page = f"{BASE}/{program_id}"
    assert colleague.get(page).status_code == 404  # not shared yet: no probing
    assert post(colleague, f"{page}/trin/2/flyt/op", {"version": "1"}).status_code == 404
    resp = post(teacher, f"{page}/del", {"email": "nogen@example.dk"}, page=page)
    assert "ingen underviser med e-mailen" in teacher.get(page).get_data(as_text=True)
    resp = post(teacher, f"{page}/del", {"email": "KAJ@example.dk"}, page=page)
    assert "delt med Kaj Kollega" in teacher.get(resp.location).get_data(as_text=True)
    listing = colleague.get(f"{BASE}/").get_data(as_text=True)
    assert "Demo: Hvor står vi i MED? (kopi)" in listing and "fra Ulla Underviser" in listing
    html = colleague.get(page).get_data(as_text=True)
    assert "Delt med dig af Ulla Underviser" in html and "Redigér" not in html
    assert colleague.get(f"{page}/trin/2/phone").status_code == 200
    assert colleague.get(f"{page}/eksport.toml").status_code == 200
    for path in (f"{page}/trin/2/flyt/op", f"{page}/trin/2", f"{page}/slet", f"{page}/del"):
        assert post(colleague, path, {"version": "1"}, page=f"{BASE}/").status_code == 403
    assert colleague.get(f"{page}/trin/2").status_code == 403
    resp = post(colleague, f"{page}/kopi", page=f"{BASE}/")
    copy_id = int(re.search(r"/programmer/(\d+)", resp.location).group(1))
    assert "Redigér" in colleague.get(f"{BASE}/{copy_id}").get_data(as_text=True)
    assert teacher.get(f"{BASE}/{copy_id}").status_code == 404
    with app.app_context():
        shares = db.get(Program, program_id).shared_with
        kaj_id = shares[0].id
    post(teacher, f"{page}/del/{kaj_id}/fjern", page=page)
    assert colleague.get(page).status_code == 404


def test_import_errors_point_at_the_line_and_field(app, teacher):
    bad = (
        'title = "Mit kursus"\n\n[[steps]]\nkind = "info"\ntitle = "Hej"\nbody = "Velkommen"\n\n'
        '[[steps]]\nkind = "scale"\ntitle = "Hvor enig er du i, at vi holder pauser nok?"\n'
        'statement = 42\n\n[[steps]]\nkind = "dans"\n'
    )
    files = {"file": (io.BytesIO(bad.encode()), "kursus.toml")}
    resp = post(teacher, f"{BASE}/import", files, page=f"{BASE}/")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Linje 11 · Trin 2 (Hvor enig er du i, at vi holder pauser…): " in html
    assert "«Udsagn» skal være en tekst. Feltet i filen: statement." in html
    assert "Linje 14 · Trin 3: ukendt øvelsestype «dans»." in html
    files = {"file": (io.BytesIO(b'title = "x"\n[[steps]\n'), "x.toml")}
    html = post(teacher, f"{BASE}/import", files, page=f"{BASE}/").get_data(as_text=True)
    assert "Filen er ikke gyldig TOML: linje 2, kolonne 8" in html
    files = {"file": (io.BytesIO("title = 'æ'".encode("latin-1")), "x.toml")}
    assert "ikke gemt som UTF-8" in post(teacher, f"{BASE}/import", files).get_data(as_text=True)
    with app.app_context():
        assert db.query(Program).count() == 0


def test_export_and_import_round_trip(app, teacher):
    program_id = copy_demo(teacher)
    resp = teacher.get(f"{BASE}/{program_id}/eksport.toml")
    assert resp.status_code == 200
    disposition = resp.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="demo-hvor-staar-vi-i-med-kopi.toml"'
    exported = resp.get_data(as_text=True)
    files = {"file": (io.BytesIO(exported.encode()), "demo.toml")}
    resp = post(teacher, f"{BASE}/import", files, page=f"{BASE}/")
    assert resp.status_code == 302
    new_id = int(re.search(r"/programmer/(\d+)", resp.location).group(1))
    original, imported = stored(app, program_id), stored(app, new_id)
    assert imported.steps == original.steps and imported.title == original.title
    assert programs.parse(exported).steps == programs.load("demo").steps


def test_preview_of_every_kind_as_projector_and_phone(app, teacher):
    from exercises import KINDS

    resp = post(teacher, f"{BASE}/", {"title": "Alle øvelser"}, page=f"{BASE}/")
    program_id = int(re.search(r"/programmer/(\d+)", resp.location).group(1))
    page = f"{BASE}/{program_id}"
    for version, name in enumerate(KINDS, start=1):
        post(teacher, f"{page}/trin", {"kind": name, "version": str(version)}, page=page)
    for number, kind in enumerate(KINDS.values(), start=1):
        for screen in ("projector", "phone"):
            resp = teacher.get(f"{page}/trin/{number}/{screen}")
            assert resp.status_code == 200, (kind.name, screen, resp.get_data(as_text=True))
            html = resp.get_data(as_text=True)
            assert "Prøvevisning" in html and f"{screen}-body" in html
    with app.app_context():
        assert db.query(Workshop).count() == 0  # nothing of the throwaway room was saved
    html = teacher.get(f"{BASE}/bibliotek/demo").get_data(as_text=True)
    assert "Fra biblioteket" in html and f"{BASE}/bibliotek/demo/trin/4/phone" in html
    assert teacher.get(f"{BASE}/bibliotek/ukendt").status_code == 404
    html = teacher.get(f"{BASE}/bibliotek/demo/trin/2/projector").get_data(as_text=True)
    assert "Hvor enig er du i, at sagen skal drøftes" in html
    assert teacher.get(f"{BASE}/bibliotek/demo/trin/9/phone").status_code == 404
    assert teacher.get(f"{page}/trin/1/controls").status_code == 404


def test_workshop_from_own_program_then_day_two_appended(app, teacher, colleague):
    program_id = copy_demo(teacher)
    page = f"{BASE}/{program_id}"
    post(teacher, f"{page}/trin/1/fjern", {"version": "1"}, page=page)
    html = teacher.get("/").get_data(as_text=True)
    assert f'<option value="own:{program_id}">Demo: Hvor står vi i MED? (kopi) (3 trin)' in html
    resp = post(teacher, "/workshops", {"program": f"own:{program_id}", "title": ""}, page="/")
    assert resp.status_code == 302
    workshop_id = int(resp.location.rsplit("/", 1)[-1])
    with app.app_context():
        ws = db.get(Workshop, workshop_id)
        assert [s.title for s in ws.steps] == [
            "Information og drøftelse",
            "Mødekultur",
            "Tak for i dag",
        ]
        assert ws.title == "Demo: Hvor står vi i MED? (kopi)" and ws.program == f"own:{program_id}"
        code = ws.code
    phone = join(app, code, "Pia")
    post(teacher, f"/w/{workshop_id}/go/0", page="/")
    sid = re.search(r"/s/(\d+)", phone.get(f"/j/{code}/fragment").get_data(as_text=True)).group(1)
    post(phone, f"/j/{code}/s/{sid}", {"value": "4"}, page=f"/j/{code}")
    resp = post(teacher, f"/w/{workshop_id}/append", {"program": "demo"}, page="/")
    assert resp.status_code == 302
    assert "4 trin fra «Demo: Hvor står vi i MED?»" in teacher.get(resp.location).get_data(
        as_text=True
    )
    with app.app_context():
        ws = db.get(Workshop, workshop_id)
        assert [s.position for s in ws.steps] == list(range(7))
        assert ws.steps[3].title == "Velkommen" and ws.steps[3].state == {}
        from facilitator.models import Participant, Response

        assert db.query(Participant).count() == 1 and db.query(Response).count() == 1
    # A colleague can neither use an unshared program nor append to a workshop not theirs.
    resp = post(colleague, "/workshops", {"program": f"own:{program_id}"}, page="/")
    assert "findes ikke" in colleague.get("/").get_data(as_text=True)
    assert post(colleague, f"/w/{workshop_id}/append", {"program": "demo"}).status_code == 404
