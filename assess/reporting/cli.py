"""`assess reporting ID [--instrument NAME] -o FILE`: the reporting pack as PDF or CSV."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..cli_assessments import assessment_or_exit
from ..files import write_atomically
from .entries import load_reporting
from .exports import reporting_csv, reporting_pdf


@click.command("reporting")
@click.argument("assessment_id", type=int)
@click.option(
    "--instrument",
    "instrument_name",
    default=None,
    help="One instrument, by id (for example unscr1540) or title; all when left out.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write: FILE.pdf for the reporting pack, FILE.csv for the entries.",
)
@with_appcontext
def reporting_command(assessment_id: int, instrument_name: str | None, output: Path) -> None:
    """Write the reporting entries of assessment ID as a PDF pack or a CSV file."""
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".csv"):
        raise click.UsageError("The output file must end in .pdf or .csv.")
    assessment = assessment_or_exit(assessment_id)
    data = load_reporting(current_app.extensions["assess.bank"], assessment)
    reports = list(data.crosswalk.instruments)
    if instrument_name:
        wanted = instrument_name.strip().lower()
        reports = [
            r for r in reports if wanted in (r.instrument.id.lower(), r.instrument.title.lower())
        ]
        if not reports:
            known = ", ".join(r.instrument.id for r in data.crosswalk.instruments)
            raise click.ClickException(
                f"There is no instrument '{instrument_name}'. Known instruments: {known}."
            )
    if suffix == ".pdf":
        body = reporting_pdf(assessment, data, reports)
    else:
        body = reporting_csv(assessment, data, reports)
    write_atomically(output, body)
    click.echo(f"Wrote {output} ({len(reports)} instrument(s), {len(body) // 1024} KB).")
