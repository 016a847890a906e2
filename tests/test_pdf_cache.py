"""The PDF cache: a second download of an unchanged assessment is not rendered again, and
every change that shows in the report makes a new PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

import assess.pdf
from assess.cli import add_user
from assess.config import PROJECT_ROOT
from assess.extensions import db
from assess.models import Assessment
from assess.operations import Submitted, create_assessment, save_answers

PASSWORD = "correct horse battery staple"
MINI = PROJECT_ROOT / "tests" / "fixtures" / "banks" / "mini"


@pytest.fixture
def app_config(app_config):
    """The small test bank: its reports render in about a second."""
    return dict(app_config, QUESTIONS_DIR=str(MINI))


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """Count WeasyPrint runs; each still renders a real PDF."""
    calls: list[str] = []
    real = assess.pdf.render_pdf

    def counting(html: str, *args: object, **kwargs: object) -> bytes:
        calls.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr("assess.pdf.render_pdf", counting)
    return calls


def _assessment(app: Flask) -> int:
    with app.app_context():
        user = add_user("owner@a.example", "Ministry A", "owner", PASSWORD)
        assessment = create_assessment(
            app.extensions["assess.bank"],
            user.memberships[0].organisation_id,
            user,
            title="Cached",
            profile="state",
            target=75,
            classification="OFFICIAL",
        )
        db.session.commit()
        return assessment.id


def _change(app: Flask, aid: int, **fields: object) -> None:
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        bank = app.extensions["assess.bank"]
        if "answer" in fields:
            question = bank.questions_for("state")[0]
            value = fields.pop("answer")
            user = assessment.updated_by
            save_answers(bank, assessment, [Submitted(question.id, value, "", "", 0)], user)
        for name, value in fields.items():
            setattr(assessment, name, value)
        db.session.commit()


def test_second_download_comes_from_the_cache(app, client, counted) -> None:
    aid = _assessment(app)
    client.post("/login", data={"email": "owner@a.example", "password": PASSWORD})
    url = f"/assessments/{aid}/report.pdf"
    first = client.get(url).data
    assert len(counted) == 1
    cache = Path(app.config["PDF_CACHE_DIR"])
    files = list(cache.glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == first
    assert client.get(url).data == first
    assert len(counted) == 1  # not rendered again
    assert not list(cache.glob(".tmp-*"))


def test_changes_make_a_new_pdf(app, client, counted) -> None:
    aid = _assessment(app)
    client.post("/login", data={"email": "owner@a.example", "password": PASSWORD})
    url = f"/assessments/{aid}/report.pdf"
    seen = {client.get(url).data}
    bank = app.extensions["assess.bank"]
    first_question = bank.questions_for("state")[0]
    changes = [
        {"answer": first_question.options[0].value if first_question.options else "text"},
        {"classification": "SECRET"},
        {"title": "Renamed"},
        {"status": "final"},
        {"target": 80},
    ]
    for number, change in enumerate(changes, start=2):
        _change(app, aid, **change)
        seen.add(client.get(url).data)
        assert len(counted) == number, f"{change} did not make a new PDF"
        client.get(url)
        assert len(counted) == number  # and the new one is cached in turn
    assert len(seen) == len(changes) + 1
    cache = Path(app.config["PDF_CACHE_DIR"])
    assert len(list(cache.glob("*.pdf"))) == 1  # older versions are removed
