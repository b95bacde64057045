"""Drop question_request.answered_at: written, never read

A handed question counts as answered once the question has an answer saved after the request
(see app.question_requests.services), so the column only ever held NULL.

Revision ID: fab0347398ba
Revises: c4e8a1f2d7b3
Create Date: 2026-12-01 03:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fab0347398ba"
down_revision = "c4e8a1f2d7b3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_request", schema=None) as batch_op:
        batch_op.drop_column("answered_at")


def downgrade():
    with op.batch_alter_table("question_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
