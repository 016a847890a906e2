"""Pre-rendered, cached HTML for the parts of a question that never change.

The wizard page is the most visited page. A question's wording, help, reference and
option labels are fixed for the life of the loaded bank, so they are escaped and
assembled once; only what the user answered (checked options) is filled in per request.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from ..bank import Question

_intro_cache: dict[tuple[int, bool], Markup] = {}
_option_cache: dict[int, tuple[tuple[str, str, str], ...]] = {}


def question_intro(question: Question, legend: bool) -> Markup:
    """Return the question's legend (or label) and help block, escaped, from a cache."""
    key = (id(question), legend)
    cached = _intro_cache.get(key)
    if cached is None:
        qid = escape(question.id)
        title = Markup('<span class="qid">{}</span> {}').format(question.id, question.text)
        opening = (
            Markup("<legend>{}</legend>").format(title)
            if legend
            else Markup('<label for="answer-{}">{}</label>').format(qid, title)
        )
        help_text = Markup("<p>{}</p>").format(question.help) if question.help else Markup()
        cached = opening + Markup(
            '<div class="question-help" id="help-{}">{}<p class="reference">Reference: {}</p></div>'
        ).format(qid, help_text, question.reference)
        _intro_cache[key] = cached
    return cached


def _option_parts(question: Question) -> tuple[tuple[str, str, str], ...]:
    parts = _option_cache.get(id(question))
    if parts is None:
        kind = "checkbox" if question.type == "multi" else "radio"
        name = escape(f"answer-{question.id}")
        built = []
        for index, option in enumerate(question.options):
            input_id = f"{name}-{index}"
            before = (
                f'<div class="option"><input type="{kind}" id="{input_id}" name="{name}" '
                f'value="{escape(option.value)}"'
            )
            after = f'> <label for="{input_id}">{escape(option.label)}</label></div>'
            built.append((option.value, before, after))
        parts = _option_cache[id(question)] = tuple(built)
    return parts


def option_inputs(question: Question, current: str | Iterable[str] | None) -> Markup:
    """Return the radio buttons or check boxes of a question, the current answer checked."""
    if current is None:
        chosen: set[str] = set()
    elif isinstance(current, str):
        chosen = {current}
    else:
        chosen = set(current)
    # Every piece was escaped when the cache was built (see _option_parts).
    return Markup(  # noqa: S704  # nosec B704
        "\n".join(
            before + (" checked" if value in chosen else "") + after
            for value, before, after in _option_parts(question)
        )
    )
