"""Validation rows go with their resource: rows of resources or datasets that are gone or deleted are
removed, then foreign keys to resource.id and package.id with ON DELETE CASCADE (deferrable: a row
may be written in the same transaction as its resource) let PostgreSQL remove the rest on purge.

Revision ID: 0006_validation_cascade
Revises: 0005_quality
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_validation_cascade"
down_revision = "0005_quality"
branch_labels = None
depends_on = None

TABLE = "ikoma_resource_validation"
KEYS = {"resource_id": "resource", "package_id": "package"}


def _name(column: str) -> str:
    return f"{TABLE}_{column}_fkey"


def upgrade():
    op.execute(sa.text(f"""
        DELETE FROM {TABLE} v
        WHERE NOT EXISTS (SELECT 1 FROM resource r WHERE r.id = v.resource_id AND r.state = 'active')
           OR NOT EXISTS (SELECT 1 FROM package p WHERE p.id = v.package_id AND p.state <> 'deleted')
    """))
    for column, target in KEYS.items():
        op.create_foreign_key(_name(column), TABLE, target, [column], ["id"], ondelete="CASCADE",
                              deferrable=True, initially="DEFERRED")


def downgrade():
    for column in KEYS:
        op.drop_constraint(_name(column), TABLE, type_="foreignkey")
