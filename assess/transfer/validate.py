"""Read an `assess/assessment@1` document back, validated against the question bank.

Pure: no Flask, no database, no I/O. Everything is checked before anything is stored, and
each problem is reported with its place, e.g. `answers[3].value: 'maybe' is not an option
of REG-02`. Answers to question ids this bank does not have are not errors: they are
returned apart (`Imported.unknown`), to be kept aside with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime

from ..bank import PROFILES, Bank, Question
from .document import (
    ANSWER_KEYS,
    FORMAT,
    LIMITS,
    MAX_BYTES,
    META_KEYS,
    STATUSES,
    TEXT_LIMITS,
    AnswerRecord,
    Imported,
    InvalidDocument,
    Meta,
    StoredValue,
)

NUMBER = re.compile(r"^-?\d{1,15}([.,]\d{1,6})?$")


def parse_document(raw: bytes, bank: Bank) -> Imported:
    """Decode, parse and validate a document file; raise InvalidDocument naming each problem."""
    if len(raw) > MAX_BYTES:
        raise InvalidDocument(
            [f"file: {len(raw) / 1024 / 1024:.1f} MB is over the {MAX_BYTES // 2**20} MB limit"]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidDocument(
            [f"file: not UTF-8 text (bad byte at offset {error.start})"]
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        place = f"line {error.lineno}, column {error.colno}"
        raise InvalidDocument([f"{place}: malformed JSON: {error.msg}"]) from None
    except RecursionError:
        raise InvalidDocument(["file: malformed JSON: nested too deeply"]) from None
    place = _nul_place(document, "")
    if place is not None:
        raise InvalidDocument([f"{place or 'file'}: contains a NUL character (\\u0000)"])
    return read_document(document, bank)


def _nul_place(node: object, place: str) -> str | None:
    """Return where a string holding a NUL character is (no database stores one), or None."""
    if isinstance(node, str):
        return place if "\x00" in node else None
    if isinstance(node, dict):
        items = [
            (f"{place}.{key}" if place else str(key), key, value) for key, value in node.items()
        ]
        for where, key, value in items:
            if "\x00" in str(key):
                return where
            found = _nul_place(value, where)
            if found is not None:
                return found
    if isinstance(node, list):
        for index, value in enumerate(node):
            found = _nul_place(value, f"{place}[{index}]")
            if found is not None:
                return found
    return None


def read_document(document: object, bank: Bank) -> Imported:
    """Validate a parsed document against the bank; raise InvalidDocument naming each problem."""
    reader = _Reader(bank)
    return reader.read(document)


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


class _Reader:
    def __init__(self, bank: Bank):
        self.bank = bank
        self.problems: list[str] = []

    def problem(self, place: str, message: str) -> None:
        self.problems.append(f"{place}: {message}")

    def read(self, document: object) -> Imported:
        if not isinstance(document, dict):
            raise InvalidDocument([f"(document): expected a JSON object, got {_kind(document)}"])
        fmt = document.get("format")
        if fmt != FORMAT:
            found = "missing" if "format" not in document else f"{fmt!r} is not {FORMAT!r}"
            raise InvalidDocument([f"format: {found}; this is not an assess assessment file"])
        bank_part = self.section(document, "bank", ("version",))
        version = self.text(bank_part, "bank", "version", LIMITS["version"]) if bank_part else ""
        meta = self.meta(self.section(document, "assessment", META_KEYS))
        answers, unknown, not_asked = self.answers(document, meta.profile if meta else "")
        if self.problems or meta is None:
            raise InvalidDocument(self.problems)
        return Imported(version, meta, tuple(answers), tuple(unknown), tuple(not_asked))

    def section(self, parent: dict, key: str, keys: tuple[str, ...]) -> dict | None:
        if key not in parent:
            self.problem(key, "missing")
            return None
        node = parent[key]
        if not isinstance(node, dict):
            self.problem(key, f"expected an object, got {_kind(node)}")
            return None
        for name in keys:
            if name not in node:
                self.problem(f"{key}.{name}", "missing")
        return node

    def text(self, node: Mapping, where: str, key: str, limit: int, blank: bool = False) -> str:
        value = node.get(key)
        if key not in node:
            return ""  # reported by section()
        if not isinstance(value, str):
            self.problem(f"{where}.{key}", f"expected a string, got {_kind(value)}")
            return ""
        value = value.strip()
        if not value and not blank:
            self.problem(f"{where}.{key}", "must not be blank")
        elif len(value) > limit:
            self.problem(f"{where}.{key}", f"longer than {limit} characters")
        return value

    def choice(self, node: Mapping, key: str, allowed: tuple[str, ...]) -> str:
        value = node.get(key)
        if key in node and value not in allowed:
            choices = ", ".join(allowed)
            self.problem(f"assessment.{key}", f"{value!r} is not one of {choices}")
        return value if value in allowed else ""

    def moment(self, node: Mapping, key: str) -> datetime | None:
        value = node.get(key)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise TypeError
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(f"assessment.{key}", f"{value!r} is not an ISO 8601 date and time")
            return None
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)

    def meta(self, node: dict | None) -> Meta | None:
        if node is None:
            return None
        target = node.get("target")
        if "target" in node and (
            isinstance(target, bool)
            or not isinstance(target, int | float)
            or not 0 <= target <= 100  # also refuses NaN
            or target != int(target)
        ):
            self.problem("assessment.target", f"{target!r} is not a whole number from 0 to 100")
            target = 0
        return Meta(
            title=self.text(node, "assessment", "title", LIMITS["title"]),
            profile=self.choice(node, "profile", PROFILES),
            status=self.choice(node, "status", STATUSES),
            target=int(target or 0),
            classification=self.text(
                node, "assessment", "classification", LIMITS["classification"]
            ),
            created_at=self.moment(node, "created_at"),
            updated_at=self.moment(node, "updated_at"),
        )

    def answers(
        self, document: dict, profile: str
    ) -> tuple[list[AnswerRecord], list[AnswerRecord], list[str]]:
        known: list[AnswerRecord] = []
        unknown: list[AnswerRecord] = []
        not_asked: list[str] = []
        if "answers" not in document:
            self.problem("answers", "missing")
            return known, unknown, not_asked
        entries = document["answers"]
        if not isinstance(entries, list):
            self.problem("answers", f"expected a list, got {_kind(entries)}")
            return known, unknown, not_asked
        first_seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            place = f"answers[{index}]"
            if not isinstance(entry, dict):
                self.problem(place, f"expected an object, got {_kind(entry)}")
                continue
            missing = [key for key in ANSWER_KEYS if key not in entry]
            if missing:
                self.problem(place, f"missing {', '.join(missing)}")
                continue
            qid = self.text(entry, place, "question", LIMITS["question"])
            if not qid:
                continue
            if qid in first_seen:
                self.problem(
                    f"{place}.question",
                    f"{qid} is answered twice (first at answers[{first_seen[qid]}])",
                )
                continue
            first_seen[qid] = index
            note = self.free_text(entry, place, "note")
            evidence = self.free_text(entry, place, "evidence")
            question = self.bank.question(qid)
            if question is None:
                unknown.append(
                    AnswerRecord(qid, self.raw_value(entry["value"], place), note, evidence)
                )
                continue
            value = self.value(question, entry["value"], f"{place}.value")
            known.append(AnswerRecord(qid, value, note, evidence))
            if profile and profile not in question.profiles:
                not_asked.append(qid)
        return known, unknown, not_asked

    def free_text(self, entry: Mapping, place: str, key: str) -> str:
        value = entry.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(f"{place}.{key}", f"expected a string, got {_kind(value)}")
            return ""
        if len(value) > TEXT_LIMITS[key]:
            self.problem(f"{place}.{key}", f"longer than {TEXT_LIMITS[key]} characters")
        return value.strip()

    def raw_value(self, value: object, place: str) -> StoredValue:
        """An answer to an unknown question: any string, list of strings, or null."""
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        self.problem(
            f"{place}.value", f"expected a string, a list of strings or null, got {_kind(value)}"
        )
        return None

    def value(self, question: Question, value: object, place: str) -> StoredValue:
        qid = question.id
        if value is None or value == "" or value == []:
            return None
        options = ", ".join(o.value for o in question.options)
        if question.type == "multi":
            if not isinstance(value, list):
                self.problem(place, f"expected a list of options of {qid}, got {_kind(value)}")
                return None
            chosen: list[str] = []
            for i, item in enumerate(value):
                if not isinstance(item, str) or question.option(item) is None:
                    self.problem(f"{place}[{i}]", f"{item!r} is not an option of {qid} ({options})")
                elif item in chosen:
                    self.problem(f"{place}[{i}]", f"{item!r} is chosen twice")
                else:
                    chosen.append(item)
            return chosen
        if question.type == "number" and isinstance(value, int | float):
            value = format(value, "g") if not isinstance(value, bool) else value
        if not isinstance(value, str):
            self.problem(place, f"expected a string for {qid}, got {_kind(value)}")
            return None
        if question.options:
            if question.option(value) is None:
                self.problem(place, f"{value!r} is not an option of {qid} ({options})")
            return value
        return self.typed_text(question, value.strip(), place)

    def typed_text(self, question: Question, value: str, place: str) -> StoredValue:
        if question.type == "number" and not NUMBER.match(value):
            self.problem(place, f"{value!r} is not a number (for {question.id})")
        elif question.type == "date":
            try:
                date.fromisoformat(value)
                if len(value) != 10:
                    raise ValueError
            except ValueError:
                self.problem(place, f"{value!r} is not a date YYYY-MM-DD (for {question.id})")
        elif len(value) > TEXT_LIMITS["value"]:
            self.problem(place, f"longer than {TEXT_LIMITS['value']} characters")
        if question.type == "number":
            value = value.replace(",", ".")
        return value or None
