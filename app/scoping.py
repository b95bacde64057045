"""The one place that decides which assessments the current principal may see.

Every view that loads an assessment calls `get_assessment`; no view loads one by id alone.
A principal is a signed-in user (who sees their organisation's assessments) and, later, the
holder of an invitation token or a workshop team (who see exactly the assessments granted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.models import Assessment, User


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user, and any single assessments granted by a token."""

    user: User | None = None
    granted: frozenset[int] = field(default_factory=frozenset)
    label: str | None = None

    @property
    def can_answer(self) -> bool:
        return bool(self.granted) or (self.user is not None and self.user.can_answer)

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.name
        return self.label or ""


def current_principal() -> Principal:
    """The principal of the current request."""
    if current_user.is_authenticated:
        return Principal(user=current_user._get_current_object())
    return Principal()


def may_see(principal: Principal, assessment: Assessment) -> bool:
    """Whether the principal may read this assessment."""
    if assessment.id in principal.granted:
        return True
    user = principal.user
    return user is not None and assessment.organisation_id == user.organisation_id


def get_assessment(principal: Principal, assessment_id: int) -> Assessment:
    """The assessment, if the principal may see it; otherwise a 404, never a hint it exists."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not may_see(principal, assessment):
        abort(404)
    return assessment
