"""Absolute links to a plan: what its QR codes, mails and the day's last step carry."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for

from .. import qr
from .models import ActionPlan


def base_url() -> str:
    return current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")


def links(plan: ActionPlan, *, with_edit: bool = True) -> dict[str, Any]:
    """Absolute edit and view links of a plan, with their QR codes (None when revoked)."""
    base = base_url()
    out: dict[str, Any] = {"edit": None, "view": None, "edit_qr": None, "view_qr": None}
    if plan.edit_token and with_edit:
        out["edit"] = base + url_for("plan.edit", token=plan.edit_token)
        out["edit_qr"] = qr.svg(out["edit"])
    if plan.view_token:
        out["view"] = base + url_for("plan.view", token=plan.view_token)
        out["view_qr"] = qr.svg(out["view"])
    return out
