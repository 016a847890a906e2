"""Commands on saved assessments: score, export, import, report, compare."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db
from .models import Assessment
from .operations import answers_by_question, scorecard_for


def assessment_or_exit(assessment_id: int) -> Assessment:
    """Return the assessment with this id, or stop the command with a clear message."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise click.ClickException(f"There is no assessment {assessment_id}.")
    return assessment


@click.command("score")
@click.argument("assessment_id", type=int)
@with_appcontext
def score_command(assessment_id: int) -> None:
    """Print the scorecard as JSON: overall, themes, recommendations, gaps, coverage."""
    assessment = assessment_or_exit(assessment_id)
    bank = current_app.extensions["assess.bank"]
    card = scorecard_for(bank, assessment, answers_by_question(assessment).values())
    click.echo(json.dumps(card.to_json(), indent=2, ensure_ascii=False))


COMMANDS: list[click.Command] = [score_command]
