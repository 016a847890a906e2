"""A person's way through the app in Chromium: log in, fill the wizard, report, compare,
export and import."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from .support import EDITOR, PASSWORD, bank
from .wizard import (
    answer,
    checked_value,
    click_button,
    create_assessment,
    current_section,
    fill_section,
    hidden_questions,
    overview_id_of,
    path_of,
    visible_questions,
)

pytestmark = pytest.mark.browser

MARKING = "OFFICIAL - SENSITIVE"
TRANSPORT = ["REG-10", "REG-11", "REG-12", "REG-13"]
REVIEW_DEPENDENTS = ["REV-02", "REV-03"]


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    assert data.startswith(b"%PDF-"), data[:20]
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def download(page: Any, name: str) -> bytes:
    """Click the link or button `name` and return the bytes of the download it starts."""
    with page.expect_download(timeout=120_000) as info:  # a PDF may take a while
        page.get_by_role("link", name=name, exact=True).click()
    return Path(info.value.path()).read_bytes()


def test_log_in_and_out(new_context: Any, seeded: dict[str, int]) -> None:
    page = new_context().new_page()
    page.goto("/")
    assert "/login" in page.url, "the dashboard asks for a login first"
    page.get_by_label("E-mail").fill(EDITOR)
    page.get_by_label("Password").fill("not the right password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Unknown e-mail or wrong password.")).to_be_visible()
    page.get_by_label("E-mail").fill(EDITOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible()
    for title in seeded:
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto("/")
    assert "/login" in page.url


def test_create_state_and_operator_assessments(page: Any) -> None:
    state = create_assessment(page, "State regime review (browser)", "state")
    expect(page.get_by_text("Assessment created.")).to_be_visible()
    expect(page.get_by_text(re.compile("^State profile"))).to_be_visible()
    page.get_by_role("link", name="Resume: Profile and scope").click()
    expect(page.locator("#q-SCOPE-08"), "State-only question shown to a State").to_be_visible()
    assert page.locator("#q-SCOPE-06").count() == 0, "operator-only question hidden"

    operator = create_assessment(page, "Reactor site review (browser)", "operator")
    assert operator != state
    expect(page.get_by_text(re.compile("^Operator profile"))).to_be_visible()
    page.get_by_role("link", name="Resume: Profile and scope").click()
    expect(page.locator("#q-SCOPE-06")).to_be_visible()
    assert page.locator("#q-SCOPE-08").count() == 0

    page.goto("/")
    for title in ("State regime review (browser)", "Reactor site review (browser)"):
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()


def test_wizard_with_back_next_conditions_resume_and_errors(page: Any) -> None:
    the_bank = bank()
    sections = [s.id for s in the_bank.sections_for("state")]
    titles = {s.id: s.title for s in the_bank.sections_for("state")}
    create_assessment(page, "Regime review with the wizard", "state")
    page.get_by_role("link", name=f"Resume: {titles['scope']}").click()
    assert current_section(page) == "scope"

    # A number answered with letters: an error, nothing saved, the other answers kept.
    fill_section(page, {"SCOPE-03": "no", "SCOPE-04": "yes", "SCOPE-08": "about twelve"})
    click_button(page, "Save and continue")
    assert current_section(page) == "scope"
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert "Enter a number" in summary.inner_text()
    number = page.locator('input[name="answer-SCOPE-08"]')
    assert number.get_attribute("aria-invalid") == "true"
    assert checked_value(page, "SCOPE-03") == "no"
    summary.get_by_role("link").first.click()  # the summary leads to the field
    number.fill("12")
    click_button(page, "Save and continue")
    assert current_section(page) == "regime"
    assert not page.locator("#error-summary").count()

    # SCOPE-03 "no" (no international transport) hides the transport questions...
    for qid in TRANSPORT:
        assert qid in hidden_questions(page), f"{qid} shown without international transport"
    expect(page.locator("#q-REG-01")).to_be_visible()
    page.reload()
    for qid in TRANSPORT:
        expect(page.locator(f"#q-{qid}"), f"{qid} shown after reload").to_be_hidden()

    # ... Next and Back keep the answers.
    regime = fill_section(page)
    assert not set(TRANSPORT) & set(regime)
    click_button(page, "Save and continue")
    assert current_section(page) == "protection"
    protection = fill_section(page)
    click_button(page, "Save and go back")
    assert current_section(page) == "regime"
    for qid, value in regime.items():
        if isinstance(value, str) and page.locator(f'input[name="answer-{qid}"]').count() > 1:
            assert checked_value(page, qid) == value, qid
    click_button(page, "Save and continue")
    assert current_section(page) == "protection"
    for qid, value in protection.items():
        if isinstance(value, str) and page.locator(f'input[name="answer-{qid}"]').count() > 1:
            assert checked_value(page, qid) == value, qid
    click_button(page, "Save and continue")

    # Leave in the middle of a section and resume it from the overview.
    assert current_section(page) == "assurance"
    half = visible_questions(page)[:3]
    for qid in half:
        answer(page, qid)
    page.locator("#q-CUL-01 summary").click()
    page.locator('textarea[name="note-CUL-01"]').fill("Culture survey planned for next spring.")
    click_button(page, "Save and exit")
    assert overview_id_of(page.url)
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    page.get_by_role("link", name=f"Resume: {titles['assurance']}").click()
    assert current_section(page) == "assurance"
    for qid in half:
        assert page.locator(f'input[name="answer-{qid}"]:checked').count() == 1, qid
    assert page.locator('textarea[name="note-CUL-01"]').input_value().startswith("Culture")

    # The remaining sections, each completed with Next.
    while current_section(page) != "review":
        fill_section(page)
        click_button(page, "Save and continue")
        assert current_section(page) in sections

    # On the same page, the script hides and shows dependent questions at once.
    answer(page, "REV-01", "no")
    for qid in REVIEW_DEPENDENTS:
        assert page.locator(f"#q-{qid}").is_hidden(), f"{qid} still shown"  # no waiting
    answer(page, "REV-01", "recent")
    for qid in REVIEW_DEPENDENTS:
        assert page.locator(f"#q-{qid}").is_visible(), f"{qid} not shown"
    answer(page, "REV-01", "no")
    fill_section(page, {"REV-01": "no"})
    click_button(page, "Save and continue")
    assert path_of(page).endswith("/review")
    expect(page.get_by_text("Every question that applies is answered.")).to_be_visible()
    page.go_back()
    page.reload()
    for qid in REVIEW_DEPENDENTS:
        expect(page.locator(f"#q-{qid}"), f"{qid} shown after reload").to_be_hidden()

    page.get_by_role("link", name="Regime review with the wizard").click()
    progress = page.locator("#overall-progress")
    assert progress.get_attribute("value") == progress.get_attribute("max")


def test_report_page_and_pdf(page: Any, seeded: dict[str, int]) -> None:
    title = "National regime review 2025"
    page.goto(f"/assessments/{seeded[title]}/")
    page.get_by_role("link", name="Gap report").click()
    expect(page.get_by_role("heading", name=f"Gap report: {title}")).to_be_visible()
    assert page.locator(".marking").first.inner_text() == MARKING
    assert page.locator("svg").count() >= 1, "the report shows its chart"
    pages = pdf_text(download(page, "Download PDF"))
    assert title in pages[0]
    for number, text in enumerate(pages, start=1):
        assert MARKING in text, f"page {number} of {len(pages)} has no marking"


def test_compare_two_assessments(page: Any, seeded: dict[str, int]) -> None:
    page.goto("/")
    older, newer = "National regime review 2024", "National regime review 2025"
    page.get_by_label(f"Compare {older}").check()
    page.get_by_label(f"Compare {newer}").check()
    page.get_by_role("button", name="Compare selected").click()
    page.wait_for_url(re.compile(r"/compare\?"))
    assert re.search(r"ids=\d+.*ids=\d+|ids=\d+(%2C|,)\d+", page.url), page.url
    expect(page.get_by_role("heading", name="Comparison of 2 assessments")).to_be_visible()
    content = page.locator("main").inner_text()
    assert older in content and newer in content
    pages = pdf_text(download(page, "Download PDF"))
    assert all(MARKING in text for text in pages)


def test_export_and_import_again(page: Any, seeded: dict[str, int], tmp_path: Any) -> None:
    title = "Research reactor site review 2025"
    page.goto(f"/assessments/{seeded[title]}/")
    answered = page.locator("#overall-progress").get_attribute("value")
    data = download(page, "Export JSON")
    document = json.loads(data)
    assert document["format"] == "assess/assessment@1"
    assert document["assessment"]["title"] == title
    assert len(document["answers"]) >= int(answered)
    exported = tmp_path / "exported.json"
    exported.write_bytes(data)

    page.goto("/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label(re.compile("Assessment file")).set_input_files(str(exported))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(lambda url: overview_id_of(url) is not None)
    new_id = overview_id_of(page.url)
    assert new_id != seeded[title]
    expect(page.get_by_text(f"Imported '{title}'.")).to_be_visible()
    assert page.locator("#overall-progress").get_attribute("value") == answered
