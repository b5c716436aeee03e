"""Werkzeug's work on URL rules, done once per rule for every app of a test process.

A test process makes hundreds of apps, each with ~100 routes. Two steps of making a route are
shared: its URL builders (two small Python functions written and compiled per rule, once 95%
of `create_app`) and its parsing (`Rule.compile`: the rule string into parts, a trace and
converters, then half of what was left). What it yields depends only on the rule's own text
and options and on the map's converter classes, so a rule seen before takes the earlier result
and builds its URL builders from it (the builders are shared too). Only this test process is
touched; if Werkzeug's internals change, the original is left alone.
"""

from __future__ import annotations

from werkzeug.routing.rules import Rule

# What `Rule.compile` sets besides the two bound builders.
STATE = ("_parts", "_trace", "_converters")


def share_url_builders() -> None:
    """Let every app of the session share Werkzeug's compiled URL builders.

    Werkzeug writes and compiles two small Python functions for each route when an app is
    made; with ~70 routes that was 95% of `create_app` and a third of the non-browser suite.
    A builder depends only on the rule's parsed parts and defaults (it reaches the rule through
    its `self` argument), so the same function serves the same rule in every app. Only this test
    process is touched; if Werkzeug's internals change, the originals are left alone.
    """
    original = Rule.__dict__.get("_compile_builder")
    if original is None or getattr(original, "shared", False):
        return
    builders: dict = {}

    def compile_builder(self: Rule, append_unknown: bool = True):  # noqa: ANN202
        try:
            key = (tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        except (AttributeError, TypeError):
            return original(self, append_unknown)
        if key not in builders:
            builders[key] = original(self, append_unknown)
        return builders[key]

    compile_builder.shared = True
    Rule._compile_builder = compile_builder


def share_parsed_rules() -> None:
    original = Rule.__dict__.get("compile")
    if original is None or getattr(original, "shared", False):
        return
    parsed: dict = {}

    def compile(self: Rule) -> None:  # noqa: A001 (Werkzeug's name)
        try:
            m = self.map
            domain = self.host if m.host_matching else self.subdomain
            key = (
                type(self),
                self.rule,
                domain,
                m.host_matching,
                self.merge_slashes,
                tuple(sorted(m.converters.items())),
                repr(sorted((self.defaults or {}).items())),
            )
            hash(key)
        except (AttributeError, TypeError):
            return original(self)
        if key not in parsed:
            original(self)
            parsed[key] = ({name: getattr(self, name) for name in STATE}, set(self.arguments))
            return None
        state, arguments = parsed[key]
        # Parts, trace and converters are only read after parsing (matching, building);
        # the converters hold no state of their map.
        for name, value in state.items():
            setattr(self, name, value)
        self.arguments = set(arguments)
        self._build = self._compile_builder(False).__get__(self, None)
        self._build_unknown = self._compile_builder(True).__get__(self, None)
        return None

    compile.shared = True
    Rule.compile = compile


def share_url_rules() -> None:
    """Both: builders first, since a shared parse builds its builders through them."""
    share_url_builders()
    share_parsed_rules()
