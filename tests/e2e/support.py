"""What the browser tests and `make screenshots` share: the live server, the browser, data.

The server is the real application in its own process (tests/e2e/serve.py) on 127.0.0.1,
with its own SQLite file: the rest of the suite empties the test database between tests,
so the browser tests never share it, on SQLite or PostgreSQL runs alike.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "the browser tests need Debian's Chromium and Playwright: "
    "`apt-get install chromium chromium-driver` and `pip install -e '.[test]'` "
    "(set ASSESS_REQUIRE_BROWSER=1 to make this an error instead of a skip)"
)
PASSWORD = "correct horse battery staple"
ORG = "Ministry of Energy"
OWNER = "owner@energy.example"
EDITOR = "editor@energy.example"
VIEWPORT = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Reports a Content Security Policy violation as a console error, whatever the browser logs.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


def browser_problem() -> str | None:
    """Return why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: {INSTALL_HINT}"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed: {INSTALL_HINT}"
    return None


def launch(playwright: Any) -> Any:
    """Start headless Debian Chromium (never a downloaded browser)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
    )


def open_context(browser: Any, base_url: str, **options: Any) -> Any:
    """A new browser context on the server, reporting CSP violations to the console."""
    options.setdefault("viewport", VIEWPORT)
    context = browser.new_context(
        base_url=base_url, locale="en-GB", accept_downloads=True, **options
    )
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(60_000)
    context.add_init_script(CSP_LISTENER)
    return context


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    """The application served by tests/e2e/serve.py in a child process."""

    folder: Path
    users: list[tuple[str, str]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    process: subprocess.Popen | None = None
    url: str = ""

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSESS_", "FLASK_"))}
        env.update(
            DATABASE_URL=f"sqlite:///{self.folder / 'e2e.sqlite3'}",
            ASSESS_SECRET_KEY="e2e-secret-key-not-for-production",
            ASSESS_RATELIMIT_DISABLED="1",
            ASSESS_PDF_CACHE_DIR=str(self.folder / "pdf-cache"),
            PYTHONPATH=str(ROOT),
        )
        return env

    def steps(self) -> list[dict[str, Any]]:
        """The `assess` commands that prepare the database: init, users, imports."""
        steps: list[dict[str, Any]] = [{"args": ["init"]}]
        for email, role in self.users:
            steps.append(
                {
                    "args": ["user", "create", email, "--org", ORG, "--role", role]
                    + ["--password-stdin"],
                    "input": PASSWORD + "\n",
                }
            )
        for index, document in enumerate(self.documents):
            path = self.folder / f"seed-{index}.json"
            path.write_text(json.dumps(document, indent=2))
            steps.append({"args": ["import", str(path), "--org", ORG]})
        return steps

    def start(self, timeout: float = 120) -> str:
        """Prepare the database, start the server and wait until /healthz answers."""
        self.folder.mkdir(parents=True, exist_ok=True)
        setup = self.folder / "setup.json"
        setup.write_text(json.dumps(self.steps()))
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        log = (self.folder / "server.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.serve", "--port", str(port), "--setup", str(setup)],
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer /healthz in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-5000:] if path.exists() else ""

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def imported_ids(self) -> list[int]:
        """Return the ids the seed imports printed, in the order of `documents`."""
        ids = []
        for line in self.log().splitlines():
            stripped = line.strip()
            if stripped.isdigit():
                ids.append(int(stripped))
        return ids


def bank():
    """The question bank of this checkout (pure: no app, no database)."""
    from assess.bank import load_bank

    return load_bank(ROOT / "questions")


def stored_value(question: Any, index: int) -> Any:
    """A valid answer to `question`, varied with `index` (a spread of scores, not all best)."""
    if question.type == "multi":
        scored = [o.value for o in question.options if not o.na] or [question.options[0].value]
        return scored[: 1 + index % len(scored)]
    if question.options:
        scored = sorted(
            (o for o in question.options if not o.na), key=lambda o: o.score or 0, reverse=True
        )
        if not scored:
            return question.options[0].value
        if question.id in ("SCOPE-03", "SCOPE-04", "SCOPE-05", "SCOPE-10", "SCOPE-12"):
            return question.options[0].value  # in scope: every dependent question applies
        rank = (0, 1, 0, 2, 1)[index % 5]  # best, second, best, third, second ...
        return scored[min(rank, len(scored) - 1)].value
    return {"number": "12", "date": "2025-06-30"}.get(
        question.type, "Ministry of Energy, nuclear security unit, with the regulator."
    )


def assessment_document(
    title: str,
    profile: str,
    *,
    shift: int = 0,
    status: str = "draft",
    updated: str = "2025-06-30T10:00:00+00:00",
    skip_every: int = 0,
) -> dict[str, Any]:
    """An `assess/assessment@1` document answering the profile's questions (with notes).

    `shift` varies the answers so that two documents compare with differences;
    `skip_every` leaves every n-th question unanswered.
    """
    the_bank = bank()
    answers = []
    for index, question in enumerate(the_bank.questions_for(profile)):
        if skip_every and index % skip_every == skip_every - 1:
            continue
        answers.append(
            {
                "question": question.id,
                "value": stored_value(question, index + shift),
                "note": "Discussed with the regulator in March." if index % 5 == 0 else "",
                "evidence": f"Document NS-{100 + index}" if index % 3 else "",
            }
        )
    return {
        "format": "assess/assessment@1",
        "bank": {"version": the_bank.version},
        "assessment": {
            "title": title,
            "profile": profile,
            "status": status,
            "target": 75,
            "classification": "OFFICIAL - SENSITIVE",
            "created_at": updated,
            "updated_at": updated,
        },
        "answers": answers,
    }


def seed_documents() -> list[dict[str, Any]]:
    """The assessments every browser test may rely on, imported before the server starts."""
    return [
        assessment_document(
            "National regime review 2024",
            "state",
            shift=3,
            status="final",
            skip_every=4,
            updated="2024-06-30T10:00:00+00:00",
        ),
        assessment_document("National regime review 2025", "state", shift=0),
        assessment_document("Research reactor site review 2025", "operator", shift=1),
    ]


def log_in(page: Any, email: str = OWNER, password: str = PASSWORD) -> None:
    """Log in through the login form as a person would."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def watch_console(page: Any, seen: list[str] | None = None) -> list[str]:
    """Collect (into `seen`) the page's console messages about the Content Security Policy."""
    seen = [] if seen is None else seen

    def on_console(message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            seen.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return seen


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    """Return the violations as readable lines: rule, impact, help, each element, why."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            messages = [
                check["message"] for kind in ("any", "all", "none") for check in node.get(kind, [])
            ]
            if messages:
                lines.append(f"      {'; '.join(messages)[:400]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more element(s)")
    return "\n".join(lines)
