"""Helpers that drive the wizard through the test client as a user would."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

VERSION_FIELD = re.compile(r'name="version-([A-Z0-9-]+)" type="hidden" value="([0-9a-f.]*)"')


def create_assessment(
    client: FlaskClient, title: str = "Review 2026", profile: str = "state", **extra: Any
) -> int:
    """Create an assessment through the form and return its id."""
    data = {
        "title": title,
        "profile": profile,
        "target": "75",
        "classification": "OFFICIAL - SENSITIVE",
        "baseline": "0",
    }
    data.update({k: str(v) for k, v in extra.items()})
    response = client.post("/assessments/new", data=data)
    assert response.status_code == 302, response.data
    return int(re.search(r"/assessments/(\d+)/", response.location).group(1))


def page_versions(html: str) -> dict[str, str]:
    """Return {question id: answer version} from the hidden fields of a section page."""
    return dict(VERSION_FIELD.findall(html))


def save_section(
    client: FlaskClient,
    assessment_id: int,
    section_id: str,
    answers: dict[str, Any],
    action: str = "next",
    versions: dict[str, str] | None = None,
    **extra: Any,
):
    """Load the section (unless versions are given), then post the answers with a button."""
    url = f"/assessments/{assessment_id}/section/{section_id}"
    if versions is None:
        page = client.get(url)
        assert page.status_code == 200
        versions = page_versions(page.get_data(as_text=True))
    data: dict[str, Any] = {f"version-{qid}": v for qid, v in versions.items()}
    for qid, value in answers.items():
        data[f"answer-{qid}"] = value
    data.update(extra)
    data[action] = "clicked"
    return client.post(url, data=data)


def first_answer(question) -> Any:
    """Return a valid answer for any question type (the first option, or some text)."""
    if question.type == "multi":
        return [question.options[0].value]
    if question.options:
        return question.options[0].value
    return {"number": "3", "date": "2026-01-31"}.get(question.type, "Some text")


def best_answer(question) -> Any:
    """Return the highest-scoring answer (the first option for unscored choices)."""
    if question.type == "multi":
        return [o.value for o in question.options if not o.na]
    if question.options:
        scored = [o for o in question.options if not o.na]
        return max(scored, key=lambda o: o.score).value if scored else question.options[0].value
    return first_answer(question)
