"""Exports of the reporting crosswalk: CSV per instrument and the PDF reporting pack."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import current_app, render_template

from ..config import PROJECT_ROOT
from ..crosswalk import InstrumentReport
from ..models import Assessment
from ..pdf import cached_pdf, fingerprint
from ..transfer.spreadsheet import csv_bytes
from .entries import ReportingData

CSV_COLUMNS = (
    "Marking",
    "Instrument",
    "Item",
    "Title",
    "Status",
    "Questions answered",
    "Questions applicable",
    "Feeding answers",
    "Entry",
    "Entry source",
)
PACK_TEMPLATE = "reporting/pack.html"


def csv_rows(
    assessment: Assessment, data: ReportingData, reports: Sequence[InstrumentReport]
) -> list[list[object]]:
    """Return the CSV rows (header first) for these instruments, one row per item."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for report in reports:
        for entry in data.entries(report):
            item = entry.item
            feeding = " | ".join(
                f"{a.question.id}: {a.label if a.answered else 'not answered'}"
                for a in item.answers
                if a.applicable
            )
            rows.append(
                [
                    assessment.classification,
                    report.instrument.title,
                    item.item.id,
                    item.item.title,
                    item.status_label,
                    item.answered,
                    item.applicable,
                    feeding,
                    entry.text,
                    "edited" if entry.edited else "drafted",
                ]
            )
    return rows


def reporting_csv(
    assessment: Assessment, data: ReportingData, reports: Sequence[InstrumentReport]
) -> bytes:
    """Return the CSV of these instruments: UTF-8 with a byte order mark, formulas guarded."""
    return csv_bytes(csv_rows(assessment, data, reports))


def pack_html(
    assessment: Assessment, data: ReportingData, reports: Sequence[InstrumentReport]
) -> str:
    """Return the HTML document of the reporting pack (the matrix too when all instruments)."""
    everything = len(reports) == len(data.crosswalk.instruments)
    return render_template(
        PACK_TEMPLATE,
        assessment=assessment,
        organisation=assessment.organisation.name if assessment.organisation else "",
        data=data,
        reports=reports,
        matrix=data.crosswalk.matrix if everything else None,
    )


def _sources() -> list[Path]:
    """The files the pack depends on besides the assessment: templates, code, questions."""
    templates = Path(current_app.template_folder or PROJECT_ROOT / "templates")
    code = Path(__file__).resolve().parent
    questions = Path(current_app.config["QUESTIONS_DIR"])
    return [
        *sorted((templates / "reporting").glob("*.html")),
        Path(current_app.static_folder or PROJECT_ROOT / "static") / "css" / "reporting.css",
        *sorted(code.glob("*.py")),
        code.parent / "crosswalk.py",
        *sorted(questions.rglob("*.yaml")),
    ]


def pack_cache_key(
    assessment: Assessment, data: ReportingData, reports: Sequence[InstrumentReport]
) -> dict[str, Any]:
    """Return what the pack depends on: answers revision, saved entries, metadata, sources."""
    wanted = {r.instrument.id for r in reports}
    entries = hashlib.sha256()
    for (instrument_id, item_id), row in sorted(data.saved.items()):
        if instrument_id in wanted:
            entries.update(f"{instrument_id}\0{item_id}\0{row.text}\0".encode())
    return {
        "assessment": assessment.id,
        "instruments": sorted(wanted),
        "revision": assessment.revision or 0,
        "entries": entries.hexdigest(),
        "sources": fingerprint(_sources()),
        "title": assessment.title,
        "organisation": assessment.organisation.name if assessment.organisation else "",
        "profile": assessment.profile,
        "status": assessment.status,
        "classification": assessment.classification,
        "bank_version": assessment.bank_version,
        "updated_at": assessment.updated_at,
    }


def reporting_pdf(
    assessment: Assessment, data: ReportingData, reports: Sequence[InstrumentReport]
) -> bytes:
    """Return the PDF reporting pack for these instruments (cached while nothing changed)."""
    everything = len(reports) == len(data.crosswalk.instruments)
    which = "all" if everything else "-".join(r.instrument.id for r in reports)
    kind = "reporting-" + re.sub(r"[^a-z0-9-]+", "", which.lower())[:80]
    return cached_pdf(
        kind,
        assessment.id,
        pack_cache_key(assessment, data, reports),
        lambda: pack_html(assessment, data, reports),
    )


def export_filename(assessment: Assessment, instrument_id: str | None, suffix: str) -> str:
    """Return a safe download name such as `reporting-12-unscr1540-national-review.csv`."""
    ascii_title = unicodedata.normalize("NFKD", assessment.title).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.decode().lower()).strip("-")[:50].strip("-")
    which = re.sub(r"[^a-z0-9-]+", "", (instrument_id or "pack").lower())
    parts = ["reporting", str(assessment.id), which, slug]
    return "-".join(p for p in parts if p) + "." + suffix
