"""The review of a period as a piece of work: its state (open/closed), reason and counts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "reviews",
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("dataset", sa.String(10), primary_key=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reviewed", sa.Integer, nullable=False),
        sa.Column("due", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("reviews")
