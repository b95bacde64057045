"""Sign-in throttling that protects without locking the owner out.

Failed sign-ins are counted per account and per address. After a number of free failures,
each further failure makes that account (or address) wait before the next attempt is even
checked, and the wait doubles with every failure (up to a ceiling). Once the wait has passed,
the right password gets in as always, and a success forgets the account's failures.

The counters live in the store named by RATELIMIT_STORAGE_URI (the `limits` library):
`memory://` per worker, or a shared `redis://` for several workers and servers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, current_app
from limits.storage import Storage, storage_from_string

EXTENSION = "ddcheck.signin_throttle"
# Failures are forgotten a day after the first one of a series.
FAILURE_MEMORY = 24 * 3600


def _now() -> int:
    return int(time.time())


@dataclass(frozen=True)
class Scope:
    """What failures are counted against: an account or an address."""

    key: str
    free_failures: int


def _store() -> Storage:
    return current_app.extensions[EXTENSION]


def scopes(email: str, address: str) -> list[Scope]:
    config = current_app.config
    return [
        Scope("account:" + email[:254], config["SIGNIN_FREE_FAILURES_PER_ACCOUNT"]),
        Scope("address:" + address, config["SIGNIN_FREE_FAILURES_PER_ADDRESS"]),
    ]


def wait_seconds(all_scopes: list[Scope]) -> int:
    """How long until an attempt will be checked again (0: now)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return 0
    now = _now()
    until = max((_store().get("signin-wait:" + s.key) for s in all_scopes), default=0)
    return max(0, until - now)


def failed(all_scopes: list[Scope]) -> None:
    """Count a failed attempt; past the free failures, start (or double) the wait."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    store = _store()
    base = current_app.config["SIGNIN_BACKOFF_SECONDS"]
    ceiling = current_app.config["SIGNIN_BACKOFF_MAX_SECONDS"]
    for scope in all_scopes:
        failures = store.incr("signin-failures:" + scope.key, FAILURE_MEMORY)
        extra = failures - scope.free_failures
        if extra >= 0:
            wait = min(ceiling, base * 2 ** min(extra, 30))
            key = "signin-wait:" + scope.key
            store.clear(key)
            store.incr(key, wait + 1, amount=_now() + wait)


def succeeded(account_scope: Scope) -> None:
    """The owner got in: forget the account's failures (an address keeps its count)."""
    store = _store()
    store.clear("signin-failures:" + account_scope.key)
    store.clear("signin-wait:" + account_scope.key)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
