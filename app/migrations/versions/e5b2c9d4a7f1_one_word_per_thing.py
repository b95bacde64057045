"""one word per thing (docs/glossary.md): buyer, review note, hand-over, in review, colleague

Revision ID: e5b2c9d4a7f1
Revises: fab0347398ba
Create Date: 2026-12-01 03:40:00

"""

import sqlalchemy as sa
from alembic import op

import app.models.types
import questionnaires as engine

# revision identifiers, used by Alembic.
revision = "e5b2c9d4a7f1"
down_revision = "fab0347398ba"
branch_labels = None
depends_on = None

# (table, column, value before, value after); run backwards on downgrade.
VALUES = (
    ("organisation", "kind", "public_buyer", "buyer"),
    ("contractor_assessment", "review_status", "none", "in-review"),
    ("audit_entry", "event", "question-handed", "question-handed-over"),
)
QUESTIONNAIRE_KEYS = (("procurer", "buyer"),)


def _review_table(name: str) -> tuple:
    return (
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=100), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum("accepted", "clarify", name="verdict", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("updated_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=f"fk_{name}_assessment_id_assessment",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=f"fk_{name}_updated_by_id_user_account"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.UniqueConstraint(
            "assessment_id", "question_key", name=f"uq_{name}_assessment_id_question_key"
        ),
    )


def _handover_table(name: str, columns: list[str]) -> tuple:
    optional = (
        [sa.Column("answered_at", app.models.types.UTCDateTime(timezone=True), nullable=True)]
        if "answered_at" in columns
        else []
    )
    return (
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=100), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        *optional,
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=f"fk_{name}_assessment_id_assessment",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["colleague_id"], ["user_account.id"], name=f"fk_{name}_colleague_id_user_account"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=f"fk_{name}_requested_by_id_user_account",
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.UniqueConstraint(
            "assessment_id", "question_key", name=f"uq_{name}_assessment_id_question_key"
        ),
        sa.Index(f"ix_{name}_assessment_id", "assessment_id"),
        sa.Index(f"ix_{name}_colleague_id", "colleague_id"),
    )


def _colleague_event_table(name: str) -> tuple:
    return (
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("subject_label", sa.String(length=200), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("created_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=f"fk_{name}_actor_id_user_account"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=f"fk_{name}_organisation_id_organisation",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["user_account.id"], name=f"fk_{name}_subject_id_user_account"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.Index(f"ix_{name}_organisation_id", "organisation_id"),
    )


def _move(old: str, definition: tuple) -> None:
    """Create the new table, copy every row of `old` into it, drop `old`: the constraint and
    index names then follow the table's name on SQLite and PostgreSQL alike."""
    bind = op.get_bind()
    name, *elements = definition
    indexes = [e for e in elements if isinstance(e, sa.Index)]
    table = op.create_table(name, *(e for e in elements if not isinstance(e, sa.Index)))
    for index in indexes:
        op.create_index(index.name, name, list(index.expressions))
    names = ", ".join(column.name for column in table.columns)
    bind.execute(sa.text(f"INSERT INTO {name} ({names}) SELECT {names} FROM {old}"))
    op.drop_table(old)
    if bind.dialect.name == "postgresql":
        bind.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )


def _columns(table: str) -> list[str]:
    return [column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)]


def _rename_questionnaires(pairs) -> None:
    """Stored questionnaire versions carry their key and audience in their content, so their
    content hash changes with the word: recompute it as the engine does."""
    bind = op.get_bind()
    versions = sa.table(
        "questionnaire_version",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("audience", sa.String),
        sa.column("content_hash", sa.String),
        sa.column("data", sa.JSON),
    )
    for before, after in pairs:
        rows = bind.execute(sa.select(versions).where(versions.c.key == before)).all()
        for row in rows:
            data = {**row.data, "key": after, "audience": after}
            bind.execute(
                versions.update()
                .where(versions.c.id == row.id)
                .values(
                    key=after, audience=after, data=data, content_hash=engine.hash_snapshot(data)
                )
            )


def upgrade():
    for table, column, before, after in VALUES:
        op.execute(
            sa.text(f"UPDATE {table} SET {column} = :after WHERE {column} = :before").bindparams(
                before=before, after=after
            )
        )
    _rename_questionnaires(QUESTIONNAIRE_KEYS)
    _move("review_mark", _review_table("review_note"))
    _move("question_request", _handover_table("handover", _columns("question_request")))
    _move("team_event", _colleague_event_table("colleague_event"))


def downgrade():
    _move("colleague_event", _colleague_event_table("team_event"))
    _move("handover", _handover_table("question_request", _columns("handover")))
    _move("review_note", _review_table("review_mark"))
    _rename_questionnaires((after, before) for before, after in QUESTIONNAIRE_KEYS)
    for table, column, before, after in VALUES:
        op.execute(
            sa.text(f"UPDATE {table} SET {column} = :before WHERE {column} = :after").bindparams(
                before=before, after=after
            )
        )
