"""Render the comparison: the PDF document and its file name."""

from __future__ import annotations

from datetime import datetime

from flask import render_template

from ..bank import Bank
from ..pdf import render_pdf
from ..reports.context import score_text
from .load import ComparisonView, delta_text

PDF_TEMPLATE = "compare/document.html"


def comparison_html(bank: Bank, view: ComparisonView, generated: datetime) -> str:
    """Return the HTML document the PDF is made from."""
    return render_template(
        PDF_TEMPLATE,
        view=view,
        bank=bank,
        generated=generated,
        score=score_text,
        delta=delta_text,
    )


def comparison_pdf(bank: Bank, view: ComparisonView, generated: datetime) -> bytes:
    """Return the comparison as a PDF (never cached: it is cheap and rarely repeated)."""
    return render_pdf(comparison_html(bank, view, generated))


def comparison_filename(view: ComparisonView) -> str:
    """Return a download name such as `comparison-3-7-12.pdf` (ids oldest first)."""
    return "comparison-" + "-".join(str(i) for i in view.ids) + ".pdf"
