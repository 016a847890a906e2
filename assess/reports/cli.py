"""`assess report ID -o FILE.pdf`: write the PDF gap report of an assessment."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..cli_assessments import assessment_or_exit
from ..files import write_atomically
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
    assessment = assessment_or_exit(assessment_id)
    data = report_pdf(current_app.extensions["assess.bank"], assessment)
    write_atomically(output, data)
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")
