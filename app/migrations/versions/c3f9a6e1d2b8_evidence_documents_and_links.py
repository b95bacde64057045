"""evidence: the documents of an assessment (evidence_file) and the answers they back
(evidence_link)

Revision ID: c3f9a6e1d2b8
Revises: e5b2c9d4a7f1
Create Date: 2026-12-01 05:30:00

"""

import sqlalchemy as sa
from alembic import op

import app.models.types

# revision identifiers, used by Alembic.
revision = "c3f9a6e1d2b8"
down_revision = "e5b2c9d4a7f1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_label", sa.String(length=200), nullable=True),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name="fk_evidence_file_assessment_id_assessment",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["assessment.id"],
            name="fk_evidence_file_carried_from_id_assessment",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name="fk_evidence_file_uploaded_by_id_user_account",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_file"),
        sa.UniqueConstraint(
            "assessment_id", "sha256", name="uq_evidence_file_assessment_id_sha256"
        ),
    )
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_file_assessment_id", ["assessment_id"], unique=False)
        batch_op.create_index("ix_evidence_file_sha256", ["sha256"], unique=False)

    op.create_table(
        "evidence_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=100), nullable=False),
        sa.Column("linked_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "check",
            sa.Enum(
                "checked", "not-supporting", name="evidencecheck", native_enum=False, length=16
            ),
            nullable=True,
        ),
        sa.Column("check_note", sa.Text(), nullable=True),
        sa.Column("checked_at", app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name="fk_evidence_link_assessment_id_assessment",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"],
            ["user_account.id"],
            name="fk_evidence_link_checked_by_id_user_account",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_file.id"],
            name="fk_evidence_link_evidence_id_evidence_file",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_link"),
        sa.UniqueConstraint(
            "evidence_id", "question_key", name="uq_evidence_link_evidence_id_question_key"
        ),
    )
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_link_assessment_id", ["assessment_id"], unique=False)
        batch_op.create_index("ix_evidence_link_evidence_id", ["evidence_id"], unique=False)


def downgrade():
    with op.batch_alter_table("evidence_link", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_link_evidence_id")
        batch_op.drop_index("ix_evidence_link_assessment_id")
    op.drop_table("evidence_link")
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_file_sha256")
        batch_op.drop_index("ix_evidence_file_assessment_id")
    op.drop_table("evidence_file")
