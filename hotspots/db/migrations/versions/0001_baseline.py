"""The schema as first deployed (main at 1ca9a03, 2026-11-30): created with create_all then.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "hotspots",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("problem", sa.String(8), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("plan_unit", sa.Integer, nullable=True),
        sa.Column("activities", sa.Text, nullable=False),
        sa.Column("dataset", sa.String(10), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("hotspot_id", sa.String(40), sa.ForeignKey("hotspots.id"), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("geometry_wkt", sa.Text, nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("unit", sa.Integer, nullable=True),
        sa.Column("location_quality", sa.String(12), nullable=False),
        sa.Column("location_source", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("moved_from", sa.String(7), nullable=True),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("hotspot_id", "period", name="one_observation_per_period"),
    )
    op.create_table(
        "activity_status",
        sa.Column("activity_id", sa.String(12), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "problem_priority",
        sa.Column("problem_id", sa.String(8), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.String(60), nullable=False),
        sa.Column("period", sa.String(7), nullable=True),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )
    op.create_table(
        "users",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(100), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    for table in ("meta", "users", "history", "problem_priority", "activity_status", "observations", "hotspots"):
        op.drop_table(table)
