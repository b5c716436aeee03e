"""The MED tree in memory: children, subtrees, paths and Danish order. No database here.

Works on anything with `id`, `parent_id`, `name` and `level` (a Place, or a test's tuple).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

MAX_DEPTH = 6  # kommune -> område -> afdeling -> ... : deeper than this is a mistake
NAME_MAX = 120
LEVEL_MAX = 60
# The levels a new tree starts with; instructors rename them (or a CSV header names them).
DEFAULT_LEVELS = ("Kommune", "Område", "Arbejdsplads")
_DANISH = str.maketrans({"æ": "z{0", "ø": "z{1", "å": "z{2", "ä": "z{0", "ö": "z{1"})


class PlaceLike(Protocol):
    id: int
    parent_id: int | None
    name: str
    level: str


def danish_key(text: str) -> str:
    """Sort key in Danish alphabetical order: ... x y z æ ø å (digits first, case ignored)."""
    return " ".join(text.split()).casefold().translate(_DANISH)


def clean_name(raw: Any, limit: int = NAME_MAX) -> str:
    """One line with tidy spaces."""
    return " ".join(str(raw or "").split())[:limit]


class Tree:
    """The places of one owner, indexed: children in Danish order, parents, depths."""

    def __init__(self, places: Iterable[PlaceLike]) -> None:
        self.by_id: dict[int, PlaceLike] = {p.id: p for p in places}
        self.children: dict[int | None, list[PlaceLike]] = {}
        for place in self.by_id.values():
            parent = place.parent_id if place.parent_id in self.by_id else None
            self.children.setdefault(parent, []).append(place)
        for kids in self.children.values():
            kids.sort(key=lambda p: (danish_key(p.name), p.id))

    @property
    def roots(self) -> list[PlaceLike]:
        return self.children.get(None, [])

    def kids(self, place_id: int) -> list[PlaceLike]:
        return self.children.get(place_id, [])

    def is_leaf(self, place_id: int) -> bool:
        return not self.children.get(place_id)

    def ancestors(self, place_id: int) -> list[PlaceLike]:
        """From the root down to the place's parent."""
        out: list[PlaceLike] = []
        place = self.by_id.get(place_id)
        seen = {place_id}
        while place is not None and place.parent_id in self.by_id and place.parent_id not in seen:
            seen.add(place.parent_id)
            place = self.by_id[place.parent_id]
            out.append(place)
        return out[::-1]

    def depth(self, place_id: int) -> int:
        """0 for a root."""
        return len(self.ancestors(place_id))

    def root_of(self, place_id: int) -> PlaceLike | None:
        up = self.ancestors(place_id)
        return up[0] if up else self.by_id.get(place_id)

    def walk(self, place_id: int) -> Iterator[tuple[PlaceLike, int]]:
        """The place and everything under it, depth first in Danish order, with relative depth."""
        start = self.by_id.get(place_id)
        if start is None:
            return
        stack: list[tuple[PlaceLike, int]] = [(start, 0)]
        while stack:
            place, depth = stack.pop()
            yield place, depth
            stack.extend((kid, depth + 1) for kid in reversed(self.kids(place.id)))

    def subtree_ids(self, place_id: int) -> set[int]:
        return {p.id for p, _ in self.walk(place_id)}

    def contains(self, ancestor_id: int, place_id: int) -> bool:
        """Whether place_id is ancestor_id or lies under it."""
        return place_id == ancestor_id or any(a.id == ancestor_id for a in self.ancestors(place_id))

    def path(self, place_id: int, *, from_id: int | None = None, sep: str = " › ") -> str:
        """«Område Syd › Dagtilbud Nord»: the names below `from_id` (the root by default)."""
        chain = [*self.ancestors(place_id), self.by_id[place_id]]
        if from_id is not None:
            ids = [p.id for p in chain]
            if from_id in ids:
                chain = chain[ids.index(from_id) + 1 :] or chain[-1:]
        elif len(chain) > 1:
            chain = chain[1:]  # the kommune's name is on every row otherwise
        return sep.join(p.name for p in chain)

    def options(self, root_id: int | None = None) -> list[tuple[PlaceLike, int]]:
        """Every place (of one root, or all roots) with its depth: for a <select>."""
        roots = [self.by_id[root_id]] if root_id in self.by_id else self.roots
        return [(p, d) for root in roots for p, d in self.walk(root.id)]

    def sibling_named(self, parent_id: int | None, name: str) -> PlaceLike | None:
        key = danish_key(name)
        return next(
            (p for p in self.children.get(parent_id, []) if danish_key(p.name) == key), None
        )

    def levels(self, root_id: int) -> list[tuple[int, str, int]]:
        """(depth, level name, how many places) under a root, in depth order."""
        counts: dict[tuple[int, str], int] = {}
        for place, depth in self.walk(root_id):
            counts[(depth, place.level)] = counts.get((depth, place.level), 0) + 1
        return sorted(((d, name, n) for (d, name), n in counts.items()), key=lambda t: t[:2])
