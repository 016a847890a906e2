"""The PDFs are tagged for accessibility (PDF/UA-1), checked structurally with pikepdf.

Each document the app produces (gap report, comparison, reporting pack) must be marked as
tagged, carry a structure tree, declare its language and title, ask viewers to show the
title instead of the file name, and declare PDF/UA-1 in its XMP metadata.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest

from .seed import seed, values_for


def tagged_pdf_problems(data: bytes, title: str) -> list[str]:
    """Return what keeps the PDF from being a tagged PDF/UA-1 document titled `title`."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        if mark_info is None or not bool(mark_info.get("/Marked", False)):
            problems.append("/MarkInfo /Marked is not true: the PDF is not tagged")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            problems.append("no /StructTreeRoot: the PDF has no structure")
        elif "/K" not in tree:
            problems.append("the /StructTreeRoot is empty")
        if not str(root.get("/Lang", "")).strip():
            problems.append("no /Lang: the document's language is not declared")
        preferences = root.get("/ViewerPreferences")
        if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
            problems.append("/ViewerPreferences /DisplayDocTitle is not true")
        metadata = pdf.open_metadata()
        info_title = str(pdf.docinfo.get("/Title", ""))
        xmp_title = str(metadata.get("dc:title", ""))
        if title not in (info_title, xmp_title):
            problems.append(f"title is {info_title!r} (Info) / {xmp_title!r} (XMP), not {title!r}")
        part = str(metadata.get("pdfuaid:part", ""))
        if part != "1":
            problems.append(f"XMP pdfuaid:part is {part!r}, not '1': not declared PDF/UA-1")
        for number, page in enumerate(pdf.pages, start=1):
            if str(page.obj.get("/Tabs", "")) != "/S":
                problems.append(f"page {number}: /Tabs is not /S (tab order by structure)")
                break
    return problems


@pytest.fixture
def assessments(app: Any, accounts: Any) -> tuple[int, int]:
    """Two State assessments of the logged-in owner's organisation."""
    accounts.as_role("owner")
    bank = app.extensions["assess.bank"]
    older = seed(app, title="Regime review 2024", values=values_for(bank, "state", "low"))
    newer = seed(app, title="Regime review 2025", values=values_for(bank, "state", "high"))
    return older, newer


def _download(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response.data


def test_gap_report_is_tagged_pdf_ua(client: Any, assessments: tuple[int, int]) -> None:
    data = _download(client, f"/assessments/{assessments[1]}/report.pdf")
    assert not tagged_pdf_problems(data, "Gap report: Regime review 2025")


def test_comparison_is_tagged_pdf_ua(client: Any, assessments: tuple[int, int]) -> None:
    data = _download(client, f"/compare.pdf?ids={assessments[0]},{assessments[1]}")
    assert not tagged_pdf_problems(data, "Comparison of 2 assessments")


def test_reporting_pack_is_tagged_pdf_ua(client: Any, assessments: tuple[int, int]) -> None:
    data = _download(client, f"/assessments/{assessments[1]}/reporting.pdf")
    assert not tagged_pdf_problems(data, "Reporting pack: Regime review 2025")


def test_the_check_notices_an_untagged_pdf() -> None:
    """The check itself fails a plain PDF (guards against a check that always passes)."""
    import weasyprint

    html = "<!doctype html><html><head><title>Plain</title></head><body><p>Hi</p></body></html>"
    problems = tagged_pdf_problems(weasyprint.HTML(string=html).write_pdf(), "Plain")
    assert any("/StructTreeRoot" in p for p in problems)
    assert any("pdfuaid" in p for p in problems)
    assert any("/Lang" in p for p in problems)
