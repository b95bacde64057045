"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator

# The largest id the databases store (PostgreSQL INTEGER); larger ids name nothing.
DB_INT_MAX = 2**31 - 1


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def utc_today() -> date:
    """Today's date in UTC, the calendar of every stored date (never the server's own)."""
    return utcnow().date()


class UTCDateTime(TypeDecorator):
    """Stores UTC and always gives back an aware datetime, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; use utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def value_enum(cls, length: int = 24) -> Enum:
    """A Python enum stored as its values in a plain string column (no database enum type),
    so adding a member needs no schema change on PostgreSQL."""
    return Enum(
        cls,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )
