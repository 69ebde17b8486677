"""What the harvester remembers of each catalog page it read: validators for conditional GET, the
page's content hash, its next link and the identities on it (a 304 page still counts for deletions).

Revision ID: 0003_harvest_pages
Revises: 0002_resource_validation
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_harvest_pages"
down_revision = "0002_resource_validation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ikoma_harvest_page",
        sa.Column("source_id", sa.UnicodeText, primary_key=True),
        sa.Column("url", sa.UnicodeText, primary_key=True),
        sa.Column("etag", sa.UnicodeText),
        sa.Column("last_modified", sa.UnicodeText),
        sa.Column("content_hash", sa.UnicodeText),
        sa.Column("config_hash", sa.UnicodeText),
        sa.Column("next_url", sa.UnicodeText),
        sa.Column("identities", sa.UnicodeText, nullable=False, server_default="[]"),
        sa.Column("fetched", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("ikoma_harvest_page")
