"""Metadata quality: each dataset's MQA score per day it was scored (plotted over time), and the
link checker's last answer per URL (at most one request per URL per day).

Revision ID: 0005_quality
Revises: 0004_kpi_snapshots
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_quality"
down_revision = "0004_kpi_snapshots"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ikoma_quality_score",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("rating", sa.UnicodeText, nullable=False),
        sa.Column("indicators", sa.UnicodeText, nullable=False),
    )
    op.create_table(
        "ikoma_link_check",
        sa.Column("url", sa.UnicodeText, primary_key=True),
        sa.Column("status", sa.Integer),
        sa.Column("error", sa.UnicodeText),
        sa.Column("checked", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("ikoma_link_check")
    op.drop_table("ikoma_quality_score")
