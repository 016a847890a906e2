"""`assess export`, `assess import` and `assess compare`: thin shells over the core."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .cli_assessments import assessment_or_exit
from .extensions import db
from .files import write_atomically
from .models import Assessment, Organisation
from .transfer.document import MAX_BYTES, InvalidDocument


def _bank():
    return current_app.extensions["assess.bank"]


def _dump(document: object) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@click.command("export")
@click.argument("assessment_id", type=int)
@click.option(
    "--anonymised",
    is_flag=True,
    help="Leave out the organisation, people, notes, evidence and free-text answers.",
)
@with_appcontext
def export_command(assessment_id: int, anonymised: bool) -> None:
    """Print assessment ID as `assess/assessment@1` JSON."""
    from .transfer.store import export_assessment

    assessment = assessment_or_exit(assessment_id)
    _dump(export_assessment(_bank(), assessment, anonymised))


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_name", required=True, help="The organisation it belongs to.")
@with_appcontext
def import_command(file: Path, org_name: str) -> None:
    """Validate FILE and store it as a new assessment of NAME; print the new id.

    On bad input: exit 1 with each problem and its place; nothing is stored.
    """
    from .transfer.store import import_assessment
    from .transfer.validate import parse_document

    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise InvalidDocument(
                [f"file: {size / 2**20:.1f} MB is over the {MAX_BYTES // 2**20} MB limit"]
            )
        raw = file.read_bytes()
    except OSError as error:
        _fail([f"{file}: cannot read it ({error.strerror or error})"])
    except InvalidDocument as error:
        _fail([f"{file}: {p}" for p in error.problems])
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == org_name.strip())
    )
    if organisation is None:
        _fail([f"There is no organisation '{org_name.strip()}'. Nothing was stored."])
    bank = _bank()
    try:
        imported = parse_document(raw, bank)
    except InvalidDocument as error:
        _fail([f"{file}: {p}" for p in error.problems])
    assessment, _ = import_assessment(bank, organisation.id, None, imported)
    db.session.commit()
    for warning in imported.warnings(bank.version):
        click.echo(f"Warning: {warning}", err=True)
    click.echo(assessment.id)


def _fail(problems: list[str]) -> NoReturn:
    db.session.rollback()
    for problem in problems[:20]:
        click.echo(problem, err=True)
    if len(problems) > 20:
        click.echo(f"... and {len(problems) - 20} more problem(s).", err=True)
    click.echo("Nothing was stored.", err=True)
    sys.exit(1)


@click.command("compare")
@click.argument("assessment_ids", nargs=-1, required=True, type=int)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the comparison as PDF to this file instead of JSON to standard output.",
)
@with_appcontext
def compare_command(assessment_ids: tuple[int, ...], output: Path | None) -> None:
    """Compare 2 to 6 assessments: JSON on standard output, or a PDF with -o FILE.pdf."""
    from .comparison.load import IdsProblem, build_view, load_assessments, parse_ids

    try:
        ids = parse_ids([",".join(str(i) for i in assessment_ids)])
    except IdsProblem as problem:
        raise click.UsageError(str(problem)) from None
    assessments = load_assessments(ids, None)
    if assessments is None:
        found = {a.id for a in db.session.scalars(select(Assessment).where(Assessment.id.in_(ids)))}
        missing = ", ".join(str(i) for i in ids if i not in found)
        raise click.ClickException(f"There is no assessment {missing}.")
    view = build_view(_bank(), assessments)
    if output is None:
        _dump(view.to_json())
        return
    from .comparison.render import comparison_pdf

    write_atomically(output, comparison_pdf(_bank(), view, datetime.now(UTC)))
    click.echo(f"Wrote {output}.")


TRANSFER_COMMANDS: list[click.Command] = [export_command, import_command, compare_command]
