"""`assess report ID -o FILE.pdf`: write the PDF gap report of an assessment."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Assessment
from .render import report_pdf


@click.command("report")
@click.argument("assessment_id", type=int)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the PDF.",
)
@with_appcontext
def report_command(assessment_id: int, output: Path) -> None:
    """Write the PDF gap report of assessment ID to FILE.pdf."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise click.ClickException(f"There is no assessment {assessment_id}.")
    data = report_pdf(current_app.extensions["assess.bank"], assessment)
    folder = output.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".report-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")
