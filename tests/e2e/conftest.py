"""Fixtures of the browser tests: one live server and one Chromium for the whole session.

Without /usr/bin/chromium or Playwright the tests skip with a message saying how to install
them, unless ASSESS_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from .support import (
    EDITOR,
    OWNER,
    LiveServer,
    browser_problem,
    launch,
    log_in,
    open_context,
    seed_documents,
    watch_console,
)


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip (or fail, with ASSESS_REQUIRE_BROWSER=1) when the browser cannot run here."""
    problem = browser_problem()
    if problem is None:
        return
    if os.environ.get("ASSESS_REQUIRE_BROWSER") == "1":
        pytest.fail(problem, pytrace=False)
    pytest.skip(problem)


_servers: list[LiveServer] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Add the end of the server's log to the report of a failed browser test."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _servers:
        report.sections.append(("live server log", _servers[-1].log()))


@pytest.fixture(scope="session")
def live_server(
    browser_available: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The real app on 127.0.0.1 with its own SQLite database, users and seed assessments."""
    server = LiveServer(
        tmp_path_factory.mktemp("e2e"),
        users=[(OWNER, "owner"), (EDITOR, "editor")],
        documents=seed_documents(),
    )
    _servers.append(server)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seeded(live_server: LiveServer) -> dict[str, int]:
    """The ids of the seed assessments, by title."""
    ids = live_server.imported_ids()
    titles = [d["assessment"]["title"] for d in live_server.documents]
    assert len(ids) == len(titles), live_server.log()
    return dict(zip(titles, ids, strict=True))


@pytest.fixture(scope="session")
def browser(browser_available: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def owner_state(browser: Any, live_server: LiveServer) -> dict[str, Any]:
    """The cookies of a session of the owner, logged in once through the login form."""
    context = open_context(browser, live_server.url)
    page = context.new_page()
    log_in(page, OWNER)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def new_context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A factory of fresh browser contexts, closed at the end of the test, which fails if
    any of their pages showed a Content Security Policy violation."""
    contexts: list[Any] = []
    violations: list[str] = []

    def make(**options: Any) -> Any:
        context = open_context(browser, live_server.url, **options)
        context.on("page", lambda page: watch_console(page, violations))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not violations, "Content Security Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def context(new_context: Any, owner_state: dict[str, Any]) -> Any:
    """A browser context logged in as the owner."""
    return new_context(storage_state=owner_state)


@pytest.fixture
def page(context: Any) -> Any:
    """A page of the owner's context."""
    return context.new_page()
