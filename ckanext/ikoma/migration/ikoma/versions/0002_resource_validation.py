"""Resource validation reports: one row per resource, the latest check of its CSV.

Revision ID: 0002_resource_validation
Revises: 0001_baseline
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_resource_validation"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ikoma_resource_validation",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("standard", sa.UnicodeText, nullable=False),
        # pending → running → success | failure (the file has errors) | error (could not check)
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("error_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("warning_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report", sa.UnicodeText),
        sa.Column("message", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("finished", sa.DateTime),
    )


def downgrade():
    op.drop_table("ikoma_resource_validation")
