"""`make screenshots`: pictures of the wizard, the gap report and a comparison for the README.

    python -m tests.e2e.screenshots [--out docs]

Starts the same server as the browser tests (its own SQLite file in a temporary folder),
imports last cycle's assessment, fills "National physical protection regime review 2026"
through the wizard as a person would (every section, the last one half), then saves at
1280x900:

- docs/wizard.png: a wizard section with answers and an open note;
- docs/report.png: the top of the gap report page with its chart (docs/report-html.png
  instead when docs/report.png is already a page of the PDF, which is taller than wide);
- docs/compare.png: the comparison of this cycle with the last (the scores side by side).
"""

from __future__ import annotations

import argparse
import struct
import sys
import tempfile
from pathlib import Path
from typing import Any

from .support import (
    OWNER,
    ROOT,
    LiveServer,
    assessment_document,
    bank,
    browser_problem,
    launch,
    log_in,
    open_context,
    stored_value,
)
from .wizard import answer, click_button, create_assessment, current_section, visible_questions

TITLE = "National physical protection regime review 2026"
BASELINE = "National physical protection regime review 2024"
LAST_SECTION = "review"  # left half done: the team is still working on it

# Answers a ministry would give (the rest come from a spread of realistic options).
ANSWERS = {
    "SCOPE-01": "Ministry of Energy (lead), Nuclear Regulatory Authority, Ministry of the "
    "Interior, Customs Service; coordinated by the national 1540 point of contact.",
    "SCOPE-02": "2026-03-31",
    "SCOPE-03": "yes",
    "SCOPE-04": "yes",
    "SCOPE-05": "yes",
    "SCOPE-08": "4",
    "REG-01": "established",
    "REG-02": "yes",
    "REG-03": "partial",
    "REG-05": "developing",
    "REG-08": "established",
    "REG-13": "partial",
    "REG-15": "developing",
    "REP-13": "UNSCR 1540 national report update (2024, Ministry of Foreign Affairs); "
    "CPPNM/A Art. 14(1) laws and regulations (2023, Nuclear Regulatory Authority).",
    "REP-14": "2023-11-20",
}
NOTES = {
    "REG-01": "Physical protection regulation revised in 2023; the transport decree is "
    "still in draft and due for adoption in 2026.",
    "REG-03": "Scope statement exists for facilities only; radioactive sources and "
    "transport to be added.",
    "REG-05": "Two inspector posts vacant since 2025; training plan agreed with the IAEA.",
    "PRO-03": "National threat assessment updated in 2025 with the intelligence services.",
    "CON-02": "Last joint exercise with the police and the operator in October 2025.",
    "LEG-02": "Point of contact confirmed to the IAEA in 2024.",
    "REP-06": "A shared register is being built by the regulator and the foreign ministry.",
}


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, read from its header."""
    with path.open("rb") as handle:
        header = handle.read(24)
    return struct.unpack(">II", header[16:24])


def weaker(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every other scored answer one step lower: last cycle's regime."""
    questions = {q.id: q for q in bank().questions}
    for entry in document["answers"][::2]:
        question = questions[entry["question"]]
        scored = sorted((o for o in question.options if not o.na), key=lambda o: o.score or 0)
        values = [o.value for o in scored]
        if question.type != "multi" and entry["value"] in values:
            entry["value"] = values[max(0, values.index(entry["value"]) - 1)]
    return document


def answer_realistically(page: Any, questions: list[Any], limit: int = 0) -> None:
    """Answer the section shown: the fixed answers, a spread of options elsewhere, notes.

    The spread is the one of the baseline document before `weaker`, so every theme improves.
    With `limit`, only the first `limit` questions are answered.
    """
    position = {q.id: (index, q) for index, q in enumerate(questions)}
    done: set[str] = set()
    while (todo := [q for q in visible_questions(page) if q not in done]) and not (
        limit and len(done) >= limit
    ):
        qid = todo[0]
        done.add(qid)
        index, question = position[qid]
        value = ANSWERS.get(qid) or stored_value(question, index)
        answer(page, qid, value)
        if qid in NOTES:
            page.locator(f"#q-{qid} summary").click()
            page.locator(f'textarea[name="note-{qid}"]').fill(NOTES[qid])
            page.locator(f'textarea[name="evidence-{qid}"]').fill("Regulator's annual report 2025")


def fill_assessment(page: Any) -> int:
    """Create the 2026 State assessment and answer most sections; return its id."""
    questions = list(bank().questions_for("state"))
    assessment_id = create_assessment(page, TITLE, "state")
    page.get_by_role("link", name="Resume:").click()
    while current_section(page) != LAST_SECTION:
        answer_realistically(page, questions)
        click_button(page, "Save and continue")
    answer_realistically(page, questions, limit=6)
    click_button(page, "Save and exit")
    return assessment_id


def shoot(page: Any, path: Path) -> None:
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def take(page: Any, out: Path, assessment_id: int, baseline_id: int) -> None:
    """Save the three pictures."""
    page.goto(f"/assessments/{assessment_id}/section/regime")
    page.locator("#q-REG-01 summary").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, 0)")
    shoot(page, out / "wizard.png")

    page.goto(f"/assessments/{assessment_id}/report")
    report = out / "report.png"
    if report.exists() and png_size(report)[1] > png_size(report)[0]:
        report = out / "report-html.png"  # report.png is a page of the PDF: keep it
    summary = page.locator("#summary")
    if summary.count():  # the key figures and the chart below them
        summary.evaluate("el => el.scrollIntoView()")
        page.evaluate("() => window.scrollBy(0, -24)")
    shoot(page, report)

    page.goto(f"/compare?ids={baseline_id},{assessment_id}")
    scores = page.locator("#scores")
    if scores.count():  # the scores side by side, with the start of their chart
        scores.evaluate("el => el.scrollIntoView()")
        page.evaluate("() => window.scrollBy(0, -24)")
    shoot(page, out / "compare.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    options = parser.parse_args(argv)
    problem = browser_problem()
    if problem:
        print(f"cannot take screenshots: {problem}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    options.out.mkdir(parents=True, exist_ok=True)
    baseline = weaker(
        assessment_document(
            BASELINE, "state", status="final", skip_every=6, updated="2024-05-15T09:00:00+00:00"
        )
    )
    with tempfile.TemporaryDirectory(prefix="assess-screenshots-") as folder:
        server = LiveServer(Path(folder), users=[(OWNER, "owner")], documents=[baseline])
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                context = open_context(browser, server.url, device_scale_factor=1)
                page = context.new_page()
                log_in(page)
                assessment_id = fill_assessment(page)
                take(page, options.out, assessment_id, server.imported_ids()[0])
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
