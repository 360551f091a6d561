"""The municipality a database (SQLite file, PostgreSQL schema) belongs to.

One row, written by the first process that brings the schema up; a process serving another
municipality is then refused (:meth:`hotspots.db.database.Database.claim`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "municipality_owner",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("claimed_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("municipality_owner")
