"""Drop the unused ``meta`` key-value table.

Before migrations existed it held one row, ``schema_version``; Alembic's
``alembic_version`` has replaced it and no code reads or writes it any more.
The downgrade recreates it empty (that obsolete row is not worth keeping).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.drop_table("meta")


def downgrade() -> None:
    """Revert this revision."""
    op.create_table(
        "meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
