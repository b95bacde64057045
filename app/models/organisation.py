"""Organisations: the unit that owns users, assessments and workshops."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.user import User


class OrganisationKind(enum.StrEnum):
    BUYER = "buyer"
    COMPANY = "company"
    TRAINING_PROVIDER = "training_provider"

    @property
    def label(self) -> str:
        return str(ORGANISATION_KIND_LABELS[self])


ORGANISATION_KIND_LABELS = {
    OrganisationKind.BUYER: _l("Public buyer"),
    OrganisationKind.COMPANY: _l("Company"),
    OrganisationKind.TRAINING_PROVIDER: _l("Training provider"),
}


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(
        Enum(
            OrganisationKind,
            native_enum=False,
            length=32,
            validate_strings=True,
            values_callable=lambda kinds: [k.value for k in kinds],
        )
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation", order_by="User.name")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"
