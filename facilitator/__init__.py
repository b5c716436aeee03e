"""The facilitator: a live workshop tool for Danish MED committees."""

# Imports live inside the functions: `facilitator run` must patch with gevent before Flask,
# SQLAlchemy or threading objects are created, and importing this package comes first.
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """App factory: config -> db -> socketio -> blueprints -> kinds."""
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect
    from jinja2 import ChoiceLoader, FileSystemLoader

    import exercises

    from . import config, db, kinds, limits, live, ops, sessions, timefmt, validation, workshops
    from .media import views as media_views
    from .org import views as org_views
    from .plans import overview
    from .plans import removal as plan_removal
    from .plans import views as plan_views
    from .programs import views as program_views
    from .views import access, account, auth, controls, phone, projector, proxy, retention

    # INSTANCE_PATH moves the database and secret key (tests, several installations).
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or None)
    app.config.update(config.load(app.instance_path))
    app.config.update(overrides or {})
    # First: the URL converters must be in place before any rule, the cleaning before CSRF.
    validation.init_app(app)
    sessions.init_app(app)

    kinds.register(exercises.KINDS.values())
    db.init_app(app)
    CSRFProtect(app)
    access.htmx.init_app(app)
    live.init_app(app)
    ops.init_app(app)
    limits.init_app(app)
    media_views.init_app(app)

    for blueprint in (auth.bp, account.bp, controls.bp, phone.bp, projector.bp, proxy.bp):
        app.register_blueprint(blueprint)
    for blueprint in (retention.bp, plan_views.bp, overview.bp, program_views.bp, org_views.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(plan_removal.bp)
    # A kind may own routes beyond its three screens (the handleplan does).
    for kind in kinds.registry().values():
        if kind.blueprint is not None:
            app.register_blueprint(kind.blueprint)
    # Each exercise kind keeps its three screen templates beside its code.
    app.jinja_loader = ChoiceLoader(
        [app.jinja_loader, FileSystemLoader([str(p) for p in exercises.template_dirs()])]
    )
    app.jinja_env.filters.update(
        danish_date=timefmt.danish_date,
        danish_time=timefmt.danish_time,
        danish_datetime=timefmt.danish_datetime,
        grouped_code=workshops.grouped_code,
    )
    app.jinja_env.globals["epoch_ms"] = timefmt.epoch_ms
    here = Path(__file__).parent
    parts = [here / part / "style.css" for part in ("plans", "programs", "org")]
    # Instructors read a kind by its Danish title, never by its internal name.
    app.jinja_env.globals["kind_title"] = lambda name: (
        kinds.registry()[name].title if name in kinds.registry() else name
    )
    _serve_kind_styles(app, parts + exercises.stylesheets())
    _register_handlers(app)
    ops.tune_gc(app)  # last: what start-up built is frozen out of the collector's way
    return app


def _serve_kind_styles(app: Flask, paths: list[Path]) -> None:
    """Serve the parts' own style.css files (plans, programs, each kind) as one stylesheet."""
    import hashlib

    from flask import request

    css = "\n".join(f"/* {p.parent.name} */\n{p.read_text(encoding='utf-8')}" for p in paths)
    app.extensions["kinds_css_hash"] = hashlib.sha256(css.encode()).hexdigest()[:12]

    @app.get("/kinds.css")
    def kinds_css():  # noqa: ANN202
        response = app.response_class(css, mimetype="text/css")
        response.cache_control.public = True
        response.cache_control.max_age = 300
        response.add_etag()
        return response.make_conditional(request)


def _register_handlers(app: Flask) -> None:
    from flask import jsonify, render_template
    from flask_wtf.csrf import CSRFError
    from sqlalchemy import text
    from werkzeug.exceptions import HTTPException

    from .db import db

    @app.after_request
    def security_headers(response):  # noqa: ANN001, ANN202
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.get("/healthz")
    def healthz():  # noqa: ANN202
        try:
            db.execute(text("SELECT 1"))
        except Exception:  # the point is to report it, not to crash
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok")

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError):  # noqa: ANN202
        message = "Siden var for gammel til at sende fra. Genindlæs siden, og prøv igen."
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # noqa: ANN202
        messages = {
            404: "Siden findes ikke.",
            405: "Den handling er ikke mulig her.",
            410: "Den er ikke længere aktiv.",
            413: "Det, du sendte, er for stort.",
        }
        # Our own abort() calls carry a Danish description; Werkzeug's defaults are English.
        own = exc.description if exc.description != type(exc).description else None
        message = own or messages.get(exc.code or 500, "Der skete en fejl.")
        return render_template("error.html", code=exc.code, message=message), exc.code or 500
