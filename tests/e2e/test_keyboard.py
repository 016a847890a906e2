"""One full run of the wizard (every section of the operator profile) with the keyboard only.

Only `page.keyboard` acts on the page: Tab to move, Space and arrow keys for radio buttons
and checkboxes, typing for text, Enter on links and on the primary button. Every element
that receives focus must show it (the :focus-visible outline).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .support import bank
from .wizard import current_section, overview_id_of, pick, visible_questions

pytestmark = pytest.mark.browser

# What has the focus, and whether it is visibly marked.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const group = el.name ? [...document.querySelectorAll(`[name="${el.name}"]`)] : [el];
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
    id: el.id || "", text: (el.innerText || el.value || "").trim().slice(0, 80),
    index: group.indexOf(el), options: group.map(i => i.value),
    question: (el.closest("section.question") || {}).id || "",
    outline: `${style.outlineStyle} ${style.outlineWidth}`, size: [box.width, box.height],
    // Past the year of a date field, Tab reaches its calendar button inside the field:
    // the field keeps document focus without :focus, and Chromium rings the button itself.
    visible: (el.type === "date" && !el.matches(":focus")) || (el.matches(":focus-visible")
      && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
      && box.width > 0 && box.height > 0),
  };
}"""
MAX_STOPS = 400


def tab(page: Any) -> dict[str, Any]:
    """Press Tab; return what has the focus now, after checking that the focus shows."""
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS)
    assert focus is not None, f"Tab left the page's controls on {page.url}"
    assert focus["visible"], f"no visible focus on {focus} at {page.url}"
    return focus


def tab_to(page: Any, wanted: Any, what: str) -> dict[str, Any]:
    """Press Tab until `wanted(focus)` holds; fail after MAX_STOPS."""
    for _ in range(MAX_STOPS):
        focus = tab(page)
        if wanted(focus):
            return focus
    raise AssertionError(f"Tab never reached {what} on {page.url}")


def enter_and_wait(page: Any) -> None:
    """Press Enter on the focused link or button and wait for the next page."""
    before = urlsplit(page.url).path
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path != before)
    page.wait_for_load_state()


def answer_focused(page: Any, focus: dict[str, Any]) -> None:
    """Answer the question whose first control has the focus, with keys only."""
    qid = focus["name"].removeprefix("answer-")
    kind = focus["type"]
    if kind == "radio":
        page.keyboard.press("Space")  # the first option
        for _ in range(focus["options"].index(pick(qid, focus["options"]))):
            page.keyboard.press("ArrowDown")  # moves to the next option and chooses it
    elif kind == "checkbox":
        page.keyboard.press("Space")
    elif kind == "date":
        # The same day and month: right whether the browser shows dd/mm/yyyy or mm/dd/yyyy.
        page.keyboard.type("03032026")
    elif kind == "text":
        page.keyboard.type("3")
    else:
        page.keyboard.type("Operations and security departments of the site.")


def complete_section_by_keyboard(page: Any, noted: set[str]) -> None:
    """Answer every question of the section shown, add one note, then press Enter on Next."""
    answered: set[str] = set()
    for _ in range(MAX_STOPS):
        focus = tab(page)
        name, qid = focus["name"], focus["question"].removeprefix("q-")
        if name.startswith("answer-") and qid not in answered:
            answer_focused(page, focus)
            answered.add(qid)
        elif focus["tag"] == "summary" and not noted & {current_section(page)}:
            page.keyboard.press("Enter")  # opens "Note and evidence"
            note = tab(page)
            assert note["name"] == f"note-{qid}", note
            page.keyboard.type("Checked with the security manager.")
            noted.add(current_section(page))
        elif name == "next":
            missing = [q for q in visible_questions(page) if q not in answered]
            assert not missing, f"Tab skipped {missing} on {page.url}"
            enter_and_wait(page)
            return
    raise AssertionError(f"Tab never reached the Save and continue button on {page.url}")


def test_operator_wizard_by_keyboard_only(page: Any) -> None:
    sections = [s.id for s in bank().sections_for("operator")]
    page.goto("/")
    tab_to(page, lambda f: f["text"] == "New assessment", "the New assessment link")
    enter_and_wait(page)

    tab_to(page, lambda f: f["name"] == "title", "the title field")
    page.keyboard.type("Research reactor site, keyboard review")
    focus = tab_to(page, lambda f: f["name"] == "profile", "the profile radio buttons")
    page.keyboard.press("Space")
    for _ in range(focus["options"].index("operator")):
        page.keyboard.press("ArrowDown")
    tab_to(page, lambda f: f["text"] == "Create assessment", "the Create button")
    enter_and_wait(page)
    assert overview_id_of(page.url), page.url

    tab_to(page, lambda f: f["text"].startswith("Resume:"), "the Resume button")
    enter_and_wait(page)
    visited = []
    noted: set[str] = set()
    while current_section(page):
        visited.append(current_section(page))
        complete_section_by_keyboard(page, noted)
    assert visited == sections
    assert urlsplit(page.url).path.endswith("/review")
    expect(page.get_by_text("Every question that applies is answered.")).to_be_visible()
    assert len(noted) == len(sections)
