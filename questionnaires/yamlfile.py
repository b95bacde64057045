"""Reading YAML content files strictly: a key given twice in one mapping is an error.

PyYAML keeps the last of two equal keys without a word, which would silently drop half of an
edited question; here it becomes a problem that names the file, the line and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from questionnaires.errors import ContentError, Problem

# libyaml's parser when PyYAML was built with it (the wheels are): several times faster than
# the pure-Python one, which every start of the app and every content check pays for.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):
    """A safe loader that refuses duplicate keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise _DuplicateKey(key, line, seen[key])
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int, first_line: int):
        self.key, self.line, self.first_line = key, line, first_line


def read_yaml(path: str | Path) -> Any:
    """The parsed content of a YAML file, or ContentError naming the file and the problem."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentError([Problem(name, "", f"cannot be read: {error}")]) from error
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _DuplicateKey as error:
        raise ContentError(
            [
                Problem(
                    name,
                    f"line {error.line}",
                    f"the key '{error.key}' is given twice in the same item "
                    f"(first on line {error.first_line})",
                )
            ]
        ) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError([Problem(name, where, f"not valid YAML: {problem}")]) from error
