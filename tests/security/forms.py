"""The forms a role really sees: read from its pages, so fuzzed posts reach deep into views.

A random request mostly ends at a 404 or a CSRF refusal; a real form with one field made
hostile gets past routing, access and CSRF to the validation and the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser


@dataclass
class Form:
    """Where a form posts and the fields (with the values the page gave them)."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """Collects <form action=...> with its inputs, and htmx buttons with hx-post/hx-vals."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.open: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: unescape(v or "") for k, v in attrs}
        if tag == "form" and (a.get("action") or a.get("hx-post")):
            form = Form(a.get("hx-post") or a["action"])
            self.forms.append(form)
            self.open.append(form)
        elif a.get("hx-post"):
            form = Form(a["hx-post"], _vals(a.get("hx-vals", "")))
            if a.get("name"):
                form.fields[a["name"]] = a.get("value", "")
            self.forms.append(form)
        elif tag in {"input", "textarea", "select", "button"} and a.get("name") and self.open:
            if a.get("type") in {"radio", "checkbox"} and a["name"] in self.open[-1].fields:
                return  # keep the first choice; the fuzzer varies the value anyway
            self.open[-1].fields[a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.open:
            self.open.pop()


def _vals(raw: str) -> dict[str, str]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def forms_in(html: str) -> list[Form]:
    """Every form and htmx post on a page, same-site ones only."""
    parser = _FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f.action.startswith("/") and "{" not in f.action]
