"""Incident records: places and events, never people; on PostGIS a point geometry too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dataset", sa.String(10), nullable=False),
        sa.Column("row_key", sa.String(80), nullable=False),
        sa.Column("reference", sa.String(80), nullable=True),
        sa.Column("occurred_on", sa.String(10), nullable=False),
        sa.Column("occurred_at", sa.String(5), nullable=True),
        sa.Column("offence", sa.String(24), nullable=False),
        sa.Column("problem", sa.String(8), nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("unit", sa.Integer, nullable=True),
        sa.Column("location_quality", sa.String(12), nullable=False),
        sa.Column("location_source", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("batch", sa.String(60), nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("imported_by", sa.String(80), nullable=False),
        sa.UniqueConstraint("dataset", "row_key", name="one_incident_per_key"),
    )
    op.create_index("ix_incidents_date", "incidents", ["occurred_on"])
    op.create_index("ix_incidents_lon_lat", "incidents", ["lon", "lat"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE incidents ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS "
                   "(CASE WHEN lon IS NULL OR lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED")
        op.execute("CREATE INDEX incidents_geom_gist ON incidents USING GIST (geom)")


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("incidents")
