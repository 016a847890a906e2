"""The gap report: HTML page, PDF (read back with pypdf), the `report` command and access.

Rendering takes seconds, so each PDF is built once per module (module-scoped fixtures on
their own app), and the tests read the result.
"""

from __future__ import annotations

import io
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from flask import Flask
from pypdf import PdfReader

from assess import create_app
from assess.cli import add_user
from assess.extensions import db
from assess.models import Assessment
from assess.operations import Submitted, create_assessment, save_answers

from .conftest import empty_tables, make_config

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
MARKING = "SECRET // ASSESS TEST MARKING"
FULL_BANK = ROOT / "questions"
MINI_BANK = ROOT / "tests" / "fixtures" / "banks" / "mini"


def make_app(database_url: str, cache: Path, bank: Path) -> Flask:
    """An app of its own (module fixtures cannot use the function-scoped `app`)."""
    app = create_app(make_config(database_url, cache, QUESTIONS_DIR=str(bank)))
    with app.app_context():
        empty_tables()
    return app


def answer(question, rng: random.Random):
    """A valid answer to any question."""
    if question.type == "multi":
        return [question.options[0].value]
    if question.options:
        return rng.choice([o.value for o in question.options if not o.na] or ["na"])
    return {"number": "3", "date": "2025-01-31"}.get(question.type, "Described in the plan.")


def seed(app: Flask, *, share: float = 1.0, status: str = "draft", **fields) -> int:
    """Create an owner and an assessment answering `share` of its questions; return its id."""
    rng = random.Random(4)
    with app.app_context():
        bank = app.extensions["assess.bank"]
        user = add_user("owner@a.example", "Ministry A", "owner", PASSWORD)
        values = {"title": "Annual review 2026", "profile": "state", "target": 75}
        values.update({"classification": MARKING, **fields})
        assessment = create_assessment(bank, user.memberships[0].organisation_id, user, **values)
        questions = bank.questions_for(assessment.profile)
        chosen = questions[: max(1, int(len(questions) * share))]
        items = [
            Submitted(q.id, answer(q, rng), f"Note on {q.id}.", f"Doc {q.id}", 0) for q in chosen
        ]
        save_answers(bank, assessment, items, user)
        assessment.status = status
        db.session.commit()
        return assessment.id


@dataclass
class Built:
    """One rendered assessment: its PDF, page texts, HTML page and `assess score` JSON."""

    assessment_id: int
    response_headers: dict[str, str]
    pdf: bytes
    pages: list[str]
    html: str
    document_html: str
    score: dict
    cli_pdf: bytes


def build(database_url: str, cache: Path, bank: Path, out: Path, **seeding) -> Built:
    """Seed an assessment, download its PDF and HTML report, run `score` and `report`."""
    app = make_app(database_url, cache, bank)
    aid = seed(app, **seeding)
    runner = app.test_cli_runner()
    score = json.loads(runner.invoke(args=["score", str(aid)]).output)
    result = runner.invoke(args=["report", str(aid), "-o", str(out)])  # renders, no request
    assert result.exit_code == 0, result.output
    client = app.test_client()
    client.post("/login", data={"email": "owner@a.example", "password": PASSWORD})
    response = client.get(f"/assessments/{aid}/report.pdf")  # from the cache
    assert response.status_code == 200
    html = client.get(f"/assessments/{aid}/report").get_data(as_text=True)
    from assess.reports.render import load_report, report_html

    with app.app_context():
        report = load_report(app.extensions["assess.bank"], db.session.get(Assessment, aid))
        document_html = report_html(report)
        db.session.remove()
        db.engine.dispose()
    reader = PdfReader(io.BytesIO(response.data))
    return Built(
        assessment_id=aid,
        response_headers=dict(response.headers),
        pdf=response.data,
        pages=[page.extract_text() for page in reader.pages],
        html=html,
        document_html=document_html,
        score=score,
        cli_pdf=out.read_bytes(),
    )


@pytest.fixture(scope="module")
def draft(_schema, database_url, tmp_path_factory) -> Built:
    """The full bank, about 80% answered (so some recommendations are not assessed)."""
    tmp = tmp_path_factory.mktemp("draft")
    return build(database_url, tmp / "cache", FULL_BANK, tmp / "out.pdf", share=0.8)


@pytest.fixture(scope="module")
def final(_schema, database_url, tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("final")
    return build(database_url, tmp / "cache", MINI_BANK, tmp / "out.pdf", status="final")


def fmt(value: float | None) -> str:
    """A score as the report prints it, from the rounded value of `assess score`."""
    return "-" if value is None else f"{value:.1f}".removesuffix(".0")


def flat(text: str) -> str:
    return " ".join(text.split())


def toc(built: Built) -> dict[str, int]:
    """The table of contents: {entry title: page number}."""
    page = next(p for p in built.pages if "Contents" in p)
    entries = {}
    for line in page.splitlines():
        match = re.match(r"^(.*?)[ .]{3,}(\d+)\s*$", line.strip())
        if match:
            entries[match.group(1).strip()] = int(match.group(2))
    return entries


def pages_between(built: Built, first: str, following: str) -> str:
    """The text of the pages from TOC entry `first` up to (excluding) `following`."""
    entries = toc(built)
    return "\n".join(built.pages[entries[first] - 1 : entries[following] - 1])


def test_pdf_download(draft: Built) -> None:
    headers = draft.response_headers
    assert headers["Content-Type"] == "application/pdf"
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.fullmatch(r"attachment; filename=[a-z0-9-]+\.pdf", disposition)
    assert "no-store" in headers["Cache-Control"]
    assert draft.pdf.startswith(b"%PDF-")
    assert len(draft.pages) > 1


def test_pdf_title_language_and_tags(draft: Built) -> None:
    reader = PdfReader(io.BytesIO(draft.pdf))
    assert reader.metadata.title == "Gap report: Annual review 2026"
    with pikepdf.open(io.BytesIO(draft.pdf)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert "/StructTreeRoot" in pdf.Root  # tagged (PDF/UA-1)


def test_marking_and_page_numbers_on_every_page(draft: Built, final: Built) -> None:
    for built in (draft, final):
        total = len(built.pages)
        for number, text in enumerate(built.pages, start=1):
            assert MARKING in text, f"page {number} lacks the marking"
            assert f"Page {number} of {total}" in text


def test_draft_says_draft_on_every_page_and_final_never(draft: Built, final: Built) -> None:
    assert all("DRAFT" in text for text in draft.pages)
    assert not any("DRAFT" in text for text in final.pages)
    assert "Status Final" in flat(final.pages[0])
    assert "Status Draft" in flat(draft.pages[0])


def test_cover_shows_title_organisation_profile_bank(draft: Built) -> None:
    cover = flat(draft.pages[0])
    for expected in ("Annual review 2026", "Ministry A", "State", draft.score["bank_version"]):
        assert expected in cover


def test_toc_page_numbers_point_to_their_sections(draft: Built) -> None:
    entries = toc(draft)
    themes = [t["title"] for t in draft.score["themes"]]
    expected = ["Executive summary", "Prioritised gaps", "Detail by theme", "Not assessed"]
    expected += ["Scoring method", "All answers", *themes]
    for title in expected:
        assert title in entries, f"{title!r} not in the contents"
        number = entries[title]
        assert 1 <= number <= len(draft.pages)
        assert title in flat(draft.pages[number - 1]), f"{title!r} is not on page {number}"
    assert entries["Executive summary"] < entries["Prioritised gaps"] < entries["Not assessed"]


def test_summary_equals_assess_score(draft: Built) -> None:
    score = draft.score
    page = flat(draft.pages[toc(draft)["Executive summary"] - 1])
    assert re.search(rf"OVERALL SCORE {fmt(score['overall']['score'])} ?out of 100", page)
    assert f"MATURITY BAND {score['overall']['band']}" in page
    coverage = score["coverage"]
    assert f"{coverage['answered']} of {coverage['applicable']} questions answered" in page
    gaps = f"{len(score['gaps'])} ?of {len(score['recommendations'])} recommendations"
    assert re.search(rf"GAPS {gaps}", page)
    top = score["gaps"][:5]
    assert len(top) == 5
    positions = []
    for rank, gap in enumerate(top, start=1):
        match = re.search(rf"\b{rank} {re.escape(gap['recommendation'])}\b", page)
        assert match, f"gap {rank} {gap['recommendation']} is not in the summary"
        positions.append(match.start())
        following = page[match.end() : match.end() + 250]
        assert f"{fmt(gap['score'])} {fmt(gap['severity'])}" in following
    assert positions == sorted(positions)


def test_gap_table_lists_every_gap_in_order_with_its_numbers(draft: Built) -> None:
    text = flat(pages_between(draft, "Prioritised gaps", "Detail by theme"))
    position = 0
    for rank, gap in enumerate(draft.score["gaps"], start=1):
        match = re.compile(rf"\b{rank} {re.escape(gap['recommendation'])}\b").search(text, position)
        assert match, f"gap {rank} {gap['recommendation']} missing or out of order"
        position = match.end()
        numbers = f"{fmt(gap['score'])} {fmt(gap['target'])} {fmt(gap['severity'])}"
        assert numbers in text[position : position + 400]
        assert flat(gap["actions"][0])[:40] in text[position : position + 3000]


def test_theme_scores_equal_assess_score(draft: Built) -> None:
    entries = toc(draft)
    for theme in draft.score["themes"]:
        page = flat(draft.pages[entries[theme["title"]] - 1])
        assert f"Theme score {fmt(theme['score'])}" in page


def test_not_assessed_list_and_annex(draft: Built) -> None:
    assert draft.score["not_assessed"], "the fixture should leave recommendations unassessed"
    text = flat(pages_between(draft, "Not assessed", "Annex: scoring method and answers"))
    for rid in draft.score["not_assessed"]:
        assert rid in text
    annex = flat("\n".join(draft.pages[toc(draft)["Scoring method"] - 1 :]))
    assert "Recommendation score = 100" in annex
    assert f"question bank version {draft.score['bank_version']}" in annex
    assert "Not answered" in annex and "Note on " in annex


def test_html_page_has_the_same_content(draft: Built) -> None:
    html = draft.html
    for heading in ("Executive summary", "Prioritised gaps", "Detail by theme", "Not assessed"):
        assert heading in html
    ids = [g["recommendation"] for g in draft.score["gaps"]]
    found = [html.index(f'<span class="rid">{rid}</span>', html.index('id="gaps"')) for rid in ids]
    assert found == sorted(found)
    chart = re.search(r"<svg.*?</svg>", draft.document_html, re.S).group(0)
    assert chart in html  # the very same SVG in the page and in the PDF
    assert "<style" not in html and "<script" not in html and " style=" not in html
    assert "Recommendation score</strong> = 100" in html  # the method, shared partial


def test_cli_report_and_download_share_the_cache(draft: Built) -> None:
    assert draft.cli_pdf == draft.pdf  # the download was served from the command's render


def test_report_filename_is_safe() -> None:
    from types import SimpleNamespace

    from assess.reports.render import report_filename

    hostile = SimpleNamespace(id=7, title='../../etc/passwd\r\nX: "y"; 核安保', revision=3)
    assert report_filename(hostile) == "gap-report-7-etc-passwd-x-y-r3.pdf"
    cjk = SimpleNamespace(id=8, title="核安保", revision=0)
    assert report_filename(cjk) == "gap-report-8-r0.pdf"


def test_cli_report_unknown_assessment(runner) -> None:
    result = runner.invoke(args=["report", "999", "-o", "/tmp/never-written.pdf"])
    assert result.exit_code != 0
    assert "There is no assessment 999" in result.output
