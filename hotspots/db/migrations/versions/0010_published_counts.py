"""The counts each council publishes when it closes a review (for the qark's roll-up).

In PostgreSQL the table is created once, in ``public``, shared by every municipality's schema
(each process finds it there through its search path); in SQLite it is in the file.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres and op.get_bind().execute(sa.text("SELECT to_regclass('public.published_counts')")).scalar():
        return  # another municipality of this database made it
    op.create_table(
        "published_counts",
        sa.Column("municipality", sa.String(40), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("category", sa.String(20), primary_key=True),
        sa.Column("unit", sa.Integer, primary_key=True),
        sa.Column("qark", sa.String(80), nullable=False),
        sa.Column("unit_name", sa.Text, nullable=False),
        sa.Column("active", sa.Integer, nullable=False),
        sa.Column("published_at", sa.String(32), nullable=False),
        sa.Column("published_by", sa.String(80), nullable=False),
        schema="public" if postgres else None,
    )


def downgrade() -> None:
    """Revert this revision (PostgreSQL: the shared table stays while other municipalities may use it)."""
    if op.get_bind().dialect.name != "postgresql":
        op.drop_table("published_counts")
