"""Turning schema validation errors into problems a person editing the YAML can act on."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from questionnaires.errors import Problem


def item_path(raw: Any, location: tuple) -> str:
    """`questions[3] 'fees-who-pays'.critical`: list items are named by their key when known."""
    parts: list[str] = []
    node = raw
    for step in location:
        if isinstance(step, int):
            label = f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("key"), str):
                label += f" '{node['key']}'"
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def _message(error: dict) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return (
            f"'{error['loc'][-1]}' is not a known key (check its spelling against "
            "questionnaires/README.md)"
        )
    if kind == "greater_than":
        return f"must be more than {_number(context.get('gt'))}"
    if kind == "greater_than_equal":
        return f"must be {_number(context.get('ge'))} or more"
    if kind == "less_than_equal":
        return f"must be {_number(context.get('le'))} or less"
    if kind == "string_pattern_mismatch":
        return "must use only lowercase letters, digits and hyphens"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind == "literal_error":
        return f"must be one of {context.get('expected')}"
    message = error["msg"]
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def problems_from_validation(file: str, raw: Any, error: ValidationError) -> list[Problem]:
    """One problem per schema error, each naming the file and the item's path."""
    problems = []
    for item in error.errors():
        location = tuple(item["loc"])
        # Pydantic adds the name of a type it tried ("function-after[...]") to some locations.
        location = tuple(step for step in location if not str(step).startswith("function-"))
        if item["type"] == "extra_forbidden":
            # The unknown key is named in the message; the path names the item that holds it.
            location = location[:-1]
        problems.append(Problem(file, item_path(raw, location), _message(item)))
    return problems
