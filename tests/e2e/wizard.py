"""Helpers that drive the wizard in the browser with the mouse, as a person would."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

SECTION_URL = re.compile(r"/assessments/(\d+)/section/([a-z0-9_-]+)$")
OVERVIEW_URL = re.compile(r"/assessments/(\d+)/$")

# What each answer control of a question is, and its option values, read from the page.
DESCRIBE = """qid => {
  const inputs = [...document.querySelectorAll(`[name="answer-${qid}"]`)];
  return {kind: inputs.length ? inputs[0].type : "none", values: inputs.map(i => i.value)};
}"""
VISIBLE_QUESTIONS = """() => [...document.querySelectorAll("form.wizard section.question")]
  .filter(el => !el.hidden).map(el => el.id.slice(2))"""
HIDDEN_QUESTIONS = """() => [...document.querySelectorAll("form.wizard section.question")]
  .filter(el => el.hidden).map(el => el.id.slice(2))"""


def create_assessment(page: Any, title: str, profile: str = "state") -> int:
    """Create an assessment from the dashboard's "New assessment" button; return its id."""
    page.goto("/")
    page.get_by_role("link", name="New assessment").click()
    page.get_by_label("Title").fill(title)
    label = "A State" if profile == "state" else "A nuclear operator"
    page.get_by_label(re.compile(f"^{label}")).check()
    page.get_by_role("button", name="Create assessment").click()
    page.wait_for_url(lambda url: overview_id_of(url) is not None)
    return overview_id_of(page.url)


def overview_id_of(url: str) -> int | None:
    """The assessment id if `url` is an overview page, else None."""
    match = OVERVIEW_URL.search(urlsplit(url).path)
    return int(match.group(1)) if match else None


def visible_questions(page: Any) -> list[str]:
    """Ids of the questions the page shows now, in order."""
    return page.evaluate(VISIBLE_QUESTIONS)


def hidden_questions(page: Any) -> list[str]:
    """Ids of the questions the page hides now (conditions not met, nothing stored)."""
    return page.evaluate(HIDDEN_QUESTIONS)


def pick(qid: str, values: list[str]) -> str:
    """A deterministic but varied option of a question."""
    return values[sum(map(ord, qid)) % len(values)]


def answer(page: Any, qid: str, value: Any = None) -> Any:
    """Answer one question with the mouse and keyboard typing; return the value given."""
    control = page.evaluate(DESCRIBE, qid)
    kind, values = control["kind"], control["values"]
    if kind == "radio":
        value = value or pick(qid, values)
        page.locator(f'input[name="answer-{qid}"][value="{value}"]').check()
    elif kind == "checkbox":
        value = value or values[:2]
        for item in value:
            page.locator(f'input[name="answer-{qid}"][value="{item}"]').check()
    elif kind == "date":
        value = value or "2026-03-31"
        page.locator(f'input[name="answer-{qid}"]').fill(value)
    elif kind == "text":  # numbers are typed into a text box
        value = value or "4"
        page.locator(f'input[name="answer-{qid}"]').fill(value)
    elif kind == "textarea":
        value = value or "The national nuclear security unit, with the regulator."
        page.locator(f'textarea[name="answer-{qid}"]').fill(value)
    else:
        raise AssertionError(f"{qid}: no answer control ({kind})")
    return value


def fill_section(page: Any, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answer every question the page shows, including those revealed on the way.

    `answers` fixes some values; the rest are picked. Returns {question id: value}.
    """
    answers = answers or {}
    given: dict[str, Any] = {}
    while True:
        todo = [qid for qid in visible_questions(page) if qid not in given]
        if not todo:
            return given
        given[todo[0]] = answer(page, todo[0], answers.get(todo[0]))


def click_button(page: Any, name: str) -> None:
    """Click a wizard button (Save and continue, Save and go back, Save and exit)."""
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def path_of(page: Any) -> str:
    """The path of the page's address (without query and fragment)."""
    return urlsplit(page.url).path


def current_section(page: Any) -> str | None:
    """The id of the section the page shows, or None if not a wizard step."""
    match = SECTION_URL.search(path_of(page))
    return match.group(2) if match else None


def checked_value(page: Any, qid: str) -> str | None:
    """The value of the chosen radio button of a question, or None."""
    checked = page.locator(f'input[name="answer-{qid}"]:checked')
    return checked.get_attribute("value") if checked.count() else None
