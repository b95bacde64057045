"""Changes to an organisation's team, shared by the team page and the command line.

Every change is recorded as a ColleagueEvent and ends the person's sessions, so that a new role
or a removal takes effect at their next click. An organisation always keeps an active admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.audit import ColleagueEventKind
from app.extensions import db
from app.models import ColleagueEvent, Role, User, utcnow


class ColleagueChangeRefused(Exception):
    """The change would leave the organisation without an admin, or makes no sense."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a signed-in admin, or the command line."""

    user: User | None
    label: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user, user.name)


COMMAND_LINE = Actor(None, "command line")


def active_members(organisation_id: int) -> list[User]:
    """Members who are not removed (disabled ones included), by name."""
    return db.session.scalars(
        select(User)
        .where(User.organisation_id == organisation_id, User.removed_at.is_(None))
        .order_by(User.name)
    ).all()


def _other_active_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(
            User.organisation_id == user.organisation_id,
            User.id != user.id,
            User.role == Role.ADMIN,
            User.disabled_at.is_(None),
            User.removed_at.is_(None),
        )
    )


def _keep_an_admin(user: User) -> None:
    if user.role == Role.ADMIN and not _other_active_admins(user):
        raise ColleagueChangeRefused(
            _(
                "%(name)s is the organisation's last admin. Make someone else admin first.",
                name=user.name,
            )
        )


def _record(user: User, event: ColleagueEventKind, actor: Actor, **details) -> None:
    audit.record_colleague(user, event, actor=actor.user, actor_label=actor.label, **details)


def set_role(user: User, role: Role, actor: Actor) -> None:
    """Give `user` another role; their sessions end so that it applies at once."""
    if user.removed_at is not None:
        raise ColleagueChangeRefused(_("This person was removed from the organisation."))
    if role == user.role:
        return
    if role != Role.ADMIN:
        _keep_an_admin(user)
    old = user.role
    user.role = role
    user.end_sessions()
    _record(user, ColleagueEventKind.ROLE_CHANGED, actor, old=old.value, new=role.value)
    db.session.commit()


def transfer_admin(from_user: User, to_user: User, actor: Actor) -> None:
    """Make `to_user` admin and `from_user` an assessor, in one step."""
    if to_user.organisation_id != from_user.organisation_id or not to_user.is_active:
        raise ColleagueChangeRefused(
            _("The admin role can only go to an active member of the team.")
        )
    if to_user.id == from_user.id:
        raise ColleagueChangeRefused(_("Choose another member of the team."))
    if to_user.role != Role.ADMIN:
        old = to_user.role
        to_user.role = Role.ADMIN
        to_user.end_sessions()
        _record(
            to_user, ColleagueEventKind.ROLE_CHANGED, actor, old=old.value, new=Role.ADMIN.value
        )
    from_user.role = Role.ASSESSOR
    from_user.end_sessions()
    _record(
        from_user,
        ColleagueEventKind.ROLE_CHANGED,
        actor,
        old=Role.ADMIN.value,
        new=Role.ASSESSOR.value,
    )
    db.session.commit()


def disable(user: User, actor: Actor) -> None:
    """Stop `user` signing in (until enabled again); their sessions end now."""
    if user.removed_at is not None or user.disabled_at is not None:
        return
    _keep_an_admin(user)
    user.disabled_at = utcnow()
    user.end_sessions()
    _record(user, ColleagueEventKind.DISABLED, actor)
    db.session.commit()


def enable(user: User, actor: Actor) -> None:
    """Let a disabled user sign in again."""
    if user.removed_at is not None or user.disabled_at is None:
        return
    user.disabled_at = None
    _record(user, ColleagueEventKind.ENABLED, actor)
    db.session.commit()


def remove(user: User, actor: Actor) -> None:
    """Take `user` out of the organisation for good.

    The row stays, so that answers, notes and the audit trail keep the person's name; the
    sign-in address is freed (it may be invited again) and no password opens the account.
    """
    if user.removed_at is not None:
        return
    _keep_an_admin(user)
    email = user.email
    user.removed_at = utcnow()
    user.email = f"removed-{user.id}@removed.invalid"
    user.password_hash = "!"
    user.end_sessions()
    _record(user, ColleagueEventKind.REMOVED, actor, email=email)
    db.session.commit()


def history(organisation_id: int, limit: int = 50) -> list[ColleagueEvent]:
    """The latest changes to the team, newest first."""
    return db.session.scalars(
        select(ColleagueEvent)
        .where(ColleagueEvent.organisation_id == organisation_id)
        .order_by(ColleagueEvent.created_at.desc(), ColleagueEvent.id.desc())
        .limit(limit)
    ).all()
