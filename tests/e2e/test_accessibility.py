"""Every page type checked with axe-core (WCAG 2.1 A and AA): zero violations, no CSP error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .support import (
    axe_violations,
    describe_violations,
    log_in,
    open_context,
    watch_console,
)

pytestmark = pytest.mark.browser

STATE_2024 = "National regime review 2024"
STATE_2025 = "National regime review 2025"

# (name, path): `{draft}` is the seeded State draft, `{final}` the final one.
PAGES = [
    ("dashboard", "/"),
    ("new assessment", "/assessments/new"),
    ("overview", "/assessments/{draft}/"),
    ("wizard section", "/assessments/{draft}/section/regime"),
    ("wizard section, read-only", "/assessments/{final}/section/scope"),
    ("review", "/assessments/{draft}/review"),
    ("history", "/assessments/{draft}/history"),
    ("report", "/assessments/{draft}/report"),
    ("scoring method", "/scoring-method"),
    ("compare", "/compare?ids={final},{draft}"),
    ("import", "/assessments/import"),
    ("reporting", "/assessments/{draft}/reporting"),
    ("reporting matrix", "/assessments/{draft}/reporting/matrix"),
    ("organisation", "/organisation/"),
    ("organisation log", "/organisation/log"),
    ("delete confirmation", "/assessments/{draft}/delete"),
    ("change password", "/account/password"),
    ("error 404", "/assessments/999999/"),
    ("error 404, unknown address", "/no-such-page"),
]


def assert_accessible(page: Any, seen_csp: list[str]) -> None:
    """Fail with a readable list if axe finds violations or the console shows a CSP error."""
    violations = axe_violations(page)
    assert not violations, describe_violations(page.url, violations)
    assert not seen_csp, "Content Security Policy violations:\n" + "\n".join(seen_csp)


@pytest.fixture(scope="module")
def shared_page(browser: Any, live_server: Any, owner_state: dict) -> Any:
    """One logged-in page for the whole module (pages are only read here)."""
    context = open_context(browser, live_server.url, storage_state=owner_state)
    page = context.new_page()
    seen = watch_console(page)
    yield page, seen
    context.close()


@pytest.fixture(scope="module")
def history_made(shared_page: Any, seeded: dict[str, int]) -> None:
    """Change one answer of the seeded draft so that its history page lists something."""
    page, _ = shared_page
    page.goto(f"/assessments/{seeded[STATE_2025]}/section/scope")
    page.locator('textarea[name="note-SCOPE-01"]').fill("Team named by the minister in 2025.")
    page.get_by_role("button", name="Save and exit").click()
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_violations(
    shared_page: Any, seeded: dict[str, int], history_made: None, name: str, path: str
) -> None:
    page, seen = shared_page
    seen.clear()
    url = path.format(draft=seeded[STATE_2025], final=seeded[STATE_2024])
    response = page.goto(url)
    expected = 404 if name.startswith("error") else 200
    assert response.status == expected, f"{url}: {response.status}"
    assert_accessible(page, seen)


def test_login_page(new_context: Any) -> None:
    page = new_context().new_page()
    seen = watch_console(page)
    page.goto("/login")
    assert_accessible(page, seen)
    page.get_by_role("button", name="Log in").click()  # empty form: field errors
    assert page.locator(".field-errors").count() >= 1
    assert_accessible(page, seen)
    page.get_by_label("E-mail").fill("nobody@energy.example")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Unknown e-mail or wrong password.")).to_be_visible()
    assert_accessible(page, seen)


def test_wizard_section_with_validation_error(shared_page: Any, seeded: dict[str, int]) -> None:
    page, seen = shared_page
    seen.clear()
    page.goto(f"/assessments/{seeded[STATE_2025]}/section/scope")
    page.locator('input[name="answer-SCOPE-08"]').fill("twelve")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.locator('input[name="answer-SCOPE-08"]').get_attribute("aria-invalid") == "true"
    assert_accessible(page, seen)


def test_new_assessment_with_errors(shared_page: Any) -> None:
    page, seen = shared_page
    seen.clear()
    page.goto("/assessments/new")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Create assessment").click()
    assert page.locator(".field-errors").count() >= 1
    assert_accessible(page, seen)


def test_import_with_problems(shared_page: Any, tmp_path: Any) -> None:
    page, seen = shared_page
    seen.clear()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "assess/assessment@1", "answers": 3}')
    page.goto("/assessments/import")
    page.get_by_label(re.compile("Assessment file")).set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("The file was not imported")).to_be_visible()
    assert_accessible(page, seen)


def test_logged_out_error_page(new_context: Any) -> None:
    page = new_context().new_page()
    seen = watch_console(page)
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert_accessible(page, seen)


def test_login_then_dashboard(new_context: Any) -> None:
    """The first page after logging in (with its flash message area) is accessible too."""
    page = new_context().new_page()
    seen = watch_console(page)
    log_in(page)
    assert_accessible(page, seen)


def test_a_csp_violation_would_be_noticed(browser: Any, live_server: Any) -> None:
    """The console check is live: an inline script on a page is reported as a violation."""
    context = open_context(browser, live_server.url)
    page = context.new_page()
    seen = watch_console(page)
    page.goto("/login")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.injected = 1"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    context.close()
    assert any("script-src" in line for line in seen), seen
