"""Render the gap report: the HTML page, the PDF document (cached), and its file name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from flask import current_app, render_template

from ..bank import Bank
from ..config import PROJECT_ROOT
from ..models import Assessment
from ..operations import answers_by_question
from ..pdf import cached_pdf, fingerprint
from .context import GapReport, build_report, score_text

KIND = "gap-report"
PDF_TEMPLATE = "reports/document.html"
PAGE_TEMPLATE = "reports/report.html"


def load_report(bank: Bank, assessment: Assessment) -> GapReport:
    """Load the assessment's answers and build its gap report."""
    organisation = assessment.organisation.name if assessment.organisation else ""
    return build_report(bank, assessment, answers_by_question(assessment), organisation)


def report_html(report: GapReport, template: str = PDF_TEMPLATE, **extra: Any) -> str:
    """Return the report rendered with `template` (the PDF document by default)."""
    return render_template(template, report=report, score=score_text, **extra)


def _sources() -> list[Path]:
    """The files the PDF's appearance depends on besides the data."""
    templates = Path(current_app.template_folder or PROJECT_ROOT / "templates")
    code = Path(__file__).resolve().parent
    return [
        *sorted((templates / "reports").glob("*.html")),
        *sorted(code.glob("*.py")),
        code.parent / "charts.py",
        code.parent / "scoring.py",
    ]


def report_cache_key(bank: Bank, assessment: Assessment) -> dict[str, Any]:
    """Return what the PDF depends on: answers revision, bank version, templates, metadata."""
    return {
        "assessment": assessment.id,
        "revision": assessment.revision or 0,
        "bank": bank.version,
        "sources": fingerprint(_sources()),
        "title": assessment.title,
        "organisation": assessment.organisation.name if assessment.organisation else "",
        "profile": assessment.profile,
        "status": assessment.status,
        "target": assessment.target,
        "classification": assessment.classification,
        "answered_with": assessment.bank_version,
        "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
    }


def report_pdf(bank: Bank, assessment: Assessment) -> bytes:
    """Return the PDF gap report, from the cache when nothing it depends on has changed."""
    return cached_pdf(
        KIND,
        assessment.id,
        report_cache_key(bank, assessment),
        lambda: report_html(load_report(bank, assessment)),
    )


def report_filename(assessment: Assessment) -> str:
    """Return a safe download name such as `gap-report-12-national-review-r7.pdf`."""
    ascii_title = unicodedata.normalize("NFKD", assessment.title).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.decode().lower()).strip("-")[:60].strip("-")
    parts = [KIND, str(assessment.id), slug, f"r{assessment.revision or 0}"]
    return "-".join(p for p in parts if p) + ".pdf"
