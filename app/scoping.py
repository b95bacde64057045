"""The one place that decides which assessments the current principal may see and answer.

Every view that loads an assessment calls `get_assessment`; no view loads one by id alone.
A principal is a signed-in user (who sees their organisation's assessments) and/or the holder
of a grant to single assessments: an invitation link a contractor opened, or a workshop team.
Areas that hand out grants register a provider with `register_principal_provider`; each
provider reads its own part of the session and checks it against the database on every
request, so a revoked or expired grant stops working at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, inspect, select

from app.extensions import db
from app.models import Assessment, User


@dataclass(frozen=True)
class Grant:
    """What a provider found in the session: assessments granted and who holds them."""

    assessment_ids: frozenset[int]
    label: str
    # Granted assessments whose results (scores, gap report) the holder may not read.
    results_hidden: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user, and any single assessments granted without an account."""

    user: User | None = None
    granted: frozenset[int] = field(default_factory=frozenset)
    label: str | None = None
    results_hidden: frozenset[int] = field(default_factory=frozenset)

    @property
    def can_answer(self) -> bool:
        return bool(self.granted) or (self.user is not None and self.user.can_answer)

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin

    @property
    def is_anyone(self) -> bool:
        """Signed in, or holding a grant."""
        return self.user is not None or bool(self.granted)

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.name
        return self.label or ""


PROVIDERS_KEY = "ddcheck.principal_providers"


def register_principal_provider(app: Flask, provider: Callable[[], Grant | None]) -> None:
    """Let an area (invitations, workshops) add grants to the principal of each request."""
    app.extensions.setdefault(PROVIDERS_KEY, []).append(provider)


def current_principal() -> Principal:
    """The principal of the current request (worked out once per request)."""
    if "principal" in g:
        return g.principal
    user = current_user._get_current_object() if current_user.is_authenticated else None
    granted: set[int] = set()
    hidden: set[int] = set()
    label = None
    for provider in current_app.extensions.get(PROVIDERS_KEY, ()):
        grant = provider()
        if grant is not None:
            granted |= grant.assessment_ids
            hidden |= grant.results_hidden
            label = label or grant.label
    g.principal = Principal(
        user=user, granted=frozenset(granted), label=label, results_hidden=frozenset(hidden)
    )
    return g.principal


def may_see(principal: Principal, assessment: Assessment) -> bool:
    """Whether the principal may read this assessment."""
    if assessment.id in principal.granted:
        return True
    user = principal.user
    return user is not None and assessment.organisation_id == user.organisation_id


def in_owning_organisation(principal: Principal, assessment: Assessment) -> bool:
    """Whether the principal is a signed-in user of the organisation that owns the assessment
    (not a contractor by its link or its own account, not a workshop team)."""
    user = principal.user
    return user is not None and user.organisation_id == assessment.organisation_id


def may_see_results(principal: Principal, assessment: Assessment) -> bool:
    """Whether the principal may read the assessment's scores and gap report.

    The owning organisation always may; a grant holder may unless its grant hides them (a
    contractor whose buyer does not share the results).
    """
    user = principal.user
    if user is not None and assessment.organisation_id == user.organisation_id:
        return True
    return may_see(principal, assessment) and assessment.id not in principal.results_hidden


def may_answer(principal: Principal, assessment: Assessment) -> bool:
    """Whether the principal may change this assessment's answers (it must be a draft too).

    A grant is given for answering; otherwise admins and assessors of the owning organisation
    answer their own organisation's assessments.
    """
    if assessment.id in principal.granted:
        return True
    user = principal.user
    return (
        user is not None
        and assessment.organisation_id == user.organisation_id
        and user.can_answer
        and assessment.answered_by_owner
    )


# Nearly every request looks one assessment up: the statement is built once, so a request only
# binds the id (`Session.get` would build it anew in each request's new session).
_BY_ID = select(Assessment).where(Assessment.id == bindparam("assessment_id"))


def keep_loaded(assessment: Assessment | None) -> None:
    """Keep an assessment read for this request (with the user) for `get_assessment`, which
    finds it without reading it again and still checks whether the principal may see it."""
    if assessment is not None:
        # The session holds what it loaded only weakly: this request holds it.
        g.loaded_assessment = assessment


def _loaded(assessment_id: int) -> Assessment | None:
    """The assessment if this request loaded it already (with a signed-in user, or with a
    workshop team's grant)."""
    found = db.session.identity_map.get(db.session.identity_key(Assessment, assessment_id))
    return found if found is not None and not inspect(found).expired else None


def get_assessment(principal: Principal, assessment_id: int) -> Assessment:
    """The assessment, if the principal may see it; otherwise a 404, never a hint it exists."""
    assessment = (
        _loaded(assessment_id)
        or db.session.scalars(_BY_ID, {"assessment_id": assessment_id}).first()
    )
    if assessment is None or not may_see(principal, assessment):
        abort(404)
    return assessment


def principal_required(view):
    """Signed-in users and grant holders may use this view; anyone else is sent to sign in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_principal().is_anyone:
            if request.is_json or request.path.endswith(".json"):
                abort(401)
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped
