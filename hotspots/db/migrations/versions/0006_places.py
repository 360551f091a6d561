"""The plan's other places: cameras, cannabis-risk zones, schools.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _stamp_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("retired_at", sa.String(32), nullable=True),
        sa.Column("retired_reason", sa.Text, nullable=True),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(80), nullable=False),
    ]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "cameras",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("owner", sa.String(12), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("radius_m", sa.Float, nullable=False),
        sa.Column("direction", sa.Float, nullable=True),
        sa.Column("angle", sa.Float, nullable=True),
        sa.Column("geometry_wkt", sa.Text, nullable=False),
        sa.Column("location_quality", sa.String(12), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        *_stamp_columns(),
    )
    op.create_table(
        "cannabis_zones",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("admin_unit", sa.String(80), nullable=False),
        sa.Column("risk", sa.String(8), nullable=False),
        sa.Column("years", sa.String(80), nullable=False),
        sa.Column("geometry_wkt", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        *_stamp_columns(),
    )
    op.create_table(
        "schools",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("geometry_wkt", sa.Text, nullable=False),
        sa.Column("location_quality", sa.String(12), nullable=False),
        sa.Column("activities", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_stamp_columns(),
    )


def downgrade() -> None:
    """Revert this revision."""
    for name in ("schools", "cannabis_zones", "cameras"):
        op.drop_table(name)
