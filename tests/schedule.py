"""How `make test` hands test files to its processes (pytest-xdist, `--dist loadfile`).

xdist gives a process its next file before the current one is done: a process runs a test only
once it knows the test after it. With the plain file scheduler a process running a browser file
of two minutes often holds a second long browser file in reserve, while another process has
run out of work and waits for the run to end. Here a busy process is given a quick file as its
reserve, and a long file goes to a process only when it has nothing long in hand: the long
files are spread over the processes as they come free, longest first (the collection order,
see `pytest_collection_modifyitems` in tests/conftest.py).
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

# Files that start a server and a browser, or a cluster: minutes, not seconds.
HEAVY = ("tests/e2e/", "tests/server/test_nginx.py")


def heavy(scope: str) -> bool:
    return scope.startswith(HEAVY)


class HeavyApart(LoadFileScheduling):
    """Load by file, with no process holding two heavy files at once while others could."""

    def _assign_work_unit(self, node) -> None:  # noqa: ANN001
        held = self.assigned_work.get(node, {})
        busy = any(heavy(scope) and not all(done.values()) for scope, done in held.items())
        scopes = list(self.workqueue)
        # Busy: something quick to hold in reserve (a heavy file only when nothing else is
        # left). Free: the heaviest file left, first in the collection order.
        light = next((s for s in scopes if not heavy(s)), scopes[0])
        pick = light if busy else scopes[0]
        self.workqueue.move_to_end(pick, last=False)
        super()._assign_work_unit(node)
