"""revocable sessions, team changes and their history, a cap on workshop teams

Revision ID: b7d1e5c2a9f3
Revises: b7e14c2d9a51
Create Date: 2026-11-30 20:45:00

"""

import sqlalchemy as sa
from alembic import op

import app.models.types

# revision identifiers, used by Alembic.
revision = "b7d1e5c2a9f3"
down_revision = "b7e14c2d9a51"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("disabled_at", app.models.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("removed_at", app.models.types.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_teams", sa.Integer(), nullable=True))

    op.create_table(
        "team_event",
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
            ["actor_id"], ["user_account.id"], name=op.f("fk_team_event_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_team_event_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["user_account.id"], name=op.f("fk_team_event_subject_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_event")),
    )
    with op.batch_alter_table("team_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_event_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("team_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_event_organisation_id"))
    op.drop_table("team_event")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("max_teams")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("removed_at")
        batch_op.drop_column("disabled_at")
        batch_op.drop_column("session_version")
