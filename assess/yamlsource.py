"""YAML loading that remembers where each mapping and key came from (file and line)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Located:
    file: str
    line: int


class LocatedDict(dict[str, Any]):
    """A mapping from YAML that knows its own line and the line of each key."""

    file: str
    line: int
    key_lines: dict[str, int]

    def at(self, key: str) -> Located:
        """Return the place of `key` in the file (the mapping's own place if absent)."""
        return Located(self.file, self.key_lines.get(key, self.line))


def load_located(path: Path, display_name: str) -> Any:
    """Parse one YAML file; every mapping in the result is a LocatedDict."""

    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: Loader, node: yaml.MappingNode) -> LocatedDict:
        loader.flatten_mapping(node)
        result = LocatedDict()
        result.file = display_name
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool):
                key = str(key) if not isinstance(key, str) else key
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    with path.open(encoding="utf-8") as handle:
        # Loader subclasses SafeLoader: no arbitrary objects are built.
        return yaml.load(handle, Loader=Loader)  # noqa: S506  # nosec B506
