"""Tests of assess.compare on the mini bank (see tests/test_scoring.py for its layout and
for the hand-computed scores of the A, B and C answer sets used here)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assess.bank import AnswerValue, Bank, load_bank
from assess.compare import Compared, change_of, compare
from assess.scoring import AnswerSet, score

from .test_scoring import A_VALUES, B_VALUES, C_VALUES

MINI = Path(__file__).parent / "fixtures" / "banks" / "mini"


@pytest.fixture(scope="module")
def mini() -> Bank:
    return load_bank(MINI)


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-9)


def when(year: int, month: int = 1) -> datetime:
    return datetime(year, month, 1, 12, 0, tzinfo=UTC)


def item(
    bank: Bank,
    id: int,
    profile: str,
    values: dict[str, AnswerValue],
    updated_at: datetime,
    target: float = 75,
) -> Compared:
    answers = AnswerSet(profile, target, values)
    return Compared(
        id=id,
        title=f"Assessment {id}",
        profile=profile,
        bank_version=bank.version,
        updated_at=updated_at,
        classification="RESTRICTED",
        answers=answers,
        scorecard=score(bank, answers),
    )


# -- two state assessments: B (2024) then A (2025) ---------------------------------------
# B: R-LAW 25, R-AUTH 0, R-PP 75, R-TRANS 0, R-REP 50; themes 12.5, 37.5, 50.
# A: R-LAW 50, R-AUTH 50, R-PP 62.5, R-TRANS 50, R-REP 100; themes 50, 56.25, 100.


@pytest.fixture
def state_pair(mini: Bank) -> tuple[Bank, list[Compared]]:
    newer = item(mini, 2, "state", A_VALUES, when(2025))
    older = item(mini, 1, "state", B_VALUES, when(2024))
    return mini, [newer, older]  # given newest first: compare orders them


def test_two_state_assessments(state_pair: tuple[Bank, list[Compared]]) -> None:
    bank, items = state_pair
    result = compare(bank, items)
    assert [i.id for i in result.items] == [1, 2]
    assert result.baseline.id == 1
    assert not result.mixed_profiles
    assert result.overall == (approx(100 / 3), approx(68.75))
    # B: 10 applicable; A: the same and P-04 (guard chosen)
    assert (result.comparability.common, result.comparability.any) == (10, 11)
    assert result.comparability.ratio == approx(10 / 11)
    assert [(t.id, t.scores, t.deltas) for t in result.themes] == [
        ("regime", (12.5, 50.0), (0.0, 37.5)),
        ("protection", (37.5, 56.25), (0.0, 18.75)),
        ("reporting", (50.0, 100.0), (0.0, 50.0)),
    ]
    assert [(r.id, r.change, r.delta) for r in result.recommendations] == [
        ("R-LAW", "improved", approx(25)),
        ("R-AUTH", "improved", approx(50)),
        ("R-PP", "regressed", approx(-12.5)),
        ("R-TRANS", "improved", approx(50)),
        ("R-REP", "improved", approx(50)),
        ("R-OPS", "not_comparable", None),
    ]
    # largest move first, ties by id
    assert [r.id for r in result.by_change("improved")] == ["R-AUTH", "R-REP", "R-TRANS", "R-LAW"]
    assert [r.id for r in result.by_change("regressed")] == ["R-PP"]
    assert result.by_change("unchanged") == ()
    # the same in both: P-03 (no), R-2 (unanswered); hidden L-04, R-3, P-05 count as None
    assert [q.id for q in result.questions] == [
        "S-TRANSPORT", "S-NAME", "L-01", "L-02", "L-03", "P-01", "P-02", "P-04", "R-1",
    ]  # fmt: skip
    rows = {q.id: q for q in result.questions}
    assert rows["S-TRANSPORT"].labels == ("Yes, unprotected", "Yes, and protected")
    assert rows["P-02"].values == (("fence",), ("alarm", "guard"))
    assert rows["P-02"].labels == ("Fence", "Alarm; Guard force")
    assert rows["P-04"].values == (None, "initial")
    assert rows["P-04"].labels == ("", "Initial: ad hoc, depends on individuals")
    assert rows["P-04"].applicable == (False, True)
    assert rows["S-NAME"].labels == ("", "Ruritania")
    # gaps in both: R-LAW (150, 75), R-AUTH (150, 50), R-TRANS (75, 25); by mean severity
    assert result.commonly_missed == ("R-LAW", "R-AUTH", "R-TRANS")
    assert list(result.trends) == ["state"]
    assert [(p.id, p.updated_at, p.overall) for p in result.trends["state"]] == [
        (1, when(2024), approx(100 / 3)),
        (2, when(2025), approx(68.75)),
    ]
    assert result.trends["state"][1].themes == {
        "regime": 50.0,
        "protection": 56.25,
        "reporting": 100.0,
    }


def test_two_state_assessments_json(state_pair: tuple[Bank, list[Compared]]) -> None:
    bank, items = state_pair
    data = compare(bank, items).to_json()
    json.dumps(data)
    assert set(data) == {
        "bank_version", "baseline", "mixed_profiles", "items", "comparability", "themes",
        "recommendations", "questions", "commonly_missed", "trends",
    }  # fmt: skip
    assert data["bank_version"] == "mini-1"
    assert data["baseline"] == 1
    assert data["mixed_profiles"] is False
    assert data["items"][0] == {
        "id": 1,
        "title": "Assessment 1",
        "profile": "state",
        "bank_version": "mini-1",
        "updated_at": "2024-01-01T12:00:00+00:00",
        "classification": "RESTRICTED",
        "target": 75.0,
        "overall": {"score": 33.3, "band": "Initial"},
        "coverage": {"answered": 7, "applicable": 10, "ratio": 0.7},
    }
    assert data["comparability"] == {"common": 10, "any": 11, "ratio": 0.909}
    assert data["themes"][1] == {
        "id": "protection",
        "title": "Protection",
        "scores": [37.5, 56.3],
        "bands": ["Initial", "Developing"],
        "deltas": [0.0, 18.8],
    }
    assert list(data["recommendations"]) == [
        "improved", "regressed", "unchanged", "not_comparable",
    ]  # fmt: skip
    assert data["recommendations"]["regressed"] == [
        {
            "id": "R-PP",
            "title": "Protection measures",
            "theme": "protection",
            "priority": "high",
            "scores": [75.0, 62.5],
            "delta": -12.5,
        }
    ]
    assert data["recommendations"]["not_comparable"] == [
        {
            "id": "R-OPS",
            "title": "Operator duties",
            "theme": "reporting",
            "priority": "low",
            "scores": [None, None],
            "delta": None,
        }
    ]
    assert data["questions"][6] == {
        "id": "P-02",
        "section": "protection",
        "text": "Which measures are in place?",
        "values": [["fence"], ["alarm", "guard"]],
        "labels": ["Fence", "Alarm; Guard force"],
        "applicable": [True, True],
    }
    assert data["commonly_missed"] == ["R-LAW", "R-AUTH", "R-TRANS"]
    assert data["trends"] == {
        "state": [
            {
                "id": 1,
                "updated_at": "2024-01-01T12:00:00+00:00",
                "overall": 33.3,
                "themes": {"regime": 12.5, "protection": 37.5, "reporting": 50.0},
            },
            {
                "id": 2,
                "updated_at": "2025-01-01T12:00:00+00:00",
                "overall": 68.8,
                "themes": {"regime": 50.0, "protection": 56.3, "reporting": 100.0},
            },
        ]
    }


# -- an operator (C, 2023, target 50) and a State (A, 2025, target 75) -------------------
# C: R-LAW 100, R-AUTH 60, R-PP 33.33, R-TRANS -, R-REP -, R-OPS 40; themes 80, 33.33, 40.
# C's gaps at 50: R-PP, R-OPS. A's gaps at 75: R-LAW, R-AUTH, R-PP, R-TRANS.


def test_different_profiles_and_targets(mini: Bank) -> None:
    state = item(mini, 7, "state", A_VALUES, when(2025))
    operator = item(mini, 3, "operator", C_VALUES, when(2023), target=50)
    result = compare(mini, [state, operator])
    assert [i.id for i in result.items] == [3, 7]
    assert result.mixed_profiles
    # C: S-TRANSPORT S-NAME L-01 L-03 L-04 P-01 P-02 R-1 R-3 (9)
    # A: S-TRANSPORT S-NAME L-01 L-02 L-03 P-01 P-02 P-03 P-04 R-1 R-2 (11)
    assert (result.comparability.common, result.comparability.any) == (7, 13)
    assert [(t.id, t.scores, t.deltas) for t in result.themes] == [
        ("regime", (approx(80), approx(50)), (0.0, approx(-30))),
        ("protection", (approx(100 / 3), approx(56.25)), (0.0, approx(56.25 - 100 / 3))),
        ("reporting", (approx(40), approx(100)), (0.0, approx(60))),
    ]
    assert [(r.id, r.change) for r in result.recommendations] == [
        ("R-LAW", "regressed"),
        ("R-AUTH", "regressed"),
        ("R-PP", "improved"),
        ("R-TRANS", "not_comparable"),  # out of scope for C
        ("R-REP", "not_comparable"),  # not assessed in C
        ("R-OPS", "not_comparable"),  # out of scope for A
    ]
    assert [r.id for r in result.by_change("regressed")] == ["R-LAW", "R-AUTH"]
    # the same in both: P-05 and R-2 (None in both)
    assert [q.id for q in result.questions] == [
        "S-TRANSPORT", "S-NAME", "L-01", "L-02", "L-03", "L-04", "P-01", "P-02", "P-03",
        "P-04", "R-1", "R-3",
    ]  # fmt: skip
    rows = {q.id: q for q in result.questions}
    assert rows["L-02"].values == (None, "partial")  # C answered it, but it is hidden there
    assert rows["L-02"].applicable == (False, True)
    assert rows["R-3"].labels == ("Not applicable", "")
    assert rows["P-02"].labels == ("Alarm; None apply", "Alarm; Guard force")
    assert result.commonly_missed == ("R-PP",)  # R-AUTH (60) is no gap at C's target of 50
    assert list(result.trends) == ["state", "operator"]
    assert [p.id for p in result.trends["state"]] == [7]
    assert [p.id for p in result.trends["operator"]] == [3]
    assert compare(mini, [state, operator]).to_json()["mixed_profiles"] is True


# -- six assessments: only L-01 answered, from not_started to advanced ------------------


def test_six_assessments(mini: Bank) -> None:
    levels = ["not_started", "initial", "developing", "established", "advanced", "advanced"]
    items = [
        item(mini, 10 + n, "state", {"L-01": level}, when(2020 + n))
        for n, level in enumerate(levels)
    ]
    result = compare(mini, list(reversed(items)))
    assert [i.id for i in result.items] == [10, 11, 12, 13, 14, 15]
    assert result.overall == (0.0, 25.0, 50.0, 75.0, 100.0, 100.0)
    assert (result.comparability.common, result.comparability.any) == (10, 10)
    assert result.comparability.ratio == 1.0
    regime = result.themes[0]
    assert regime.scores == (0.0, 25.0, 50.0, 75.0, 100.0, 100.0)
    assert regime.deltas == (0.0, 25.0, 50.0, 75.0, 100.0, 100.0)
    assert result.themes[1].scores == (None,) * 6
    assert result.themes[1].deltas == (None,) * 6
    changes = {r.id: (r.change, r.delta) for r in result.recommendations}
    assert changes["R-LAW"] == ("improved", 100.0)
    assert changes["R-AUTH"] == ("improved", 100.0)
    assert changes["R-PP"] == ("not_comparable", None)
    assert [q.id for q in result.questions] == ["L-01"]
    assert result.questions[0].labels[4] == "Advanced: reviewed and improved regularly"
    assert result.commonly_missed == ()  # no gap in the last two
    assert [p.overall for p in result.trends["state"]] == [0.0, 25.0, 50.0, 75.0, 100.0, 100.0]
    assert [p.updated_at.year for p in result.trends["state"]] == list(range(2020, 2026))


def test_same_time_is_ordered_by_id(mini: Bank) -> None:
    first = item(mini, 5, "state", {"L-01": "advanced"}, when(2024))
    second = item(mini, 4, "state", {"L-01": "advanced"}, when(2024))
    result = compare(mini, [first, second])
    assert [i.id for i in result.items] == [4, 5]
    assert result.questions == ()
    assert {r.change for r in result.recommendations if r.id in ("R-LAW", "R-AUTH")} == {
        "unchanged"
    }


@pytest.mark.parametrize("count", [0, 1, 7])
def test_two_to_six_items(mini: Bank, count: int) -> None:
    items = [item(mini, n, "state", {}, when(2000 + n)) for n in range(count)]
    with pytest.raises(ValueError, match="2 to 6"):
        compare(mini, items)


def test_the_same_assessment_twice_is_refused(mini: Bank) -> None:
    one = item(mini, 1, "state", {}, when(2024))
    with pytest.raises(ValueError):
        compare(mini, [one, one])


def test_profile_must_match_the_answers(mini: Bank) -> None:
    answers = AnswerSet("state")
    with pytest.raises(ValueError):
        Compared(1, "x", "operator", "mini-1", when(2024), "", answers, score(mini, answers))


@pytest.mark.parametrize(
    ("first", "last", "change"),
    [
        (50.0, 50.05, "improved"),  # 0.05 exactly (0.0499999... in floats) is a change
        (50.0, 50.04, "unchanged"),
        (50.0, 49.96, "unchanged"),
        (50.0, 49.95, "regressed"),
        (10.0, 10.0, "unchanged"),
        (None, 10.0, "not_comparable"),
        (10.0, None, "not_comparable"),
    ],
)
def test_change_of(first: float | None, last: float | None, change: str) -> None:
    assert change_of(first, last)[0] == change
