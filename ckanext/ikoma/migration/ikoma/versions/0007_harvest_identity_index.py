"""An index on each dataset's harvest identity, which the harvester looks up for every page it reads
(is this dataset already here, from which source, with which content hash). Without it the lookup
reads every extra of the site, and a hub's harvest slows with each dataset it holds.

A hash index: identities come from other catalogs and may be longer than a B-tree entry allows, and
the lookup only ever asks for equality. CKAN 2.11 keeps extras in rows of `package_extra` (partial
index on that key's rows); CKAN 2.12 in the JSONB column `package.extras` (expression index).

Revision ID: 0007_harvest_identity_index
Revises: 0006_validation_cascade
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_harvest_identity_index"
down_revision = "0006_validation_cascade"
branch_labels = None
depends_on = None

INDEX = "ikoma_harvest_identity_idx"


def _extras_in_package() -> bool:
    columns = sa.inspect(op.get_bind()).get_columns("package")
    return any(column["name"] == "extras" for column in columns)


def upgrade():
    if _extras_in_package():
        op.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {INDEX} ON package USING hash ((extras ->> 'harvest_identity'))"))
    else:
        op.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {INDEX} ON package_extra USING hash (value) "
                           "WHERE key = 'harvest_identity'"))


def downgrade():
    op.execute(sa.text(f"DROP INDEX IF EXISTS {INDEX}"))
