"""The loaded bank as JSON-ready data (for `assess bank dump`)."""

from __future__ import annotations

from typing import Any

from .bank import Bank, Condition, Question


def _question(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "text": question.text,
        "help": question.help,
        "type": question.type,
        "scored": question.scored,
        "profiles": sorted(question.profiles),
        "options": [
            {"value": o.value, "label": o.label, "score": o.score, "na": o.na}
            for o in question.options
        ],
        "show_if": condition_json(question.show_if) if question.show_if else None,
        "show_if_text": question.show_if.describe() if question.show_if else None,
        "supports": [
            {"recommendation": s.recommendation, "weight": s.weight} for s in question.supports
        ],
        "reference": question.reference,
        "evidence_hint": question.evidence_hint,
    }


def bank_to_json(bank: Bank) -> dict[str, Any]:
    """Return the bank as a dict: sections, questions, recommendations, instruments."""
    return {
        "version": bank.version,
        "themes": [{"id": t.id, "title": t.title} for t in bank.themes],
        "recommendations": [
            {
                "id": r.id,
                "title": r.title,
                "text": r.text,
                "source": r.source,
                "priority": r.priority,
                "theme": r.theme,
                "actions": list(r.actions),
            }
            for r in bank.recommendations
        ],
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "order": s.order,
                "description": s.description,
                "questions": [_question(q) for q in s.questions],
            }
            for s in bank.sections
        ],
        "instruments": [
            {
                "id": i.id,
                "title": i.title,
                "description": i.description,
                "items": [
                    {"id": it.id, "title": it.title, "questions": list(it.questions)}
                    for it in i.items
                ],
            }
            for i in bank.instruments
        ],
    }


def condition_json(condition: Condition) -> dict[str, Any]:
    """Return a show_if condition as data (for the bank dump and the wizard's script)."""
    if condition.kind in ("all", "any"):
        return {"kind": condition.kind, "children": [condition_json(c) for c in condition.children]}
    return {
        "kind": condition.kind,
        "question": condition.question,
        "values": list(condition.values),
    }
