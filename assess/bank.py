"""Load and validate the question bank (questions/) into frozen dataclasses.

Pure: reads files, but knows nothing of Flask or the database. Every validation error
names the file and line it comes from, as `file:line: message`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .yamlsource import Located, LocatedDict, load_located

QUESTION_TYPES = ("maturity", "yes_partial_no", "choice", "multi", "text", "number", "date")
SCORED_TYPES = frozenset({"maturity", "yes_partial_no", "choice", "multi"})
PROFILES = ("state", "operator")
PRIORITIES = ("high", "medium", "low")
PRIORITY_FACTOR = {"high": 3, "medium": 2, "low": 1}

AnswerValue = str | tuple[str, ...]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: float | None  # None when the option means "not applicable"

    @property
    def na(self) -> bool:
        return self.score is None


DEFAULT_OPTIONS: dict[str, tuple[Option, ...]] = {
    "maturity": (
        Option("not_started", "Not started: nothing in place", 0.0),
        Option("initial", "Initial: ad hoc, depends on individuals", 0.25),
        Option("developing", "Developing: partly defined and applied", 0.5),
        Option("established", "Established: defined, applied and documented", 0.75),
        Option("advanced", "Advanced: reviewed and improved regularly", 1.0),
    ),
    "yes_partial_no": (
        Option("yes", "Yes", 1.0),
        Option("partial", "Partly", 0.5),
        Option("no", "No", 0.0),
    ),
}
NA_OPTION = Option("na", "Not applicable", None)


@dataclass(frozen=True)
class Condition:
    """A `show_if` condition: a leaf (in / not_in / includes) or a combination (all / any)."""

    kind: str
    question: str | None = None
    values: tuple[str, ...] = ()
    children: tuple[Condition, ...] = ()

    def holds(self, answers: Mapping[str, AnswerValue]) -> bool:
        """Return whether the condition is true for these (visible) answers."""
        if self.kind == "all":
            return all(child.holds(answers) for child in self.children)
        if self.kind == "any":
            return any(child.holds(answers) for child in self.children)
        if self.question is None:
            raise ValueError(f"a '{self.kind}' condition names no question")
        answer = answers.get(self.question)
        chosen = set(answer) if isinstance(answer, tuple) else ({answer} if answer else set())
        if self.kind == "in":
            return bool(chosen & set(self.values))
        if self.kind == "includes":
            return bool(chosen & set(self.values))
        return not (chosen & set(self.values))  # not_in

    def questions(self) -> Iterable[str]:
        """Yield the ids of the questions this condition looks at."""
        if self.question:
            yield self.question
        for child in self.children:
            yield from child.questions()

    def describe(self) -> str:
        """Return the condition in words, for the bank dump and the question's help."""
        if self.kind in ("all", "any"):
            joiner = " and " if self.kind == "all" else " or "
            return "(" + joiner.join(child.describe() for child in self.children) + ")"
        words = {"in": "is one of", "not_in": "is not one of", "includes": "includes"}
        return f"{self.question} {words[self.kind]} {', '.join(self.values)}"


@dataclass(frozen=True)
class Support:
    recommendation: str
    weight: float


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    text: str
    help: str
    type: str
    options: tuple[Option, ...]
    profiles: frozenset[str]
    show_if: Condition | None
    supports: tuple[Support, ...]
    reference: str
    evidence_hint: str

    @property
    def scored(self) -> bool:
        return self.type in SCORED_TYPES

    @property
    def has_options(self) -> bool:
        return bool(self.options)

    def option(self, value: str) -> Option | None:
        """Return the option with this value, or None."""
        for option in self.options:
            if option.value == value:
                return option
        return None

    def label_of(self, value: AnswerValue | None) -> str:
        """Return the answer as a person reads it (option labels, not values)."""
        if value is None or value == "" or value == ():
            return ""
        if isinstance(value, tuple):
            return "; ".join(self.label_of(v) for v in value)
        if self.options:
            option = self.option(value)
            return option.label if option else value
        return value


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    order: int
    description: str
    questions: tuple[Question, ...]

    def questions_for(self, profile: str) -> tuple[Question, ...]:
        """Return the questions of this section asked of the profile."""
        return tuple(q for q in self.questions if profile in q.profiles)


@dataclass(frozen=True)
class Theme:
    id: str
    title: str


@dataclass(frozen=True)
class Recommendation:
    id: str
    title: str
    text: str
    source: str
    priority: str
    theme: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentItem:
    id: str
    title: str
    questions: tuple[str, ...]
    guidance: str = ""


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    description: str
    items: tuple[InstrumentItem, ...]


@dataclass(frozen=True)
class MatrixRow:
    """One row of the 1540-style matrix: a fundamental principle, one question per column."""

    id: str
    title: str
    cells: tuple[tuple[str, ...], ...]  # per column, the question ids that decide the cell


@dataclass(frozen=True)
class Matrix:
    title: str
    columns: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class Bank:
    version: str
    themes: tuple[Theme, ...]
    recommendations: tuple[Recommendation, ...]
    sections: tuple[Section, ...]
    instruments: tuple[Instrument, ...] = ()
    matrix: Matrix | None = None
    _questions: Mapping[str, Question] = field(default_factory=dict, repr=False)
    _recommendations: Mapping[str, Recommendation] = field(default_factory=dict, repr=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in the order they are asked."""
        return tuple(self._questions.values())

    def question(self, question_id: str) -> Question | None:
        """Return the question with this id, or None."""
        return self._questions.get(question_id)

    def recommendation(self, recommendation_id: str) -> Recommendation:
        """Return the recommendation with this id (KeyError if unknown)."""
        return self._recommendations[recommendation_id]

    def section(self, section_id: str) -> Section | None:
        """Return the section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def questions_for(self, profile: str) -> tuple[Question, ...]:
        """Every question asked of the profile, in order."""
        return tuple(q for q in self._questions.values() if profile in q.profiles)

    def sections_for(self, profile: str) -> tuple[Section, ...]:
        """The sections that have at least one question for the profile."""
        return tuple(s for s in self.sections if s.questions_for(profile))


def applicable_questions(
    bank: Bank, profile: str, answers: Mapping[str, AnswerValue]
) -> frozenset[str]:
    """Return the ids of the questions that apply: asked of the profile, condition true.

    Conditions are evaluated in order, so a condition on a question that is itself hidden
    sees that question as unanswered.
    """
    visible: dict[str, AnswerValue] = {}
    applicable: set[str] = set()
    for question in bank.questions_for(profile):
        if question.show_if is None or question.show_if.holds(visible):
            applicable.add(question.id)
            if question.id in answers:
                visible[question.id] = answers[question.id]
    return frozenset(applicable)


class BankError(Exception):
    """The bank did not validate; `errors` holds every `file:line: message`."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def load_bank(directory: str | Path) -> Bank:
    """Load questions/ and return the Bank; raise BankError listing every problem."""
    return _Loader(Path(directory)).load()


_cache: dict[tuple[str, tuple[tuple[str, float], ...]], Bank] = {}


def load_bank_cached(directory: str | Path) -> Bank:
    """Return load_bank(directory), reusing the result while no file in it has changed."""
    root = Path(directory)
    stamp = tuple(sorted((str(p), p.stat().st_mtime) for p in root.rglob("*.yaml")))
    key = (str(root.resolve()), stamp)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_bank(root)
    return _cache[key]


RECOMMENDATION_KEYS = {"id", "title", "text", "source", "priority", "theme", "actions"}
SECTION_KEYS = {"id", "title", "order", "description", "questions"}
QUESTION_KEYS = {
    "id", "text", "help", "type", "options", "allow_na", "profiles", "show_if",
    "supports", "reference", "evidence_hint",
}  # fmt: skip
OPTION_KEYS = {"value", "label", "score", "na"}
INSTRUMENT_KEYS = {"id", "title", "description", "items"}
ITEM_KEYS = {"id", "title", "questions", "guidance"}


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.errors: list[str] = []
        self.recommendation_places: dict[str, Located] = {}

    # -- helpers -------------------------------------------------------------------------
    def error(self, node: Located | None, message: str, path: Path | None = None) -> None:
        if node is not None:
            self.errors.append(f"{node.file}:{node.line}: {message}")
        else:
            self.errors.append(f"{path}:1: {message}")

    def read(self, path: Path) -> Any:
        try:
            return load_located(path, self._display(path))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            self.errors.append(f"{self._display(path)}:{line}: invalid YAML: {problem}")
        except OSError as exc:
            self.errors.append(f"{self._display(path)}:1: cannot read: {exc.strerror}")
        return None

    def _display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def mapping(self, node: Any, where: Located | None, what: str, path: Path) -> bool:
        if isinstance(node, LocatedDict):
            return True
        if where is not None:
            self.error(where, f"{what} must be a mapping")
        else:
            self.error(None, f"{what} must be a mapping", self._display(path))  # type: ignore[arg-type]
        return False

    def unknown_keys(self, node: LocatedDict, allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.error(node.at(key), f"unknown key '{key}' in {what}")

    def text(self, node: LocatedDict, key: str, what: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.error(node, f"{what} is missing '{key}'")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(node.at(key), f"'{key}' of {what} must be text")
            return ""
        if isinstance(value, str) and not value.strip() and required:
            self.error(node.at(key), f"'{key}' of {what} must not be empty")
        return str(value).strip()

    # -- files ---------------------------------------------------------------------------
    def load(self) -> Bank:
        recommendations_file = self.root / "recommendations.yaml"
        doc = self.read(recommendations_file)
        version, themes, recommendations = "", [], []
        if doc is not None and self.mapping(doc, None, "recommendations.yaml", self.root):
            self.unknown_keys(doc, {"version", "themes", "recommendations"}, "the file")
            version = self.text(doc, "version", "the bank")
            themes = self.load_themes(doc)
            recommendations = self.load_recommendations(doc, {t.id for t in themes})
        sections = self.load_sections({r.id for r in recommendations})
        questions = {q.id: q for s in sections for q in s.questions}
        instruments, matrix = self.load_instruments(questions)
        self.check_support(recommendations, sections)
        if self.errors:
            raise BankError(self.errors)
        return Bank(
            version=version,
            themes=tuple(themes),
            recommendations=tuple(recommendations),
            sections=tuple(sections),
            instruments=tuple(instruments),
            matrix=matrix,
            _questions=questions,
            _recommendations={r.id: r for r in recommendations},
        )

    def load_themes(self, doc: LocatedDict) -> list[Theme]:
        themes: list[Theme] = []
        raw = doc.get("themes")
        if not isinstance(raw, list) or not raw:
            self.error(doc, "'themes' must be a non-empty list")
            return themes
        seen: set[str] = set()
        for node in raw:
            if not isinstance(node, LocatedDict):
                self.error(doc.at("themes"), "each theme must be a mapping")
                continue
            self.unknown_keys(node, {"id", "title"}, "a theme")
            theme = Theme(self.text(node, "id", "a theme"), self.text(node, "title", "a theme"))
            if theme.id in seen:
                self.error(node, f"duplicate theme id '{theme.id}'")
            seen.add(theme.id)
            themes.append(theme)
        return themes

    def load_recommendations(self, doc: LocatedDict, theme_ids: set[str]) -> list[Recommendation]:
        result: list[Recommendation] = []
        raw = doc.get("recommendations")
        if not isinstance(raw, list) or not raw:
            self.error(doc, "'recommendations' must be a non-empty list")
            return result
        seen: set[str] = set()
        for node in raw:
            if not isinstance(node, LocatedDict):
                self.error(doc.at("recommendations"), "each recommendation must be a mapping")
                continue
            self.unknown_keys(node, RECOMMENDATION_KEYS, "a recommendation")
            rid = self.text(node, "id", "a recommendation")
            what = f"recommendation '{rid}'"
            if rid in seen:
                self.error(node.at("id"), f"duplicate recommendation id '{rid}'")
            seen.add(rid)
            self.recommendation_places[rid] = node.at("id")
            priority = self.text(node, "priority", what)
            if priority and priority not in PRIORITIES:
                self.error(node.at("priority"), f"{what}: priority must be high, medium or low")
            theme = self.text(node, "theme", what)
            if theme and theme not in theme_ids:
                self.error(node.at("theme"), f"{what}: unknown theme '{theme}'")
            actions = node.get("actions")
            if not isinstance(actions, list) or not actions:
                self.error(node, f"{what}: 'actions' must be a non-empty list")
                actions = []
            result.append(
                Recommendation(
                    id=rid,
                    title=self.text(node, "title", what),
                    text=self.text(node, "text", what),
                    source=self.text(node, "source", what),
                    priority=priority,
                    theme=theme,
                    actions=tuple(str(a) for a in actions),
                )
            )
        return result

    def load_sections(self, recommendation_ids: set[str]) -> list[Section]:
        directory = self.root / "sections"
        files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
        if not files:
            self.errors.append(f"{self._display(directory)}:1: no section files (*.yaml)")
            return []
        loaded: list[tuple[int, LocatedDict]] = []
        for path in files:
            doc = self.read(path)
            if doc is None or not self.mapping(doc, None, "a section file", path):
                continue
            self.unknown_keys(doc, SECTION_KEYS, "a section")
            order = doc.get("order")
            if not isinstance(order, int) or isinstance(order, bool):
                self.error(doc, "a section needs a whole number 'order'")
                order = 0
            loaded.append((order, doc))
        loaded.sort(key=lambda pair: pair[0])
        sections: list[Section] = []
        asked: dict[str, Question] = {}
        section_ids: set[str] = set()
        for order, doc in loaded:
            sid = self.text(doc, "id", "a section")
            if sid in section_ids:
                self.error(doc.at("id"), f"duplicate section id '{sid}'")
            section_ids.add(sid)
            raw = doc.get("questions")
            if not isinstance(raw, list) or not raw:
                self.error(doc, f"section '{sid}' needs a non-empty 'questions' list")
                raw = []
            questions = []
            for node in raw:
                question = self.load_question(node, doc, sid, asked, recommendation_ids)
                if question is not None:
                    asked[question.id] = question
                    questions.append(question)
            sections.append(
                Section(
                    id=sid,
                    title=self.text(doc, "title", f"section '{sid}'"),
                    order=order,
                    description=self.text(doc, "description", f"section '{sid}'", False),
                    questions=tuple(questions),
                )
            )
        return sections

    def load_question(
        self,
        node: Any,
        section: LocatedDict,
        section_id: str,
        asked: Mapping[str, Question],
        recommendation_ids: set[str],
    ) -> Question | None:
        if not isinstance(node, LocatedDict):
            self.error(section.at("questions"), "each question must be a mapping")
            return None
        self.unknown_keys(node, QUESTION_KEYS, "a question")
        qid = self.text(node, "id", "a question")
        what = f"question '{qid}'"
        if qid in asked:
            self.error(node.at("id"), f"duplicate question id '{qid}'")
        qtype = self.text(node, "type", what)
        if qtype and qtype not in QUESTION_TYPES:
            self.error(node.at("type"), f"{what}: unknown type '{qtype}'")
        options = self.load_options(node, qtype, what)
        profiles = node.get("profiles")
        if (
            not isinstance(profiles, list)
            or not profiles
            or any(p not in PROFILES for p in profiles)
        ):
            self.error(node.at("profiles"), f"{what}: profiles must list state and/or operator")
            profiles = []
        supports = self.load_supports(node, what, recommendation_ids)
        show_if = None
        if "show_if" in node:
            show_if = self.load_condition(node["show_if"], node.at("show_if"), what, asked)
        return Question(
            id=qid,
            section=section_id,
            text=self.text(node, "text", what),
            help=self.text(node, "help", what, False),
            type=qtype,
            options=options,
            profiles=frozenset(profiles),
            show_if=show_if,
            supports=supports,
            reference=self.text(node, "reference", what),
            evidence_hint=self.text(node, "evidence_hint", what, False),
        )

    def load_options(self, node: LocatedDict, qtype: str, what: str) -> tuple[Option, ...]:
        raw = node.get("options")
        options: list[Option] = []
        if raw is None:
            if qtype in ("choice", "multi"):
                self.error(node, f"{what}: a {qtype} question needs 'options'")
            options = list(DEFAULT_OPTIONS.get(qtype, ()))
        elif qtype not in SCORED_TYPES:
            self.error(node.at("options"), f"{what}: a {qtype} question takes no options")
        elif not isinstance(raw, list) or not raw:
            self.error(node.at("options"), f"{what}: 'options' must be a non-empty list")
        else:
            seen: set[str] = set()
            for item in raw:
                if not isinstance(item, LocatedDict):
                    self.error(node.at("options"), f"{what}: each option must be a mapping")
                    continue
                self.unknown_keys(item, OPTION_KEYS, "an option")
                value = self.text(item, "value", f"an option of {what}")
                if value in seen:
                    self.error(item, f"{what}: duplicate option value '{value}'")
                seen.add(value)
                options.append(self.load_option(item, value, what))
        if node.get("allow_na") is True:
            if qtype not in SCORED_TYPES:
                self.error(node.at("allow_na"), f"{what}: allow_na needs a scored type")
            elif all(o.value != NA_OPTION.value for o in options):
                options.append(NA_OPTION)
        if qtype == "multi" and options and sum(o.score or 0 for o in options) <= 0:
            self.error(node.at("options"), f"{what}: a multi question needs a positive score")
        return tuple(options)

    def load_option(self, item: LocatedDict, value: str, what: str) -> Option:
        label = self.text(item, "label", f"option '{value}' of {what}")
        na = item.get("na", False)
        score = item.get("score")
        if na is True:
            if score is not None:
                self.error(item.at("score"), f"{what}: option '{value}' has both na and score")
            return Option(value, label, None)
        if isinstance(score, bool) or not isinstance(score, int | float):
            self.error(item, f"{what}: option '{value}' needs a score or na: true")
            return Option(value, label, 0.0)
        if not 0 <= score <= 1:
            self.error(item.at("score"), f"{what}: score {score} of '{value}' is outside [0, 1]")
        return Option(value, label, float(score))

    def load_supports(
        self, node: LocatedDict, what: str, recommendation_ids: set[str]
    ) -> tuple[Support, ...]:
        raw = node.get("supports")
        if not isinstance(raw, list) or not raw:
            self.error(node, f"{what} supports no recommendation")
            return ()
        supports = []
        for item in raw:
            if not isinstance(item, LocatedDict):
                self.error(node.at("supports"), f"{what}: each support must be a mapping")
                continue
            self.unknown_keys(item, {"recommendation", "weight"}, "a support")
            rid = self.text(item, "recommendation", f"a support of {what}")
            if rid and rid not in recommendation_ids:
                self.error(item.at("recommendation"), f"{what}: unknown recommendation '{rid}'")
            weight = item.get("weight", 1)
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                self.error(item.at("weight"), f"{what}: weight must be a positive number")
                weight = 1
            supports.append(Support(rid, float(weight)))
        return tuple(supports)

    def load_condition(
        self, node: Any, where: Located, what: str, asked: Mapping[str, Question]
    ) -> Condition | None:
        if not isinstance(node, LocatedDict):
            self.error(where, f"{what}: show_if must be a mapping")
            return None
        if "all" in node or "any" in node:
            kind = "all" if "all" in node else "any"
            self.unknown_keys(node, {kind}, "a condition")
            raw = node[kind]
            if not isinstance(raw, list) or not raw:
                self.error(node, f"{what}: '{kind}' needs a non-empty list of conditions")
                return None
            children = [self.load_condition(child, node, what, asked) for child in raw]
            if any(child is None for child in children):
                return None
            return Condition(kind, children=tuple(c for c in children if c is not None))
        kinds = [k for k in ("in", "not_in", "includes") if k in node]
        self.unknown_keys(node, {"question", "in", "not_in", "includes"}, "a condition")
        if len(kinds) != 1 or "question" not in node:
            self.error(node, f"{what}: a condition needs 'question' and in, not_in or includes")
            return None
        kind = kinds[0]
        target_id = str(node["question"])
        target = asked.get(target_id)
        if target is None:
            self.error(
                node.at("question"),
                f"{what}: condition on unknown or later question '{target_id}'",
            )
            return None
        raw_values = node[kind]
        raw_values = raw_values if isinstance(raw_values, list) else [raw_values]
        values = tuple(str(v) for v in raw_values)
        if kind == "includes" and target.type != "multi":
            self.error(node.at(kind), f"{what}: 'includes' needs a multi question")
        for value in values:
            if target.option(value) is None:
                self.error(node.at(kind), f"{what}: '{value}' is not an option of '{target_id}'")
        return Condition(kind, question=target_id, values=values)

    def load_instruments(
        self, questions: Mapping[str, Question]
    ) -> tuple[list[Instrument], Matrix | None]:
        path = self.root / "instruments.yaml"
        if not path.exists():
            return [], None
        doc = self.read(path)
        if doc is None or not self.mapping(doc, None, "instruments.yaml", path):
            return [], None
        self.unknown_keys(doc, {"instruments", "matrix"}, "the file")
        instruments: list[Instrument] = []
        seen: set[str] = set()
        for node in doc.get("instruments") or []:
            if not isinstance(node, LocatedDict):
                self.error(doc.at("instruments"), "each instrument must be a mapping")
                continue
            self.unknown_keys(node, INSTRUMENT_KEYS, "an instrument")
            iid = self.text(node, "id", "an instrument")
            if iid in seen:
                self.error(node.at("id"), f"duplicate instrument id '{iid}'")
            seen.add(iid)
            items = []
            item_ids: set[str] = set()
            for item in node.get("items") or []:
                if not isinstance(item, LocatedDict):
                    self.error(node.at("items"), f"instrument '{iid}': each item must be a mapping")
                    continue
                self.unknown_keys(item, ITEM_KEYS, "an instrument item")
                item_id = self.text(item, "id", f"an item of '{iid}'")
                if item_id in item_ids:
                    self.error(item.at("id"), f"instrument '{iid}': duplicate item '{item_id}'")
                item_ids.add(item_id)
                where = f"item '{iid}/{item_id}'"
                feeding = self.question_list(item, "questions", where, questions)
                items.append(
                    InstrumentItem(
                        id=item_id,
                        title=self.text(item, "title", f"item '{iid}/{item_id}'"),
                        questions=feeding,
                        guidance=self.text(item, "guidance", f"item '{iid}/{item_id}'", False),
                    )
                )
            if not items:
                self.error(node, f"instrument '{iid}' has no items")
            instruments.append(
                Instrument(
                    id=iid,
                    title=self.text(node, "title", f"instrument '{iid}'"),
                    description=self.text(node, "description", f"instrument '{iid}'", False),
                    items=tuple(items),
                )
            )
        return instruments, self.load_matrix(doc, questions)

    def question_list(
        self, node: LocatedDict, key: str, what: str, questions: Mapping[str, Question]
    ) -> tuple[str, ...]:
        raw = node.get(key)
        if not isinstance(raw, list) or not raw:
            self.error(node, f"{what}: '{key}' must be a non-empty list of question ids")
            return ()
        for qid in raw:
            if str(qid) not in questions:
                self.error(node.at(key), f"{what}: unknown question '{qid}'")
        return tuple(str(q) for q in raw)

    def load_matrix(self, doc: LocatedDict, questions: Mapping[str, Question]) -> Matrix | None:
        node = doc.get("matrix")
        if node is None:
            return None
        if not isinstance(node, LocatedDict):
            self.error(doc.at("matrix"), "'matrix' must be a mapping")
            return None
        self.unknown_keys(node, {"title", "columns", "rows"}, "the matrix")
        columns = node.get("columns")
        if not isinstance(columns, list) or not columns:
            self.error(node, "the matrix needs a non-empty 'columns' list")
            return None
        rows: list[MatrixRow] = []
        for row in node.get("rows") or []:
            if not isinstance(row, LocatedDict):
                self.error(node.at("rows"), "each matrix row must be a mapping")
                continue
            self.unknown_keys(row, {"id", "title", "cells"}, "a matrix row")
            rid = self.text(row, "id", "a matrix row")
            cells = row.get("cells")
            if not isinstance(cells, list) or len(cells) != len(columns):
                self.error(row, f"matrix row '{rid}' needs one cell per column ({len(columns)})")
                continue
            parsed = []
            for cell in cells:
                ids = cell if isinstance(cell, list) else [cell]
                for qid in ids:
                    if str(qid) not in questions:
                        self.error(row.at("cells"), f"matrix row '{rid}': unknown question '{qid}'")
                parsed.append(tuple(str(q) for q in ids))
            title = self.text(row, "title", f"matrix row '{rid}'")
            rows.append(MatrixRow(rid, title, tuple(parsed)))
        return Matrix(
            title=self.text(node, "title", "the matrix", False),
            columns=tuple(str(c) for c in columns),
            rows=tuple(rows),
        )

    def check_support(self, recommendations: list[Recommendation], sections: list[Section]) -> None:
        supported = {
            s.recommendation
            for section in sections
            for q in section.questions
            if q.scored and q.profiles
            for s in q.supports
        }
        if not sections:
            return
        for recommendation in recommendations:
            if recommendation.id not in supported:
                self.error(
                    self.recommendation_places.get(recommendation.id),
                    f"recommendation '{recommendation.id}' is supported by no scored question",
                )
