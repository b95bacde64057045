"""the language of an assessment, of a contractor invitation and of a workshop

Revision ID: c4e8a1f2d7b3
Revises: b7d1e5c2a9f3
Create Date: 2026-12-01 00:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e8a1f2d7b3"
down_revision = "b7d1e5c2a9f3"
branch_labels = None
depends_on = None

TABLES = ("assessment", "contractor_invitation", "workshop")


def upgrade():
    # Everything that exists was written in English, the only language until now.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("language")
