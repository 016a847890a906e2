"""Tests of assess.scoring: hand-computed cases on the mini bank, then properties.

The mini bank (tests/fixtures/banks/mini) in short, question -> (recommendation, weight):

    S-TRANSPORT choice yes 1 / unprotected 0 / no na   both      R-TRANS 1
    S-NAME      text                                   both      (R-REP, unscored)
    L-01        maturity                               both      R-LAW 3, R-AUTH 1
    L-02        yes_partial_no + na                    state     R-LAW 1
    L-03        number                                 both      (R-AUTH, unscored)
    L-04        choice full 1 / some 0.4 / none 0      operator  R-AUTH 2, R-OPS 1
    P-01        maturity                               both      R-PP 2
    P-02        multi fence .5 alarm 1 guard .5 none na both     R-PP 1
    P-03        yes_partial_no, if S-TRANSPORT not_in no  both   R-TRANS 1
    P-04        maturity, if P-02 includes guard       both      R-PP 1
    P-05        date, if S-TRANSPORT in yes/unprotected operator (R-TRANS, unscored)
    R-1         yes_partial_no                         both      R-REP 1
    R-2         maturity                               state     R-REP 2
    R-3         yes_partial_no + na                    operator  R-OPS 1

Themes: regime (R-LAW high, R-AUTH medium), protection (R-PP high, R-TRANS low),
reporting (R-REP medium, R-OPS low).
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assess.bank import PROFILES, AnswerValue, Bank, BankError, Option, Question, load_bank
from assess.scoring import (
    NA,
    AnswerSet,
    Scorecard,
    display,
    effective_answers,
    is_scored,
    maturity_band,
    question_score,
    score,
    valid_answer,
)

ROOT = Path(__file__).parent.parent
MINI = Path(__file__).parent / "fixtures" / "banks" / "mini"
REAL = ROOT / "questions"


@cache
def bank_at(path: Path) -> Bank | None:
    try:
        return load_bank(path)
    except BankError:
        return None


@pytest.fixture(scope="module")
def mini() -> Bank:
    bank = bank_at(MINI)
    assert bank is not None, "the mini bank must load"
    return bank


def question_of(bank: Bank, question_id: str) -> Question:
    question = bank.question(question_id)
    assert question is not None
    return question


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-9)


# -- hand-computed cases ----------------------------------------------------------------

# State. Recommendation scores:
#   R-LAW   = (3 x .5 + 1 x .5) / 4              = 50
#   R-AUTH  = (1 x .5) / 1                        = 50   (L-04 is operator only)
#   R-PP    = (2 x .75 + 1 x .75 + 1 x .25) / 4   = 62.5 (P-02: (1 + .5) / 2 = .75)
#   R-TRANS = (1 x 1 + 1 x 0) / 2                 = 50
#   R-REP   = (1 x 1) / 1                         = 100  (R-2 unanswered, S-NAME unscored)
#   R-OPS   = out of scope (operator questions only)
# Themes 50, 56.25, 100; overall 206.25 / 3 = 68.75.
# Gaps at 75: R-LAW 25 x 3 = 75, R-AUTH 25 x 2 = 50, R-PP 12.5 x 3 = 37.5, R-TRANS 25 x 1.
# Coverage: 11 applicable (P-04 shown by guard, P-05 operator), 10 answered (R-2 is not).
A_VALUES: dict[str, AnswerValue] = {
    "S-TRANSPORT": "yes",
    "S-NAME": "Ruritania",
    "L-01": "developing",
    "L-02": "partial",
    "L-03": "12",
    "L-04": "full",  # operator only: hidden
    "P-01": "established",
    "P-02": ("guard", "alarm"),
    "P-03": "no",
    "P-04": "initial",
    "R-1": "yes",
    "R-3": "yes",  # operator only: hidden
}

# State, with ties in severity (R-AUTH and R-LAW: 150; by id, not bank order):
#   R-LAW  = (3 x 0 + 1 x 1) / 4 = 25  -> (75 - 25) x 3 = 150
#   R-AUTH = 0                         -> (75 - 0) x 2  = 150
#   R-PP   = (2 x 1 + 1 x .25) / 3 = 75 -> not a gap (not below the target)
#   R-TRANS = (0 + 0) / 2 = 0          -> 75 x 1 = 75
#   R-REP  = .5 / 1 = 50               -> 25 x 2 = 50
# Themes 12.5, 37.5, 50; overall 100 / 3. Coverage 7 / 10 (P-04 hidden: no guard).
B_VALUES: dict[str, AnswerValue] = {
    "S-TRANSPORT": "unprotected",
    "L-01": "not_started",
    "L-02": "yes",
    "P-01": "advanced",
    "P-02": ("fence",),
    "P-03": "no",
    "R-1": "partial",
}

# Operator, no transport:
#   R-LAW   = 1 (L-01 only; L-02 is state only)      = 100
#   R-AUTH  = (1 x 1 + 2 x .4) / 3                   = 60
#   R-PP    = (2 x .25 + 1 x .5) / 3                 = 33.33 (P-02: na ignored, 1 / 2)
#   R-TRANS = out of scope: S-TRANSPORT na, P-03 hidden
#   R-REP   = not assessed: R-1 unanswered
#   R-OPS   = (1 x .4) / 1, R-3 na                   = 40
# Themes 80, 33.33, 40; overall 51.11. Gaps: R-PP 125, R-OPS 35, R-AUTH 30.
# Coverage: 9 applicable, 6 answered. Hidden answers: L-02 (profile), P-03, P-04, P-05.
C_VALUES: dict[str, AnswerValue] = {
    "S-TRANSPORT": "no",
    "L-01": "advanced",
    "L-02": "yes",
    "L-04": "some",
    "P-01": "initial",
    "P-02": ("none", "alarm"),
    "P-03": "yes",
    "P-04": "advanced",
    "P-05": "2024-01-01",
    "R-3": "na",
}


def rec_scores(card: Scorecard) -> dict[str, float | None]:
    return {r.id: r.score for r in card.recommendations}


def theme_scores(card: Scorecard) -> dict[str, float | None]:
    return {t.id: t.score for t in card.themes}


def test_state_case(mini: Bank) -> None:
    card = score(mini, AnswerSet("state", 75, A_VALUES))
    assert rec_scores(card) == {
        "R-LAW": approx(50),
        "R-AUTH": approx(50),
        "R-PP": approx(62.5),
        "R-TRANS": approx(50),
        "R-REP": approx(100),
        "R-OPS": None,
    }
    assert theme_scores(card) == {
        "regime": approx(50),
        "protection": approx(56.25),
        "reporting": approx(100),
    }
    assert card.overall == approx(68.75)
    assert card.band == "Established"
    assert (card.coverage.answered, card.coverage.applicable) == (10, 11)
    assert [(g.recommendation, g.severity) for g in card.gaps] == [
        ("R-LAW", approx(75)),
        ("R-AUTH", approx(50)),
        ("R-PP", approx(37.5)),
        ("R-TRANS", approx(25)),
    ]
    assert card.not_assessed == ()
    assert card.out_of_scope == ("R-OPS",)
    assert card.hidden_answered == ("L-04", "R-3")
    pp = card.recommendation("R-PP")
    assert [(c.question, c.weight, c.value, c.score) for c in pp.contributions] == [
        ("P-01", 2.0, "established", 0.75),
        ("P-02", 1.0, ("alarm", "guard"), 0.75),  # normalised to option order
        ("P-04", 1.0, "initial", 0.25),
    ]
    rep = card.recommendation("R-REP")
    assert (rep.answered, rep.applicable, rep.status) == (1, 2, "scored")


def test_state_case_json(mini: Bank) -> None:
    data = score(mini, AnswerSet("state", 75, A_VALUES)).to_json()
    json.dumps(data)
    assert data == {
        "bank_version": "mini-1",
        "profile": "state",
        "target": 75.0,
        "overall": {"score": 68.8, "band": "Established"},
        "coverage": {"answered": 10, "applicable": 11, "ratio": 0.909},
        "themes": [
            {"id": "regime", "title": "Regime", "score": 50.0, "band": "Developing"},
            {"id": "protection", "title": "Protection", "score": 56.3, "band": "Developing"},
            {"id": "reporting", "title": "Reporting", "score": 100.0, "band": "Advanced"},
        ],
        "recommendations": [
            {"id": "R-LAW", "title": "Legislation", "theme": "regime", "priority": "high",
             "score": 50.0, "band": "Developing", "answered": 2, "applicable": 2},
            {"id": "R-AUTH", "title": "Competent authority", "theme": "regime",
             "priority": "medium", "score": 50.0, "band": "Developing", "answered": 1,
             "applicable": 1},
            {"id": "R-PP", "title": "Protection measures", "theme": "protection",
             "priority": "high", "score": 62.5, "band": "Established", "answered": 3,
             "applicable": 3},
            {"id": "R-TRANS", "title": "Transport", "theme": "protection", "priority": "low",
             "score": 50.0, "band": "Developing", "answered": 2, "applicable": 2},
            {"id": "R-REP", "title": "Reporting", "theme": "reporting", "priority": "medium",
             "score": 100.0, "band": "Advanced", "answered": 1, "applicable": 2},
            {"id": "R-OPS", "title": "Operator duties", "theme": "reporting", "priority": "low",
             "score": None, "band": "Not assessed", "answered": 0, "applicable": 0},
        ],
        "gaps": [
            {"recommendation": "R-LAW", "title": "Legislation", "score": 50.0, "target": 75.0,
             "severity": 75.0, "priority": "high", "actions": ["Adopt the law."]},
            {"recommendation": "R-AUTH", "title": "Competent authority", "score": 50.0,
             "target": 75.0, "severity": 50.0, "priority": "medium",
             "actions": ["Name the authority.", "Give it staff."]},
            {"recommendation": "R-PP", "title": "Protection measures", "score": 62.5,
             "target": 75.0, "severity": 37.5, "priority": "high",
             "actions": ["Install measures."]},
            {"recommendation": "R-TRANS", "title": "Transport", "score": 50.0, "target": 75.0,
             "severity": 25.0, "priority": "low", "actions": ["Protect transport."]},
        ],
        "not_assessed": [],
        "out_of_scope": ["R-OPS"],
        "hidden_answered": ["L-04", "R-3"],
        "unknown_answered": [],
    }  # fmt: skip


def test_gap_ties_are_ordered_by_id(mini: Bank) -> None:
    card = score(mini, AnswerSet("state", 75, B_VALUES))
    assert rec_scores(card) == {
        "R-LAW": approx(25),
        "R-AUTH": approx(0),
        "R-PP": approx(75),
        "R-TRANS": approx(0),
        "R-REP": approx(50),
        "R-OPS": None,
    }
    assert [(g.recommendation, g.severity) for g in card.gaps] == [
        ("R-AUTH", approx(150)),  # tie with R-LAW, which comes first in the bank
        ("R-LAW", approx(150)),
        ("R-TRANS", approx(75)),
        ("R-REP", approx(50)),
    ]  # R-PP at exactly 75 is not a gap
    assert theme_scores(card) == {
        "regime": approx(12.5),
        "protection": approx(37.5),
        "reporting": approx(50),
    }
    assert card.overall == approx(100 / 3)
    assert (card.coverage.answered, card.coverage.applicable) == (7, 10)
    assert card.coverage.ratio == approx(0.7)
    assert "P-04" not in card.applicable


def test_operator_case_na_multi_and_hidden(mini: Bank) -> None:
    card = score(mini, AnswerSet("operator", 75, C_VALUES))
    assert rec_scores(card) == {
        "R-LAW": approx(100),
        "R-AUTH": approx(60),
        "R-PP": approx(100 / 3),
        "R-TRANS": None,
        "R-REP": None,
        "R-OPS": approx(40),
    }
    assert theme_scores(card) == {
        "regime": approx(80),
        "protection": approx(100 / 3),
        "reporting": approx(40),
    }
    assert card.overall == approx((80 + 100 / 3 + 40) / 3)
    assert [(g.recommendation, g.severity) for g in card.gaps] == [
        ("R-PP", approx(125)),
        ("R-OPS", approx(35)),
        ("R-AUTH", approx(30)),
    ]
    assert card.not_assessed == ("R-REP",)
    assert card.out_of_scope == ("R-TRANS",)  # its only applicable question answered na
    assert card.hidden_answered == ("L-02", "P-03", "P-04", "P-05")
    assert (card.coverage.answered, card.coverage.applicable) == (6, 9)
    trans = card.recommendation("R-TRANS")
    assert [(c.question, c.score) for c in trans.contributions] == [("S-TRANSPORT", NA)]
    ops = card.recommendation("R-OPS")
    assert [(c.question, c.score) for c in ops.contributions] == [("L-04", 0.4), ("R-3", NA)]
    assert (ops.answered, ops.applicable) == (2, 2)


def test_a_lower_target_shrinks_the_gaps(mini: Bank) -> None:
    card = score(mini, AnswerSet("operator", 50, C_VALUES))
    assert [(g.recommendation, g.severity) for g in card.gaps] == [
        ("R-PP", approx(50)),
        ("R-OPS", approx(10)),
    ]
    assert score(mini, AnswerSet("operator", 0, C_VALUES)).gaps == ()


def test_nothing_answered(mini: Bank) -> None:
    card = score(mini, AnswerSet("state"))
    assert card.target == 75
    assert card.overall is None
    assert card.band == "Not assessed"
    assert all(t.score is None for t in card.themes)
    assert card.gaps == ()
    assert card.not_assessed == ("R-LAW", "R-AUTH", "R-PP", "R-TRANS", "R-REP")
    assert card.out_of_scope == ("R-OPS",)
    assert (card.coverage.answered, card.coverage.applicable) == (0, 10)


def test_invalid_values_count_as_unanswered(mini: Bank) -> None:
    values: dict[str, AnswerValue] = {
        "S-TRANSPORT": "maybe",  # not an option: unanswered, so P-03 shows (not_in)
        "L-01": "bogus",
        "L-02": ("yes",),  # a tuple for a single-choice question
        "P-01": "",
        "P-02": ("alarm", "bogus"),  # one bad option spoils the multi answer
        "P-03": "yes",
        "R-1": "yes",
        "R-2": "   ",
        "OLD-99": "yes",  # from another bank version
    }
    card = score(mini, AnswerSet("state", 75, values))
    assert rec_scores(card) == {
        "R-LAW": None,
        "R-AUTH": None,
        "R-PP": None,
        "R-TRANS": approx(100),
        "R-REP": approx(100),
        "R-OPS": None,
    }
    assert card.coverage.answered == 2
    assert card.unknown_answered == ("OLD-99",)
    assert card.hidden_answered == ()
    multi, text = question_of(mini, "P-02"), question_of(mini, "S-NAME")
    assert valid_answer(multi, "alarm") is None  # a str for a multi
    assert valid_answer(multi, ("guard", "fence", "guard")) == ("fence", "guard")
    assert valid_answer(text, "  ") is None
    assert valid_answer(text, "Ruritania") == "Ruritania"


def test_question_score(mini: Bank) -> None:
    def q(question_id: str) -> Question:
        return question_of(mini, question_id)

    assert question_score(q("L-01"), "established") == 0.75
    assert question_score(q("L-02"), "na") is NA
    assert question_score(q("L-02"), "nope") is None
    assert question_score(q("S-TRANSPORT"), "no") is NA
    assert question_score(q("L-04"), "some") == 0.4
    assert question_score(q("P-02"), ("none",)) is NA  # only na chosen
    assert question_score(q("P-02"), ("none", "fence")) == 0.25  # na ignored
    assert question_score(q("P-02"), ("fence", "alarm", "guard")) == 1.0
    assert question_score(q("P-02"), ("fence", "alarm", "guard", "none")) == 1.0
    assert question_score(q("S-NAME"), "anything") is None  # unscored
    assert question_score(q("L-03"), "12") is None
    assert question_score(q("P-05"), "2024-01-01") is None
    scoping = replace(
        q("S-TRANSPORT"), options=(Option("yes", "Yes", None), Option("no", "No", None))
    )
    assert not is_scored(scoping)
    assert question_score(scoping, "yes") is None  # all options na: a scoping question


def test_effective_answers(mini: Bank) -> None:
    assert effective_answers(mini, AnswerSet("operator", 75, C_VALUES)) == {
        "S-TRANSPORT": "no",
        "L-01": "advanced",
        "L-04": "some",
        "P-01": "initial",
        "P-02": ("alarm", "none"),
        "R-3": "na",
    }


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (None, "Not assessed"),
        (0, "Not started"),
        (19.99, "Not started"),
        (20, "Initial"),
        (39.9, "Initial"),
        (40, "Developing"),
        (59.99, "Developing"),
        (60, "Established"),
        (79.99, "Established"),
        (80, "Advanced"),
        (100, "Advanced"),
    ],
)
def test_maturity_band(value: float | None, band: str) -> None:
    assert maturity_band(value) == band


@pytest.mark.parametrize("value", [-0.1, 100.1, float("nan")])
def test_maturity_band_rejects_out_of_range(value: float) -> None:
    with pytest.raises(ValueError):
        maturity_band(value)


def test_display_rounds_half_up() -> None:
    assert display(56.25) == 56.3
    assert display(68.75) == 68.8
    assert display(100 / 3) == 33.3
    assert display(0.6666666, 3) == 0.667
    assert display(None) is None


def test_answer_set_validation() -> None:
    with pytest.raises(ValueError):
        AnswerSet("ministry")
    with pytest.raises(ValueError):
        AnswerSet("state", 101)
    with pytest.raises(ValueError):
        AnswerSet("state", float("nan"))


# -- properties, on the mini bank and on the real bank if it loads ------------------------

BANK_PATHS = [pytest.param(MINI, id="mini"), pytest.param(REAL, id="real")]
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def need_bank(path: Path) -> Bank:
    bank = bank_at(path)
    if bank is None:
        pytest.skip(f"{path} does not load yet")
    return bank


def show_if_targets(bank: Bank) -> set[str]:
    """Ids of the questions some show_if looks at."""
    return {qid for q in bank.questions if q.show_if for qid in q.show_if.questions()}


def valid_values(question: Question) -> st.SearchStrategy[AnswerValue]:
    if question.type == "multi":
        values = [o.value for o in question.options]
        return st.lists(st.sampled_from(values), min_size=1, unique=True).map(tuple)
    if question.options:
        return st.sampled_from([o.value for o in question.options])
    return st.sampled_from(["12", "2024-05-01", "free text"])


INVALID: st.SearchStrategy[AnswerValue] = st.sampled_from(["bogus", ("bogus",), "", " "])


@st.composite
def answer_sets(draw: st.DrawFn, bank: Bank) -> AnswerSet:
    values: dict[str, AnswerValue] = {}
    for question in bank.questions:
        value = draw(st.one_of(st.none(), valid_values(question), INVALID))
        if value is not None:
            values[question.id] = value
    profile = draw(st.sampled_from(PROFILES))
    target = draw(st.floats(min_value=0, max_value=100))
    return AnswerSet(profile, target, values)


def rescore(bank: Bank, answers: AnswerSet, values: dict[str, AnswerValue]) -> Scorecard:
    """Score other values with the same profile and target."""
    return score(bank, AnswerSet(answers.profile, answers.target, values))


def all_scores(card: Scorecard) -> tuple[object, ...]:
    return (card.overall, theme_scores(card), rec_scores(card))


def top_value(question: Question) -> AnswerValue:
    scored = [o for o in question.options if o.score is not None]
    if question.type == "multi":
        return tuple(o.value for o in scored)
    return max(scored, key=lambda o: o.score or 0.0).value


@pytest.mark.parametrize("path", BANK_PATHS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_scores_are_in_range_and_consistent(path: Path, data: st.DataObject) -> None:
    bank = need_bank(path)
    answers = data.draw(answer_sets(bank))
    card = score(bank, answers)
    for value in [card.overall, *theme_scores(card).values(), *rec_scores(card).values()]:
        assert value is None or 0 <= value <= 100
    assert 0 <= card.coverage.answered <= card.coverage.applicable
    for rec in card.recommendations:
        assert (rec.score is None) == (rec.status != "scored")
        assert (rec.id in card.not_assessed) == (rec.status == "not_assessed")
        assert (rec.id in card.out_of_scope) == (rec.status == "out_of_scope")
    for gap in card.gaps:
        assert gap.score < answers.target and gap.severity > 0
    keys = [(-g.severity, g.recommendation) for g in card.gaps]
    assert keys == sorted(keys)
    assert {g.recommendation for g in card.gaps} == {
        r.id for r in card.recommendations if r.score is not None and r.score < answers.target
    }
    assert not set(card.hidden_answered) & card.applicable
    json.dumps(card.to_json())


@pytest.mark.parametrize("path", BANK_PATHS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_na_or_hidden_is_the_same_as_unanswered(path: Path, data: st.DataObject) -> None:
    bank = need_bank(path)
    answers = data.draw(answer_sets(bank))
    base = score(bank, answers)
    # hiding: drop every answer to a hidden question, then answer them all at random
    hidden = [q for q in bank.questions if q.id not in base.applicable]
    dropped = {k: v for k, v in answers.values.items() if k not in {q.id for q in hidden}}
    filled = dict(dropped)
    for question in hidden:
        filled[question.id] = data.draw(valid_values(question))
    for values in (dropped, filled):
        card = score(bank, AnswerSet(answers.profile, answers.target, values))
        assert all_scores(card) == all_scores(base)
        assert card.coverage == base.coverage
    assert score(bank, AnswerSet(answers.profile, answers.target, filled)).hidden_answered == (
        tuple(q.id for q in hidden)
    )
    # na: for a question no show_if looks at, na scores as if unanswered
    targets = show_if_targets(bank)
    with_na = [q for q in bank.questions if q.id not in targets and any(o.na for o in q.options)]
    assume(with_na)
    question = data.draw(st.sampled_from(with_na))
    na = next(o.value for o in question.options if o.na)
    na_value: AnswerValue = (na,) if question.type == "multi" else na
    unanswered = {k: v for k, v in answers.values.items() if k != question.id}
    left = rescore(bank, answers, unanswered)
    chose_na = rescore(bank, answers, unanswered | {question.id: na_value})
    assert all_scores(chose_na) == all_scores(left)


@pytest.mark.parametrize("path", BANK_PATHS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_invalid_is_the_same_as_unanswered(path: Path, data: st.DataObject) -> None:
    bank = need_bank(path)
    answers = data.draw(answer_sets(bank))
    valid = {
        k: v
        for k, v in answers.values.items()
        if (q := bank.question(k)) is not None and valid_answer(q, v) is not None
    }
    assert (
        score(bank, answers).to_json()
        == score(bank, AnswerSet(answers.profile, answers.target, valid)).to_json()
    )


@pytest.mark.parametrize("path", BANK_PATHS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_raising_an_answer_never_lowers_a_score(path: Path, data: st.DataObject) -> None:
    """Monotonicity, stated precisely.

    Let q be a scored question that applies and that no show_if looks at, answered a with
    score s(a) in [0, 1], and let b be an answer with s(b) >= s(a) (not na). Changing a to
    b changes no visibility and leaves the same contributions counted, only s(q) grows in
    each weighted mean, with the same denominator, so:
    - every recommendation score stays scored and does not decrease;
    - so the set of scored recommendations is unchanged and each theme mean and the
      overall mean (means over the same sets) do not decrease either.
    (Answering an unanswered question, or leaving na, adds a term and may lower a mean.)
    """
    bank = need_bank(path)
    answers = data.draw(answer_sets(bank))
    base = score(bank, answers)
    targets = show_if_targets(bank)
    eligible = [
        q
        for q in bank.questions
        if is_scored(q) and q.id in base.applicable and q.id not in targets
    ]
    assume(eligible)
    question = data.draw(st.sampled_from(eligible))
    low_value = data.draw(valid_values(question))
    high_value = data.draw(valid_values(question))
    low, high = question_score(question, low_value), question_score(question, high_value)
    assume(isinstance(low, float) and isinstance(high, float))
    assert isinstance(low, float) and isinstance(high, float)
    if high < low:
        low_value, high_value = high_value, low_value
    rest = dict(answers.values)
    before = rescore(bank, answers, rest | {question.id: low_value})
    after = rescore(bank, answers, rest | {question.id: high_value})
    assert before.applicable == after.applicable
    for old, new in zip(before.recommendations, after.recommendations, strict=True):
        assert (old.score is None) == (new.score is None)
        if old.score is not None:
            assert new.score is not None and new.score >= old.score
    for old_theme, new_theme in zip(before.themes, after.themes, strict=True):
        if old_theme.score is not None:
            assert new_theme.score is not None and new_theme.score >= old_theme.score
    if before.overall is not None:
        assert after.overall is not None and after.overall >= before.overall


@pytest.mark.parametrize("path", BANK_PATHS)
def test_every_scored_question_can_reach_full_marks(path: Path) -> None:
    """The premise of "everything at the top option scores 100"."""
    bank = need_bank(path)
    for question in bank.questions:
        if is_scored(question):
            assert question_score(question, top_value(question)) == 1.0, question.id


@pytest.mark.parametrize("path", BANK_PATHS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_everything_at_the_top_scores_100(path: Path, data: st.DataObject) -> None:
    bank = need_bank(path)
    values: dict[str, AnswerValue] = {}
    for question in bank.questions:
        if is_scored(question):
            values[question.id] = top_value(question)
        elif data.draw(st.booleans()):
            values[question.id] = data.draw(valid_values(question))
    profile = data.draw(st.sampled_from(PROFILES))
    target = data.draw(st.floats(min_value=0, max_value=100))
    card = score(bank, AnswerSet(profile, target, values))
    assert card.gaps == ()
    assert card.not_assessed == ()
    assert card.overall == 100.0
    assert all(r.score in (None, 100.0) for r in card.recommendations)
    assert all(t.score in (None, 100.0) for t in card.themes)
