"""Every page type of the sample site (see pagetypes.py) photographed for review, and no
page wider than a phone's screen.

Full-page screenshots at 1280 px (desktop) and 390 px (phone), light and dark, go to
tests/artifacts/screenshots/<page type>-<width>-<scheme>.png (git ignores tests/artifacts/).
At 390 px the page must not scroll sideways; elements inside their own scrolling box (code
blocks, tables Material wraps) may be wider, as they scroll on their own.
"""

from __future__ import annotations

import struct

import pytest
from pagetypes import SCHEMES, PageCheckFailed, by_type, show_scheme

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHT = {"desktop": 800, "phone": 844}

#: Known failures of the phone-width check, by page type, in code outside these tests.
EXPECTED_OVERFLOWS: dict[str, str] = {}

# The page's sideways overflow and, to explain it, the elements reaching past the right
# edge with no scrolling or clipping box of their own between them and the page.
MEASURE_OVERFLOW = """() => {
    const root = document.scrollingElement;
    const width = root.clientWidth;
    const boxed = el => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (/auto|scroll|hidden|clip/.test(getComputedStyle(up).overflowX)) return true;
        }
        return false;
    };
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map(c => '.' + c).join('');
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 0.5 || boxed(el)) continue;
        if (culprits.some(c => c.el.contains(el))) continue;
        culprits.push({el, text: `${name(el)} (right edge ${Math.round(box.right)} px)`});
    }
    return {scrollWidth: root.scrollWidth, clientWidth: width,
            culprits: culprits.map(c => c.text).slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def tabs(module_reader) -> dict[str, object]:
    """A tab per screen width; colour schemes are switched in place (no reload)."""
    return {
        device: module_reader(viewport={"width": width, "height": HEIGHT[device]})
        for device, width in WIDTHS.items()
    }


@pytest.fixture(scope="module")
def phone_layouts() -> dict[str, dict]:
    """Page type name -> MEASURE_OVERFLOW's result, taken while the screenshot test has the
    page open at phone width, so the overflow test need not load it again (it does when
    run alone)."""
    return {}


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) read from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


#: Known failures of the screenshot test, by page type, in code outside these tests.
EXPECTED_SHOT_FAILURES: dict[str, str] = {}


@pytest.mark.parametrize("page_type", by_type(EXPECTED_SHOT_FAILURES))
def test_screenshots_of_every_page_type(page_type, tabs, artifacts, phone_layouts):
    out = artifacts / "screenshots"
    out.mkdir(exist_ok=True)
    wrong = []  # checked after every screenshot is written, so all of them are there to see
    for device, reader in tabs.items():
        reader.take_problems()
        page_type.open(reader)
        if device == "phone":
            phone_layouts[page_type.name] = reader.page.evaluate(MEASURE_OVERFLOW)
        for scheme in SCHEMES:
            path = out / f"{page_type.slug}-{WIDTHS[device]}-{scheme}.png"
            if (unfollowed := show_scheme(reader.page, scheme)) is not None:
                wrong.append(f"{path.name}: {unfollowed}")
            shot = reader.page.screenshot(
                path=path, full_page=page_type.full_page, animations="disabled"
            )
            width, height = png_size(shot)
            if width != WIDTHS[device] or height < HEIGHT[device]:
                wrong.append(f"{path.name} is {width}x{height} px")
        problems = reader.take_problems()
        wrong.extend(
            f"{page_type.path} at {WIDTHS[device]} px: {what}: {seen}"
            for what, seen in problems.items()
            if seen
        )
    if wrong:
        raise PageCheckFailed("\n".join(wrong))


@pytest.mark.parametrize("page_type", by_type(EXPECTED_OVERFLOWS))
def test_no_sideways_scrolling_on_a_phone(page_type, tabs, phone_layouts):
    found = phone_layouts.get(page_type.name)
    if found is None:
        reader = tabs["phone"]
        page_type.open(reader)
        reader.take_problems()
        found = reader.page.evaluate(MEASURE_OVERFLOW)
    if found["scrollWidth"] > found["clientWidth"]:
        raise PageCheckFailed(
            f"{page_type.path} at {WIDTHS['phone']} px: the page is {found['scrollWidth']} px "
            f"wide for a {found['clientWidth']} px screen; reaching past its right edge:\n  "
            + "\n  ".join(found["culprits"] or ["(no single element found)"])
        )


def test_the_phone_check_finds_what_sticks_out_and_spares_scroll_boxes(tabs, tmp_path):
    page = tabs["phone"].page
    wide = tmp_path / "wide.html"
    scroll_box = '<div style="overflow-x: auto"><pre style="width: 900px">code</pre></div>'
    wide.write_text(f'<body style="margin: 0"><p style="width: 600px">text</p>{scroll_box}')
    page.goto(wide.as_uri())
    found = page.evaluate(MEASURE_OVERFLOW)
    assert (found["scrollWidth"], found["clientWidth"]) == (600, 390)
    assert found["culprits"] == ["p (right edge 600 px)"]

    boxed = tmp_path / "boxed.html"
    boxed.write_text(f'<body style="margin: 0">{scroll_box}')
    page.goto(boxed.as_uri())
    found = page.evaluate(MEASURE_OVERFLOW)
    assert (found["scrollWidth"], found["culprits"]) == (390, [])
