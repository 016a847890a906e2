"""Confidentiality markings: which of several is the strictest. Pure: no Flask, no I/O.

A document built from several assessments (the comparison) carries the strictest of their
markings. Markings are free text, so they are compared by a known order, from the least to
the most restrictive::

    OFFICIAL < OFFICIAL - SENSITIVE < RESTRICTED < CONFIDENTIAL < SECRET < TOP SECRET

Case, spacing and dashes do not matter ("Official-Sensitive" is OFFICIAL - SENSITIVE). A
marking outside this list ("NATO CONFIDENTIAL", "COMMERCIAL IN CONFIDENCE", a national
marking) cannot be placed in the order, so it is treated as stricter than every known one:
the document is never marked lower than one of its sources. When several distinct unknown
markings remain at the top, none can be dropped, so all of them are printed, joined by
" / " in the order first given. A blank marking is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KNOWN_ORDER: tuple[str, ...] = (
    "OFFICIAL",
    "OFFICIAL - SENSITIVE",
    "RESTRICTED",
    "CONFIDENTIAL",
    "SECRET",
    "TOP SECRET",
)
SEPARATOR = " / "
_RANK = {re.sub(r"[^A-Z]+", " ", name).strip(): rank for rank, name in enumerate(KNOWN_ORDER)}


def marking_rank(marking: str) -> int | None:
    """Return the rank of a known marking in KNOWN_ORDER (higher is stricter), or None."""
    key = re.sub(r"[^A-Z]+", " ", marking.upper()).strip()
    return _RANK.get(key)


def strictest_marking(markings: Iterable[str]) -> str:
    """Return the strictest of these markings, as written in the first one that has it.

    Unknown markings outrank known ones; several distinct unknown ones are all returned,
    joined by " / ". Returns "" when every marking is blank.
    """
    seen: dict[str, str] = {}  # normalised -> as first written
    for marking in markings:
        text = " ".join((marking or "").split())
        if text:
            seen.setdefault(" ".join(text.upper().split()), text)
    unknown = [text for text in seen.values() if marking_rank(text) is None]
    if unknown:
        return SEPARATOR.join(unknown)
    if not seen:
        return ""
    return max(seen.values(), key=lambda text: marking_rank(text) or 0)
