"""Organisations: the unit that owns users, assessments and workshops."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow, value_enum


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
    kind: Mapped[OrganisationKind] = mapped_column(value_enum(OrganisationKind, 32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Named, not imported: a user belongs to an organisation, so app.models.user imports this
    # module and not the reverse.
    users = relationship("User", back_populates="organisation", order_by="User.name")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"
