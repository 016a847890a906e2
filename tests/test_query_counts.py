"""SQL statements per page stay few and do not grow with the bank or the list."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from assess.extensions import db
from assess.models import Assessment

from .wizard_helpers import create_assessment, save_section

LIMIT = 6


@contextmanager
def counted(app):
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_wizard_page_uses_at_most_six_statements(app, client, accounts):
    accounts.as_role("editor")
    assessment_id = create_assessment(client)
    bank = app.extensions["assess.bank"]
    for section in bank.sections_for("state")[:3]:
        answers = {q.id: q.options[0].value for q in section.questions_for("state") if q.options}
        save_section(client, assessment_id, section.id, answers, action="save_exit")
    for section in bank.sections_for("state"):
        with counted(app) as statements:
            response = client.get(f"/assessments/{assessment_id}/section/{section.id}")
        assert response.status_code == 200
        assert len(statements) <= LIMIT, (section.id, statements)


def _add_assessments(app, count):
    with app.app_context():
        first = db.session.get(Assessment, 1)
        for n in range(count):
            db.session.add(
                Assessment(
                    organisation_id=first.organisation_id,
                    title=f"Site {n}",
                    profile="state" if n % 2 else "operator",
                    bank_version=first.bank_version,
                    updated_by_id=first.updated_by_id,
                )
            )
        db.session.commit()


def test_dashboard_statements_do_not_grow_with_the_list(app, client, accounts):
    from assess.dashboard import trend

    accounts.as_role("editor")
    create_assessment(client, title="first")
    _add_assessments(app, 9)
    trend._cache.clear()  # measure the worst case: the trend not yet cached
    with counted(app) as few:
        assert client.get("/").status_code == 200
    _add_assessments(app, 90)
    trend._cache.clear()
    with counted(app) as many:
        assert client.get("/?sort=score").status_code == 200
    assert len(many) == len(few) <= LIMIT, many
