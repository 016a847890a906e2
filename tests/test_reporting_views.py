"""The reporting pages: statuses, saving entries, access, CSV and PDF exports, the command."""

from __future__ import annotations

import csv
import io
import re
import shutil
from html import unescape as html_unescape
from pathlib import Path

import pytest
from flask import render_template
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import select

from assess.cli import main as assess_cli
from assess.extensions import db
from assess.models import Assessment, ReportingEntry
from assess.reporting import reporting_summary
from assess.reporting.entries import digest

from .wizard_helpers import create_assessment, save_section

ROOT = Path(__file__).resolve().parent.parent
MARKING = "OFFICIAL - SENSITIVE"
OP1_DRAFT = (
    "Is the State's policy of giving no support of any kind to non-State actors seeking "
    "nuclear weapons or their means of delivery set out in law or official policy? Yes. "
    "Set out in the Non-Proliferation Act. Evidence: Act No. 7/2011."
)


@pytest.fixture
def assessment_id(accounts, client) -> int:
    """A state assessment of Ministry A with a few legal answers; the client is the owner."""
    accounts.as_role("owner")
    aid = create_assessment(client)
    response = save_section(
        client,
        aid,
        "legal",
        {"LEG-14": "yes", "LEG-05": "partial", "LEG-12": "no"},
        action="save_exit",
        **{
            "note-LEG-14": "Set out in the Non-Proliferation Act",
            "evidence-LEG-14": "Act No. 7/2011",
        },
    )
    assert response.status_code == 302
    return aid


def url(aid: int, rest: str = "") -> str:
    return f"/assessments/{aid}/reporting{rest}"


def entry_form(html: str, instrument: str) -> dict[str, str]:
    """Return the fields of one instrument's form as the page shows them."""
    form = re.search(
        rf'<form method="post" action="[^"]*instrument={re.escape(instrument)}".*?</form>',
        html,
        re.S,
    ).group(0)
    data = dict(re.findall(r'name="([^"]+)" type="hidden" value="([^"]*)"', form))
    for name, text in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(?:\r\n|\n)?(.*?)</textarea>', form, re.S
    ):
        data[name] = html_unescape(text)
    return data


def stored_entries(app, aid: int) -> dict[tuple[str, str], str]:
    with app.app_context():
        rows = db.session.scalars(select(ReportingEntry).where(ReportingEntry.assessment_id == aid))
        return {(r.instrument_id, r.item_id): r.text for r in rows}


def test_the_page_shows_statuses_answers_notes_and_drafts(client, assessment_id):
    page = client.get(url(assessment_id))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "UNSCR 1540 national report (nuclear rows)" in html
    assert "OP1: no support to non-State actors" in html
    assert 'rep-status-ready">Ready' in html
    assert 'rep-status-partial">Partly answered' in html
    assert 'rep-status-missing">Not answered' in html
    assert "Set out in the Non-Proliferation Act" in html
    assert entry_form(html, "unscr1540")["unscr1540-entry-OP1"] == OP1_DRAFT
    assert html.count('<form method="post" action="/assessments/') == 5
    assert MARKING in html


def test_an_edited_entry_is_saved_and_shown(app, client, assessment_id):
    fields = entry_form(client.get(url(assessment_id)).get_data(as_text=True), "unscr1540")
    fields["unscr1540-entry-OP1"] = (
        "The State gives no support to non-State actors.\r\n\r\nSee the Act."
    )
    response = client.post(url(assessment_id, "?instrument=unscr1540"), data=fields)
    assert response.status_code == 302
    assert response.location.endswith("#instrument-unscr1540")
    assert stored_entries(app, assessment_id) == {
        ("unscr1540", "OP1"): "The State gives no support to non-State actors.\n\nSee the Act."
    }
    html = client.get(url(assessment_id)).get_data(as_text=True)
    shown = entry_form(html, "unscr1540")
    assert shown["unscr1540-entry-OP1"].startswith("The State gives no support")
    assert "(edited)" in html
    assert "Text drafted from the current answers" in html

    # Reset to the drafted text: the stored entry goes, the draft is shown again.
    shown["unscr1540-reset-OP1"] = "y"
    assert client.post(url(assessment_id, "?instrument=unscr1540"), data=shown).status_code == 302
    assert stored_entries(app, assessment_id) == {}
    again = entry_form(client.get(url(assessment_id)).get_data(as_text=True), "unscr1540")
    assert again["unscr1540-entry-OP1"] == OP1_DRAFT


def test_saving_the_draft_unchanged_stores_nothing(app, client, assessment_id):
    fields = entry_form(client.get(url(assessment_id)).get_data(as_text=True), "cppnm-art14")
    response = client.post(url(assessment_id, "?instrument=cppnm-art14"), data=fields)
    assert response.status_code == 302
    assert stored_entries(app, assessment_id) == {}


def test_an_entry_changed_by_someone_else_is_not_overwritten(app, client, assessment_id):
    stale = entry_form(client.get(url(assessment_id)).get_data(as_text=True), "unscr1540")
    mine = dict(stale, **{"unscr1540-entry-OP1": "Theirs."})
    client.post(url(assessment_id, "?instrument=unscr1540"), data=mine)
    stale["unscr1540-entry-OP1"] = "Mine, from a page loaded earlier."
    stale["unscr1540-entry-OP2-prohibition"] = "A new entry."
    response = client.post(url(assessment_id, "?instrument=unscr1540"), data=stale)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Someone else saved this entry after you opened the page" in html
    assert (
        entry_form(html, "unscr1540")["unscr1540-entry-OP1"] == "Mine, from a page loaded earlier."
    )
    assert stored_entries(app, assessment_id) == {
        ("unscr1540", "OP1"): "Theirs.",
        ("unscr1540", "OP2-prohibition"): "A new entry.",
    }
    # Saving the form shown now keeps the user's text.
    again = entry_form(html, "unscr1540")
    assert client.post(url(assessment_id, "?instrument=unscr1540"), data=again).status_code == 302
    assert stored_entries(app, assessment_id)[("unscr1540", "OP1")] == (
        "Mine, from a page loaded earlier."
    )


def test_viewer_reads_but_cannot_post(app, client, accounts, assessment_id):
    accounts.logout()
    accounts.as_role("viewer")
    html = client.get(url(assessment_id)).get_data(as_text=True)
    assert "Your role lets you read these entries" in html
    assert "<textarea" not in html
    assert str(escape(OP1_DRAFT)) in html
    data = {"unscr1540-entry-OP1": "Hacked", "unscr1540-seen-OP1": digest(OP1_DRAFT)}
    assert client.post(url(assessment_id, "?instrument=unscr1540"), data=data).status_code == 403
    assert stored_entries(app, assessment_id) == {}


def test_final_assessment_is_read_only(app, client, assessment_id):
    with app.app_context():
        db.session.get(Assessment, assessment_id).status = "final"
        db.session.commit()
    html = client.get(url(assessment_id)).get_data(as_text=True)
    assert "<textarea" not in html
    assert "This assessment is final" in html
    data = {"unscr1540-entry-OP1": "Late", "unscr1540-seen-OP1": digest(OP1_DRAFT)}
    assert client.post(url(assessment_id, "?instrument=unscr1540"), data=data).status_code == 409


def test_unknown_instrument_is_404(client, assessment_id):
    assert client.post(url(assessment_id, "?instrument=nope"), data={}).status_code == 404
    assert client.get(url(assessment_id, "/nope.csv")).status_code == 404
    assert client.get(url(assessment_id, ".pdf?instrument=nope")).status_code == 404


@pytest.mark.parametrize("rest", ["", "/matrix", "/unscr1540.csv", ".pdf?instrument=unscr1540"])
def test_another_organisation_gets_404(client, accounts, assessment_id, rest):
    accounts.logout()
    accounts.as_role("owner", org="Ministry B")
    assert client.get(url(assessment_id, rest)).status_code == 404
    assert client.post(url(assessment_id, "?instrument=unscr1540"), data={}).status_code == 404


def test_guest_is_sent_to_log_in(client, accounts, assessment_id):
    accounts.logout()
    assert client.get(url(assessment_id)).status_code == 302


def test_matrix_page_marks_the_cells(client, assessment_id):
    html = client.get(url(assessment_id, "/matrix")).get_data(as_text=True)
    assert "Fundamental-principles matrix" in html
    assert html.count('<th scope="row">') == 12
    assert "Responsibility of the licence holders" in html
    assert 'class="cell mark-none"' in html


def read_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_reads_back_with_formulas_guarded(app, client, assessment_id):
    fields = entry_form(client.get(url(assessment_id)).get_data(as_text=True), "unscr1540")
    fields["unscr1540-entry-OP2-prohibition"] = '=HYPERLINK("http://x.example","click")'
    client.post(url(assessment_id, "?instrument=unscr1540"), data=fields)
    response = client.get(url(assessment_id, "/unscr1540.csv"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.data)
    by_item = {row["Item"]: row for row in rows}
    assert by_item["OP1"]["Entry"] == OP1_DRAFT
    assert by_item["OP1"]["Status"] == "Ready"
    assert by_item["OP1"]["Marking"] == MARKING
    assert by_item["OP1"]["Feeding answers"] == "LEG-14: Yes"
    assert by_item["OP1"]["Entry source"] == "drafted"
    assert by_item["OP2-prohibition"]["Entry"].startswith("'=HYPERLINK")
    assert by_item["OP2-prohibition"]["Entry source"] == "edited"
    assert by_item["OP2-offences"]["Questions answered"] == "1"
    assert by_item["OP2-offences"]["Status"] == "Partly answered"
    assert len(rows) == 14


def pdf_pages(body: bytes) -> list[str]:
    assert body.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def test_pdf_pack_has_marking_and_page_numbers_on_every_page(client, assessment_id):
    response = client.get(url(assessment_id, ".pdf?instrument=unscr1540"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert MARKING in text
        assert f"Page {number} of {len(pages)}" in text
    everything = "\n".join(pages)
    assert "Reporting pack: UNSCR 1540 national report" in everything
    assert "Non-Proliferation Act" in everything
    assert "Fundamental-principles matrix" not in everything


def test_full_pdf_pack_has_every_instrument_and_the_matrix(client, assessment_id):
    pages = pdf_pages(client.get(url(assessment_id, ".pdf")).data)
    everything = "\n".join(pages)
    for title in ("INFCIRC/908: Mitigating Insider Threats", "Fundamental-principles matrix"):
        assert title in everything
    assert all(MARKING in text for text in pages)


def test_reporting_command_writes_pdf_and_csv(app, runner, assessment_id, tmp_path):
    pdf = tmp_path / "pack.pdf"
    result = runner.invoke(args=["reporting", str(assessment_id), "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert all(MARKING in text for text in pdf_pages(pdf.read_bytes()))
    out = tmp_path / "art14.csv"
    result = runner.invoke(
        args=["reporting", str(assessment_id), "--instrument", "cppnm-art14", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = read_csv(out.read_bytes())
    assert {row["Instrument"] for row in rows} == {
        "CPPNM/A Article 14(1): information to the depositary"
    }
    result = runner.invoke(
        args=["reporting", str(assessment_id), "--instrument", "x", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "Known instruments: unscr1540" in result.output
    assert runner.invoke(args=["reporting", "9999", "-o", str(out)]).exit_code == 1
    assert runner.invoke(args=["reporting", str(assessment_id), "-o", "x.txt"]).exit_code == 2


def test_overview_summary_partial(app, client, assessment_id):
    with app.test_request_context():
        assessment = db.session.get(Assessment, assessment_id)
        from flask_login import login_user

        login_user(assessment.updated_by)
        summary = reporting_summary(assessment)
        html = render_template(
            "reporting/_summary.html", assessment=assessment, reporting_summary=summary
        )
    unscr = next(r for r in summary if r.instrument.id == "unscr1540")
    assert (unscr.coverage.ready, unscr.coverage.answered) == (2, 3)
    assert "Your answers already complete" in html
    assert f"/assessments/{assessment_id}/reporting#instrument-unscr1540" in html


def test_bank_check_fails_on_dangling_instrument_questions(tmp_path):
    from click.testing import CliRunner

    bank = tmp_path / "bank"
    shutil.copytree(ROOT / "tests" / "fixtures" / "banks" / "mini", bank)
    shutil.copy(ROOT / "tests" / "fixtures" / "banks" / "dangling" / "instruments.yaml", bank)
    result = CliRunner().invoke(assess_cli, ["bank", "check", "--dir", str(bank)])
    assert result.exit_code == 1
    assert "bank/instruments.yaml:11: item 'report/dangling': unknown question 'NOPE-99'" in (
        result.stderr
    )
    assert "bank/instruments.yaml:21: matrix row 'B': unknown question 'GONE-1'" in result.stderr
    # The same bank without the dangling ids passes.
    (bank / "instruments.yaml").write_text(
        (bank / "instruments.yaml").read_text().replace(", NOPE-99", "").replace("GONE-1", "P-02")
    )
    assert CliRunner().invoke(assess_cli, ["bank", "check", "--dir", str(bank)]).exit_code == 0


def test_pdf_pack_is_cached_until_an_entry_changes(app, client, assessment_id):
    pack = url(assessment_id, ".pdf?instrument=infcirc908")
    first = client.get(pack).data
    assert client.get(pack).data == first
    cached = list(Path(app.config["PDF_CACHE_DIR"]).glob(f"reporting-infcirc908-{assessment_id}-*"))
    assert len(cached) == 1
    fields = entry_form(client.get(url(assessment_id)).get_data(as_text=True), "infcirc908")
    fields["infcirc908-entry-policy"] = "A national policy is being drafted."
    client.post(url(assessment_id, "?instrument=infcirc908"), data=fields)
    text = "\n".join(pdf_pages(client.get(pack).data))
    assert "A national policy is being drafted." in text
