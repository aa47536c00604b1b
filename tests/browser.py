"""Helpers of the browser tests: sizes, screenshots, axe-core and keyboard moves."""

from pathlib import Path

from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SERIOUS = ("serious", "critical")


def shoot(page, name, size):
    """A full-page screenshot at `size`, saved to test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(size)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def axe_violations(page):
    """axe-core's serious and critical violations on the page as it stands, as
    readable lines (rule, impact, the elements)."""
    assert AXE.exists(), "axe-core is missing: run `make axe` (npm ci)"
    page.evaluate(AXE.read_text())
    violations = page.evaluate(
        """() => axe.run(document, {resultTypes: ["violations"]}).then(r =>
            r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
            })))"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)",
            selector,
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")
