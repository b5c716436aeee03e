"""axe-core in the browser tests: every violation of any impact on a page, as readable lines.

The vendored axe (tests/e2e/vendor, version in VERSIONS.md) is evaluated through the DevTools
protocol, so the page's Content-Security-Policy stays as strict as in production.
"""

from __future__ import annotations

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")

RUN = """
async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.flatMap((v) => v.nodes.map((n) =>
    v.id + ' (' + v.impact + '): ' + n.target.join(' ') + ' :: '
    + (n.failureSummary || '').split('\\n').slice(1, 2).join('')));
}
"""


def violations(page) -> list[str]:  # noqa: ANN001
    """Every axe violation on the page as it is now."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE + "\n;0")
    return page.evaluate(RUN)
