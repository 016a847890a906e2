"""A small in-process cache of rendered wizard sections, keyed by the answers' revision.

Every saved change increments `Assessment.revision`, so an entry can never be stale: a
changed assessment simply has a new key. Each worker process keeps its own entries.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock

from markupsafe import Markup

from ..bank import Bank, Section
from ..models import Assessment


class SectionCache:
    """A bounded least-recently-used map from a section key to its rendered questions."""

    def __init__(self, size: int = 256):
        self.size = size
        self._entries: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> Markup | None:
        """Return the cached markup for the key, or None."""
        with self._lock:
            markup = self._entries.get(key)
            if markup is not None:
                self._entries.move_to_end(key)
            return markup

    def put(self, key: Hashable, markup: Markup) -> None:
        """Store the markup, evicting the least recently used entry when full."""
        with self._lock:
            self._entries[key] = markup
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def section_key(bank: Bank, assessment: Assessment, section: Section) -> Hashable:
    """Return the key that changes whenever anything shown in the section could change."""
    # created_at as well as id: SQLite may give a deleted assessment's id to a new one.
    return (
        id(bank),
        assessment.id,
        assessment.created_at,
        assessment.profile,
        assessment.revision,
        section.id,
    )


sections = SectionCache()
