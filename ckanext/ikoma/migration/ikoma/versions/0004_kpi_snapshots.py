"""Daily counts of public datasets per organization: the plan's KPI (オープンデータ公開件数) over time.

Revision ID: 0004_kpi_snapshots
Revises: 0003_harvest_pages
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_kpi_snapshots"
down_revision = "0003_harvest_pages"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ikoma_kpi_snapshot",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, primary_key=True),
        sa.Column("public_datasets", sa.Integer, nullable=False),
        sa.Column("backfilled", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.drop_table("ikoma_kpi_snapshot")
