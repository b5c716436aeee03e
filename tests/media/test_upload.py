"""Pictures over HTTP: upload in the program editor, serving, the TOML round trip, the screens."""

from __future__ import annotations

import io
import re
import tomllib

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete

from facilitator.db import Base, db
from facilitator.media.models import Media
from tests.conftest import join, make_workshop, post
from tests.media import pictures
from tests.media.test_check import HOSTILE
from tests.programs.test_views import BASE, copy_demo, stored

SHA_PNG = re.compile(r"^[0-9a-f]{64}\.png$")


def upload(teacher, program_id: int, data: bytes, name: str, number: int = 1, **kw):
    files = {"image": (io.BytesIO(data), name), "version": str(kw.pop("version", ""))}
    return post(
        teacher, f"{BASE}/{program_id}/trin/{number}/billede", files,
        page=f"{BASE}/", content_type="multipart/form-data", **kw,
    )  # fmt: skip


def image_of(app, program_id: int, number: int = 1) -> str:
    return stored(app, program_id).steps[number - 1]["content"].get("image", "")


def test_the_migration_matches_the_model(app):
    with app.app_context(), app.extensions["engine"].connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "media" in repr(d)] == []


def test_a_png_named_svg_is_stored_and_served_as_a_png_with_strict_headers(app, teacher):
    pid = copy_demo(teacher)
    resp = upload(teacher, pid, pictures.png(), "tegning.svg")
    assert resp.status_code == 303
    assert "Billedet er gemt" in teacher.get(resp.location).get_data(as_text=True)
    ref = image_of(app, pid)
    assert SHA_PNG.match(ref), ref
    served = app.test_client().get(f"/media/{ref}")  # the phones have no login
    assert served.status_code == 200 and served.data == pictures.png()
    assert served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"].startswith("sandbox")
    assert app.test_client().get(f"/media/{ref[:64]}.svg").status_code == 404  # not as SVG
    assert app.test_client().get(f"/media/{'0' * 64}.png").status_code == 404
    assert app.test_client().get("/media/..%2fetc.png").status_code == 404
    # The same file again is kept once.
    upload(teacher, pid, pictures.png(), "igen.png", version=stored(app, pid).version)
    with app.app_context():
        assert db.query(Media).count() == 1


def test_refused_uploads_say_why_in_danish_and_change_nothing(app, teacher):
    pid = copy_demo(teacher)
    for data, name, reason in [
        (HOSTILE["onload"].encode(), "logo.svg", "hændelse"),
        (HOSTILE["xlink to http"].encode(), "logo.svg", "henvisning uden for filen"),
        (pictures.png(extra=b"x" * 2 * 1024 * 1024), "stor.png", "højst fylde 2 MB"),
        (b"MZ\x90\x00", "virus.png", "PNG, JPEG eller SVG"),
    ]:
        resp = upload(teacher, pid, data, name)
        assert resp.status_code == 303
        page = teacher.get(resp.location).get_data(as_text=True)
        assert "Billedet er ikke gemt" in page and reason in page, (name, reason)
    assert image_of(app, pid) == ""
    too_big = upload(teacher, pid, b"x" * (3 * 1024 * 1024), "kæmpe.png")
    assert too_big.status_code == 413
    no_csrf = teacher.post(
        f"{BASE}/{pid}/trin/1/billede",
        data={"image": (io.BytesIO(pictures.png()), "a.png")},
        content_type="multipart/form-data",
    )
    assert no_csrf.status_code == 400
    with app.app_context():
        assert db.query(Media).count() == 0


def test_only_info_steps_of_own_programs_take_pictures(app, teacher):
    pid = copy_demo(teacher)
    assert upload(teacher, pid, pictures.png(), "a.png", number=2).status_code == 404  # scale
    assert upload(teacher, pid, pictures.png(), "a.png", number=99).status_code == 404
    assert upload(app.test_client(), pid, pictures.png(), "a.png").status_code == 302  # login


def test_the_picture_travels_with_the_toml_file_and_is_checked_again(app, teacher):
    pid = copy_demo(teacher)
    upload(teacher, pid, pictures.SVG.encode(), "hjul.svg")
    ref = image_of(app, pid)
    text = teacher.get(f"{BASE}/{pid}/eksport.toml").get_data(as_text=True)
    data = tomllib.loads(text)
    assert data["steps"][0]["image"] == ref and set(data["media"]) == {ref}
    assert data["media"][ref]["type"] == "image/svg+xml"
    assert max(len(line) for line in data["media"][ref]["data"].splitlines()) <= 76
    # Another installation: the picture is not in its database yet.
    with app.app_context():
        db.execute(delete(Media))
        db.commit()
    resp = post(
        teacher, f"{BASE}/import", {"file": (io.BytesIO(text.encode()), "hjul.toml")},
        page=f"{BASE}/", content_type="multipart/form-data",
    )  # fmt: skip
    assert resp.status_code == 302, resp.get_data(as_text=True)
    new = int(re.search(r"/programmer/(\d+)", resp.location).group(1))
    assert image_of(app, new) == ref
    assert "Møde i MED" in app.test_client().get(f"/media/{ref}").get_data(as_text=True)
    # A file edited by hand to carry a script is refused, naming what is wrong.
    import base64

    evil = base64.b64encode(HOSTILE["script"].encode()).decode()
    tampered = re.sub(r'data = """[^"]*"""', f'data = "{evil}"', text)
    assert tampered != text
    refused = post(
        teacher, f"{BASE}/import", {"file": (io.BytesIO(tampered.encode()), "ond.toml")},
        page=f"{BASE}/", content_type="multipart/form-data",
    )  # fmt: skip
    assert refused.status_code == 422 and "script" in refused.get_data(as_text=True)
    missing = text.split("[media")[0]
    with app.app_context():
        db.execute(delete(Media))
        db.commit()
    refused = post(
        teacher, f"{BASE}/import", {"file": (io.BytesIO(missing.encode()), "uden.toml")},
        page=f"{BASE}/", content_type="multipart/form-data",
    )  # fmt: skip
    assert refused.status_code == 422 and "mangler i filens [media]" in refused.get_data(
        as_text=True
    )


def test_projector_shows_it_big_and_phones_small_with_alt_text(app, teacher):
    pid = copy_demo(teacher)
    upload(teacher, pid, pictures.png(), "a.png")
    ref = image_of(app, pid)
    ws = make_workshop(teacher, program=f"own:{pid}")
    post(teacher, f"/w/{ws['id']}/go/0", page="/")
    projector = teacher.get(f"/p/{ws['code']}/fragment").get_data(as_text=True)
    assert f'class="info-image" data-testid="info-image"><img src="/media/{ref}"' in projector
    assert 'alt="Velkommen"' in projector  # the step title when no text is given
    phone = join(app, ws["code"], "Pia")
    html = phone.get(f"/j/{ws['code']}/fragment").get_data(as_text=True)
    assert f'class="info-image-small" data-testid="info-image"><img src="/media/{ref}"' in html
    # Removing it takes it off the step.
    version = stored(app, pid).version
    resp = post(
        teacher, f"{BASE}/{pid}/trin/1/billede", {"op": "remove", "version": version},
        page=f"{BASE}/",
    )  # fmt: skip
    assert resp.status_code == 303 and image_of(app, pid) == ""


def test_the_step_form_keeps_the_picture_and_refuses_a_made_up_one(app, teacher):
    pid = copy_demo(teacher)
    upload(teacher, pid, pictures.png(), "a.png")
    ref = image_of(app, pid)
    page = teacher.get(f"{BASE}/{pid}/trin/1").get_data(as_text=True)
    assert f'<input type="hidden" name="image" value="{ref}">' in page
    assert 'enctype="multipart/form-data"' in page and "Fjern billedet" in page
    form = {"title": "Velkommen", "body": "Ny tekst", "image": ref, "image_alt": "Et hjul"}
    version = stored(app, pid).version
    resp = post(teacher, f"{BASE}/{pid}/trin/1", {**form, "version": version}, page=f"{BASE}/")
    assert resp.status_code == 302
    content = stored(app, pid).steps[0]["content"]
    assert (content["image"], content["image_alt"], content["body"]) == (ref, "Et hjul", "Ny tekst")
    bad = {**form, "image": "../../etc/passwd", "version": version + 1}
    resp = post(teacher, f"{BASE}/{pid}/trin/1", bad, page=f"{BASE}/")
    assert resp.status_code == 422 and "ikke et billede, der er uploadet her" in resp.get_data(
        as_text=True
    )


def test_a_program_file_with_a_big_picture_passes_the_apps_usual_body_limit(app, teacher):
    pid = copy_demo(teacher)
    big = pictures.png(extra=b"\x01" * (400 * 1024))  # over the usual 256 kB
    assert upload(teacher, pid, big, "foto.png").status_code == 303
    text = teacher.get(f"{BASE}/{pid}/eksport.toml").get_data(as_text=True)
    assert len(text) > 500 * 1024
    resp = post(
        teacher, f"{BASE}/import", {"file": (io.BytesIO(text.encode()), "foto.toml")},
        page=f"{BASE}/", content_type="multipart/form-data",
    )  # fmt: skip
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    # Elsewhere the usual limit still holds.
    assert post(teacher, f"{BASE}/", {"title": "x" * 300_000}, page=f"{BASE}/").status_code == 413
