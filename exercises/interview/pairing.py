"""To-trins interview: forming pairs (random, or across groups or roles), an odd one out a trio."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

RANDOM, GROUPS, ROLES = "random", "groups", "roles"


def make_pairs(people: Sequence[tuple[int, Hashable]], mode: str, seed: int) -> list[list[int]]:
    """Pairs of participant ids; with an odd count the one left over makes a trio.

    `people` are (id, key) where key is the group or the role. Across groups or roles, the
    people are lined up by key (biggest key first) and each of the first half is paired with
    the one half a line further on: no pair shares a key unless one key is over half the room.
    """
    rng = random.Random(seed)
    if mode == RANDOM:
        ids = [pid for pid, _key in people]
        rng.shuffle(ids)
        keys = {pid: 0 for pid in ids}
    else:
        buckets: dict[Hashable, list[int]] = {}
        for pid, key in people:
            buckets.setdefault(key, []).append(pid)
        lists = list(buckets.values())
        rng.shuffle(lists)  # ties in size get a random order
        for members in lists:
            rng.shuffle(members)
        lists.sort(key=len, reverse=True)
        ids = [pid for members in lists for pid in members]
        keys = dict(people)
    if len(ids) < 2:
        return [ids] if ids else []
    # The odd one out comes from the biggest key, so the pairs below mix as much as they can.
    odd = ids.pop(0) if len(ids) % 2 else None
    half = len(ids) // 2
    pairs = [[ids[i], ids[i + half]] for i in range(half)]
    if odd is not None:
        # The trio: the first pair where the odd one shares a key with neither member.
        fits = [p for p in pairs if keys[odd] not in {keys[p[0]], keys[p[1]]}]
        (fits or pairs)[0].append(odd)
    if mode == RANDOM:
        rng.shuffle(pairs)
    return pairs


def mixed(groups: Sequence[Sequence[int]], keys: dict[int, Hashable]) -> int:
    """How many groups have members with different keys (for tests and the controls)."""
    return sum(1 for g in groups if len({keys[p] for p in g}) > 1)
