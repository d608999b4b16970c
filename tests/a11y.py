"""WCAG 2.1 AA checks in the browser with axe-core (the npm package in tests/node_modules, nothing from a CDN).

Use `audit(page)` on any Playwright page once it has finished drawing: it injects axe-core into the page
and into each of its same-origin frames (the map's iframe among them) and returns the serious and
critical violations as readable lines. `tests/test_accessibility.py` runs it on every page of the app;
add a page's URL path to its PAGES list to check a new page.
"""

from __future__ import annotations

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], iframes: false});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n").slice(1).join("; ")),
    count: v.nodes.length}));
}"""


def axe_available() -> bool:
    return AXE_JS.is_file()


def violations(target, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the given impacts in one document (a Page or a Frame)."""
    if not target.evaluate("() => Boolean(window.axe)"):
        target.add_script_tag(path=str(AXE_JS))
    return [v for v in target.evaluate(_RUN, WCAG_TAGS) if v["impact"] in impacts]


def audit(page, impacts: tuple[str, ...] = BLOCKING) -> list[str]:
    """Violations in the page and in every same-origin frame it holds, as 'where: rule (impact): help: nodes'."""
    lines = []
    for frame in page.frames:
        if frame.url in ("", "about:blank") or frame.is_detached():
            continue
        where = "page" if frame == page.main_frame else f"frame {frame.name or frame.url[:80]}"
        for v in violations(frame, impacts):
            lines.append(
                f"{where}: {v['id']} ({v['impact']}, {v['count']} node(s)): {v['help']}: " + " | ".join(v["nodes"])
            )
    return lines
