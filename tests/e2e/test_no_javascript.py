"""The wizard with JavaScript disabled: the server applies the conditions on each page load."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .wizard import answer, click_button, create_assessment, current_section, fill_section

pytestmark = pytest.mark.browser

TRANSPORT = ["REG-10", "REG-11", "REG-12", "REG-13"]


@pytest.fixture
def page(new_context: Any, owner_state: dict) -> Any:
    """A logged-in page whose scripts never run."""
    return new_context(storage_state=owner_state, java_script_enabled=False).new_page()


def test_wizard_without_javascript(page: Any) -> None:
    create_assessment(page, "Regime review without scripts", "state")
    page.get_by_role("link", name="Resume: Profile and scope").click()
    expect(page.locator("#q-SCOPE-01")).to_be_visible()

    fill_section(page, {"SCOPE-03": "no", "SCOPE-04": "yes"})
    click_button(page, "Save and continue")
    assert current_section(page) == "regime"
    for qid in TRANSPORT:
        expect(page.locator(f"#q-{qid}"), f"{qid} shown without transport").to_be_hidden()
    expect(page.locator("#q-REG-01")).to_be_visible()

    click_button(page, "Save and go back")
    assert current_section(page) == "scope"
    answer(page, "SCOPE-03", "yes")
    click_button(page, "Save and continue")
    for qid in TRANSPORT:
        expect(page.locator(f"#q-{qid}"), f"{qid} hidden with transport").to_be_visible()

    # A condition inside one page: the questions it opens appear after saving.
    page.goto(page.url.replace("/section/regime", "/section/review"))
    expect(page.locator("#q-REV-02")).to_be_hidden()
    answer(page, "REV-01", "recent")
    expect(page.locator("#q-REV-02"), "nothing changes before saving").to_be_hidden()
    click_button(page, "Save and continue")
    assert current_section(page) == "review"
    expect(page.get_by_text(re.compile(r"Your answers opened \d+ more question"))).to_be_visible()
    for qid in ("REV-02", "REV-03"):
        expect(page.locator(f"#q-{qid}"), qid).to_be_visible()
