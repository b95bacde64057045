"""How an answer is known: answer.basis

Revision ID: b7e14c2d9a51
Revises: 765036dfac08
Create Date: 2026-11-30 20:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e14c2d9a51"
down_revision = "765036dfac08"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("basis", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_column("basis")
