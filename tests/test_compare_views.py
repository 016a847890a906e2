"""The comparison: /compare (HTML), /compare.pdf (read back), `assess compare`, the ids rules,
access, the strictest marking, and the picker on the dashboard."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from assess.comparison.load import IdsProblem, delta_text, parse_ids
from assess.marking import strictest_marking

from .seed import bank_of, seed, values_for


def when(year: int) -> datetime:
    return datetime(year, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def pair(app):
    """Two state assessments of Ministry A: 2024 answered low, 2025 answered high."""
    bank = bank_of(app)
    old = seed(
        app,
        title="Review 2024",
        values=values_for(bank, "state", "low", 45),
        updated_at=when(2024),
        classification="OFFICIAL",
    )
    new = seed(
        app,
        title="Review 2025",
        values=values_for(bank, "state", "high", 45),
        updated_at=when(2025),
        classification="SECRET",
    )
    return old, new


# -- pure helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markings, expected",
    [
        (["OFFICIAL", "OFFICIAL - SENSITIVE"], "OFFICIAL - SENSITIVE"),
        (["Secret", "OFFICIAL-SENSITIVE", "confidential"], "Secret"),
        (["TOP SECRET", "SECRET"], "TOP SECRET"),
        (["OFFICIAL", "NATO CONFIDENTIAL"], "NATO CONFIDENTIAL"),  # unknown ranks highest
        (["TOP SECRET", "Commercial in confidence", "X", "x"], "Commercial in confidence / X"),
        (["", "  ", "RESTRICTED"], "RESTRICTED"),
        (["", ""], ""),
    ],
)
def test_strictest_marking(markings, expected):
    assert strictest_marking(markings) == expected


@pytest.mark.parametrize(
    "values, ids",
    [
        (["1,2"], [1, 2]),
        ([" 3 , 4 ,"], [3, 4]),
        (["1", "2", "3"], [1, 2, 3]),
        (["1,2,3,4,5,6"], [1, 2, 3, 4, 5, 6]),
    ],
)
def test_parse_ids(values, ids):
    assert parse_ids(values) == ids


@pytest.mark.parametrize(
    "values, message",
    [
        ([], "None was given"),
        (["1"], "1 was given"),
        (["1,2,3,4,5,6,7"], "7 were given"),
        (["1,abc"], "'abc' is not an assessment id"),
        (["1,-2"], "'-2' is not an assessment id"),
        (["1,1"], "Assessment 1 is listed twice"),
    ],
)
def test_parse_ids_says_what_is_wrong(values, message):
    with pytest.raises(IdsProblem, match=re.escape(message)):
        parse_ids(values)


def test_delta_text():
    assert [delta_text(v) for v in (None, 0.01, 5.25, -3.0, 12.0)] == [
        "\u2013",
        "0",
        "+5.3",
        "\u22123",
        "+12",
    ]


# -- the HTML page -------------------------------------------------------------------------


def test_compare_page_shows_everything_side_by_side(app, client, accounts, pair):
    old, new = pair
    accounts.as_role("viewer")
    response = client.get(f"/compare?ids={new},{old}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index("Review 2024") < html.index("Review 2025")  # oldest first
    assert '<p class="marking">SECRET</p>' in html  # strictest of OFFICIAL and SECRET
    assert "questions in scope" in html and "apply to every compared assessment" in html
    assert "Scores side by side" in html and "Overall" in html
    for theme in bank_of(app).themes:
        assert theme.title in html
    assert "improved" in html and "regressed" in html and "unchanged" in html
    assert "Commonly missed" in html and "Answers that changed" in html
    assert 'class="delta delta-up"' in html or "delta-up" in html
    assert html.count("<svg") == 2  # grouped bars and the trend
    assert "group-" in html and "line-" in html
    # a changed answer, with before and after
    question = next(q for q in bank_of(app).questions_for("state") if q.type == "maturity")
    row = re.search(rf'<span class="qid">{question.id}</span>.*?</tr>', html, re.S).group(0)
    assert "Not started" in row and "Advanced" in row


def test_compare_lists_commonly_missed_gaps(app, client, accounts):
    bank = bank_of(app)
    low = values_for(bank, "state", "low")
    a = seed(app, title="Low A", values=low, updated_at=when(2023))
    b = seed(app, title="Low B", values=low, updated_at=when(2024))
    accounts.as_role("viewer")
    html = client.get(f"/compare?ids={a},{b}").get_data(as_text=True)
    missed = html[html.index('id="h-missed"') : html.index('id="h-answers"')]
    assert 'class="data missed-table"' in missed and '<span class="rid">' in missed
    assert "Every answer that counts is the same in all of them." in html


def test_compare_mixed_profiles_and_repeated_ids_parameter(app, client, accounts):
    bank = bank_of(app)
    s = seed(app, title="State", values=values_for(bank, "state", "high"), updated_at=when(2024))
    o = seed(
        app,
        title="Operator",
        profile="operator",
        values=values_for(bank, "operator", "high"),
        updated_at=when(2025),
    )
    accounts.as_role("viewer")
    response = client.get(f"/compare?ids={s}&ids={o}")  # as the dashboard's checkboxes send it
    assert response.status_code == 200
    assert "different profiles" in response.get_data(as_text=True)


BAD_IDS = [
    ("", "Choose 2 to 6 assessments to compare"),
    ("?ids=1", "1 was given"),
    ("?ids=1,2,3,4,5,6,7", "7 were given"),
    ("?ids=1,x", "&#39;x&#39; is not an assessment id"),
    ("?ids=1,1", "Assessment 1 is listed twice"),
]


def test_bad_ids_get_a_clear_400_page(client, accounts):
    accounts.as_role("viewer")
    for url in ("/compare", "/compare.pdf"):
        for query, message in BAD_IDS:
            response = client.get(url + query)
            assert response.status_code == 400, (url, query)
            assert response.mimetype == "text/html"
            assert message in response.get_data(as_text=True), (url, query)


def test_another_organisations_or_missing_assessment_is_404(app, client, accounts, pair):
    old, _ = pair
    theirs = seed(app, title="Theirs", org="Ministry B")
    accounts.as_role("owner")
    for url in ("/compare", "/compare.pdf"):
        assert client.get(f"{url}?ids={old},{theirs}").status_code == 404
        assert client.get(f"{url}?ids={old},99999").status_code == 404


def test_compare_needs_a_login(client, pair):
    old, new = pair
    response = client.get(f"/compare?ids={old},{new}")
    assert response.status_code == 302 and "/login" in response.location


def test_dashboard_picker_sends_ids_to_compare(app, client, accounts, pair):
    accounts.as_role("viewer")
    html = client.get("/").get_data(as_text=True)
    form = re.search(r'<form method="get" action="([^"]+)" id="compare-form"', html)
    assert form and form.group(1) == "/compare"
    boxes = re.findall(r'<input type="checkbox" name="ids" value="(\d+)" form="compare-form"', html)
    assert sorted(map(int, boxes)) == sorted(pair)


# -- the PDF and the command ---------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_compare_pdf_has_the_strictest_marking_and_page_numbers_on_every_page(
    app, client, accounts, pair
):
    old, new = pair
    accounts.as_role("viewer")
    response = client.get(f"/compare.pdf?ids={old},{new}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"comparison-{old}-{new}.pdf" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    pages = pdf_pages(response.data)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert re.search(r"(^|\s)SECRET(\s|$)", text), f"page {number} has no marking"
        assert f"Page {number} of {len(pages)}" in text
    everything = "\n".join(pages)
    for heading in (
        "Assessments compared",
        "Scores side by side",
        "Commonly missed",
        "Answers that changed",
        "Recommendations: what changed",
        "Trend",
    ):
        assert heading in everything


def test_cli_compare_prints_json(app, runner, pair):
    old, new = pair
    result = runner.invoke(args=["compare", str(new), str(old)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [item["id"] for item in data["items"]] == [old, new]
    assert data["baseline"] == old and data["marking"] == "SECRET"
    assert {
        "comparability",
        "themes",
        "recommendations",
        "questions",
        "commonly_missed",
        "trends",
    } <= set(data)
    assert data["themes"][0]["deltas"][0] == 0


def test_cli_compare_writes_a_pdf(app, runner, tmp_path):
    bank = bank_of(app)
    old = seed(
        app, title="Short A", values=values_for(bank, "state", "low", 8), updated_at=when(2024)
    )
    new = seed(
        app, title="Short B", values=values_for(bank, "state", "high", 8), classification="SECRET"
    )
    out = tmp_path / "comparison.pdf"
    result = runner.invoke(args=["compare", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out.read_bytes())
    assert all("SECRET" in text and f"of {len(pages)}" in text for text in pages)


def test_cli_compare_refuses_bad_input(app, runner, pair):
    old, _ = pair
    result = runner.invoke(args=["compare", str(old)])
    assert result.exit_code == 2 and "1 was given" in result.output
    result = runner.invoke(args=["compare", str(old), "424242"])
    assert result.exit_code == 1 and "There is no assessment 424242" in result.output
