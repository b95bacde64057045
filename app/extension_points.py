"""Extension points: a question that a lower area asks and a higher area answers.

The lower area (assessments, the locale) names the point; the area above it (action plans,
question requests, contractors, workshops) registers its answer when the app is made. So an
area never imports one that builds on it, and the floors of the house stay floors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app


class ExtensionPoint:
    """One question, answered by the providers that the app's areas registered, in order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._key = f"ddcheck.extension.{name}"

    def register(self, app: Flask, provider: Callable[..., Any]) -> None:
        """Let `provider` answer this question in `app`."""
        app.extensions.setdefault(self._key, []).append(provider)

    def providers(self) -> list[Callable[..., Any]]:
        """The current app's providers, in the order they were registered."""
        return list(current_app.extensions.get(self._key, ()))

    def first(self, *args: Any, default: Any = None) -> Any:
        """The first answer that is not None, or `default` when no provider knows."""
        for provider in self.providers():
            answer = provider(*args)
            if answer is not None:
                return answer
        return default
