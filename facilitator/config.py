"""Settings from the environment, with embedded defaults."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created 0600 from the start: never readable by others, not even for an instant.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key


def _channel(secret_key: str) -> str:
    """The Socket.IO channel: SOCKETIO_CHANNEL, else one derived from the secret key.

    Every process of one installation must share the secret key (or no session would work
    across them), and two installations never should: so two installations on one Redis
    never hear each other, and nobody has to remember to set a name.
    """
    if name := os.environ.get("SOCKETIO_CHANNEL"):
        return name
    digest = hashlib.sha256(b"facilitator-channel:" + secret_key.encode()).hexdigest()
    return f"facilitator-{digest[:16]}"


def load(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    instance = Path(instance_path)
    database = os.environ.get("DATABASE_URL")
    if not database:
        # The embedded default keeps its database in instance/; a server needs no folder.
        instance.mkdir(parents=True, exist_ok=True)
        database = f"sqlite:///{instance / 'facilitator.db'}"
    secret_key = _secret_key(instance)
    queue = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    return {
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database,
        # Flask-SocketIO's message queue (e.g. redis://localhost:6379/0) for several processes.
        "SOCKETIO_MESSAGE_QUEUE": queue,
        "SOCKETIO_CHANNEL": _channel(secret_key),
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE") or None,
        # Where rate limits are counted: shared across processes when a Redis is at hand.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or queue or "memory://",
        # Redis connections per process for the limits; more concurrent checks wait for one.
        "REDIS_POOL_SIZE": int(os.environ.get("REDIS_POOL_SIZE", "50")),
        # The address phones use; None means "the address the projector page was opened with".
        "PUBLIC_URL": (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None,
        # How many proxies (nginx = 1) stand in front and may be trusted for X-Forwarded-*.
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        # Embedded default: migrate on start. Servers may run `facilitator migrate` instead.
        "AUTO_MIGRATE": os.environ.get("MIGRATE_ON_START", "1") != "0",
        "REQUEST_LOG": os.environ.get("REQUEST_LOG", "1") != "0",
        # Freeze start-up's objects and collect young ones less often (ops/gcwatch.py).
        "GC_TUNE": os.environ.get("GC_TUNE", "1") != "0",
        # How long the answers' worker gathers a burst before storing it in one transaction.
        "ANSWER_GATHER_MS": float(os.environ.get("ANSWER_GATHER_MS") or "4"),
        # Log garbage-collection pauses of this many ms or more (ops/gcwatch.py); unset: off.
        "GC_LOG_MS": float(os.environ["GC_LOG_MS"]) if os.environ.get("GC_LOG_MS") else None,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": os.environ.get("SECURE_COOKIES") == "1",
        # A course may span days: phones keep their identity for a month.
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 31,
        # An instructor's login lasts this long; the server can also end it earlier.
        "INSTRUCTOR_SESSION_HOURS": float(os.environ.get("INSTRUCTOR_SESSION_HOURS", "12")),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": False,
        "MIN_ANONYMOUS_ANSWERS": 5,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        # Werkzeug's method for new instructor passwords. Keep the secure default in production;
        # tests set a cheap one (e.g. "pbkdf2:sha256:1"), since scrypt costs ~0.3 s a hash.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD") or "scrypt",
        **_plan_care(),
    }


def _plan_care() -> dict:
    """Handleplaner: retention of closed plans, reminder mails and the SMTP server they use."""
    return {
        # Closed plans (both links closed) older than this are deleted; 0 keeps them.
        "PLAN_RETENTION_MONTHS": int(os.environ.get("PLAN_RETENTION_MONTHS") or "0"),
        # Reminders go this many days before a row's deadline and a follow-up meeting.
        "PLAN_REMINDER_DAYS": int(os.environ.get("PLAN_REMINDER_DAYS") or "7"),
        # No SMTP_HOST (as with `make run`): mails are printed to the console instead.
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": int(os.environ.get("SMTP_PORT") or "587"),
        "SMTP_USER": os.environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_FROM": os.environ.get("SMTP_FROM") or "facilitator@localhost",
        # "starttls" (the default on port 587), "ssl" (port 465) or "none" (a local relay).
        "SMTP_SECURITY": os.environ.get("SMTP_SECURITY")
        or {"587": "starttls", "465": "ssl"}.get(os.environ.get("SMTP_PORT") or "587", "none"),
    }
