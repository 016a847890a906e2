"""Twenty users saving at once: no lost update, no error (SQLite in WAL mode and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from assess.extensions import db
from assess.models import Answer, AnswerChange, Assessment

from .wizard_helpers import create_assessment, page_versions, save_section

THREADS = 20


def _clients(app, accounts, count):
    clients = []
    accounts.create("writer@ministrya.example", role="editor")
    for _ in range(count):
        client = app.test_client()
        accounts.login("writer@ministrya.example", client=client)
        clients.append(client)
    return clients


def _run_together(work, count):
    barrier = threading.Barrier(count)

    def start(index):
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


def test_same_answer_saved_by_twenty_stale_pages_keeps_exactly_one(app, client, accounts):
    accounts.as_role("owner")
    assessment_id = create_assessment(client)
    clients = _clients(app, accounts, THREADS)
    url = f"/assessments/{assessment_id}/section/regime"
    versions = [page_versions(c.get(url).get_data(as_text=True)) for c in clients]
    values = ["yes", "partial", "no"]

    def work(index):
        response = save_section(
            clients[index],
            assessment_id,
            "regime",
            {"REG-02": values[index % 3]},
            action="save_exit",
            versions=versions[index],
        )
        return response.status_code, response.get_data(as_text=True)

    results = _run_together(work, THREADS)
    codes = [code for code, _ in results]
    assert set(codes) <= {200, 302}, codes
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.question_id == "REG-02"))
        changes = db.session.scalar(select(func.count(AnswerChange.id)))
    assert answer.version == 1 and changes == 1  # exactly one save was written
    for index, (code, body) in enumerate(results):
        if values[index % 3] == answer.value:
            assert code == 302  # the winner, or a page that asked for the same value
        else:
            assert code == 200 and "Someone else changed some answers" in body


def test_twenty_different_answers_to_one_assessment_are_all_kept(app, client, accounts):
    accounts.as_role("owner")
    assessment_id = create_assessment(client)
    bank = app.extensions["assess.bank"]
    questions = [
        q for q in bank.questions_for("state") if q.type == "yes_partial_no" and not q.show_if
    ][:THREADS]
    assert len(questions) == THREADS
    clients = _clients(app, accounts, THREADS)
    # Everybody opens their page before anybody saves: every page shows an empty answer
    # for the questions the others are about to answer.
    pages = [
        page_versions(
            c.get(f"/assessments/{assessment_id}/section/{q.section}").get_data(as_text=True)
        )
        for c, q in zip(clients, questions, strict=True)
    ]

    def work(index):
        question = questions[index]
        response = save_section(
            clients[index],
            assessment_id,
            question.section,
            {question.id: "partial"},
            action="save_exit",
            versions=pages[index],
        )
        return response.status_code

    assert _run_together(work, THREADS) == [302] * THREADS
    with app.app_context():
        stored = db.session.scalars(
            select(Answer).where(Answer.assessment_id == assessment_id)
        ).all()
        assert sorted(a.question_id for a in stored) == sorted(q.id for q in questions)
        assert db.session.get(Assessment, assessment_id).revision == THREADS


def test_twenty_assessments_saved_at_once(app, client, accounts):
    accounts.as_role("owner")
    ids = [create_assessment(client, title=f"Site {n}") for n in range(THREADS)]
    clients = _clients(app, accounts, THREADS)

    def work(index):
        return save_section(
            clients[index],
            ids[index],
            "regime",
            {"REG-02": "yes", "REG-03": "no"},
            action="save_exit",
            versions={"REG-02": "0", "REG-03": "0"},
        ).status_code

    assert _run_together(work, THREADS) == [302] * THREADS
    with app.app_context():
        count = db.session.scalar(
            select(func.count(Answer.id)).where(Answer.assessment_id.in_(ids))
        )
        assert count == 2 * THREADS
