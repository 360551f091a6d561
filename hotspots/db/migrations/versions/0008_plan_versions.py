"""Plan versions and their amendments; a closed review records the plan it was closed under.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "plan_versions",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("adopted_on", sa.String(10), nullable=False),
        sa.Column("meeting", sa.Text, nullable=False),
        sa.Column("first_period", sa.String(7), nullable=False),
        sa.Column("last_period", sa.String(7), nullable=False),
        sa.Column("based_on", sa.Integer, nullable=True),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "plan_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("version", sa.Integer, sa.ForeignKey("plan_versions.number"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("effective_period", sa.String(7), nullable=False),
        sa.Column("meeting", sa.Text, nullable=False),
        sa.Column("decided_on", sa.String(10), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("plan_version", sa.Integer, nullable=True))
        batch.add_column(sa.Column("plan_change", sa.Integer, nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("plan_change")
        batch.drop_column("plan_version")
    op.drop_table("plan_changes")
    op.drop_table("plan_versions")
