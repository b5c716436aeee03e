"""Werkzeug's parsing of URL rules, done once per rule for every app of a test process.

A test process makes hundreds of apps, each with ~100 routes; parsing the rules (`Rule.compile`:
the rule string into parts, a trace and converters) was half of `create_app` once the URL
builders were shared (tests/conftest.py). What it yields depends only on the rule's own text
and options and on the map's converter classes, so a rule seen before takes the earlier result
and builds its URL builders from it (the builders are shared too). Only this test process is
touched; if Werkzeug's internals change, the original is left alone.
"""

from __future__ import annotations

from werkzeug.routing.rules import Rule

# What `Rule.compile` sets besides the two bound builders.
STATE = ("_parts", "_trace", "_converters")


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
