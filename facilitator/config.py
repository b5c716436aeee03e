"""Settings from the environment, with embedded defaults."""

from __future__ import annotations

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
    path.write_text(key)
    path.chmod(0o600)
    return key


def load(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'facilitator.db'}"),
        # Flask-SocketIO's message queue (e.g. redis://localhost:6379/0) for several processes.
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "SOCKETIO_ASYNC_MODE": os.environ.get("SOCKETIO_ASYNC_MODE") or None,
        # The address phones use; None means "the address the projector page was opened with".
        "PUBLIC_URL": (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": os.environ.get("SECURE_COOKIES") == "1",
        # A course may span days: phones keep their identity for a month.
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 31,
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": False,
        "MIN_ANONYMOUS_ANSWERS": 5,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        # Werkzeug's method for new instructor passwords. Keep the secure default in production;
        # tests set a cheap one (e.g. "pbkdf2:sha256:1"), since scrypt costs ~0.3 s a hash.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD") or "scrypt",
    }
