"""The organisation pages: every route module registers on the one `bp` when this is imported.

Instructors (logged in) edit their own trees: /org ... Committees read one place's subtree
through a read link, without an account: /org/r/<token> shows the round overview, the
printable status, the exports and the plans read-only, and nothing from the workshops (no
participant names, not even those in a plan's history).
"""

from __future__ import annotations

# The URL map keeps the order routes were added in, and the seeded fuzzer in tests/security
# draws from that order: import the route modules in the order their routes always had.
# isort: off
from . import tree_views  # noqa: F401
from . import round_views  # noqa: F401
from . import link_views  # noqa: F401
from . import read_views  # noqa: F401

# isort: on
from .blueprint import bp

__all__ = ["bp"]
