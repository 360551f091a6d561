"""PostGIS only: a real geometry(Geometry, 4326) column beside the WKT, with a GiST index.

The column is generated from ``geometry_wkt`` (one write path for both backends), so it can
never disagree with it; spatial filters and counts use it on PostGIS. SQLite keeps the WKT.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public")  # shared by every municipality's schema
    op.execute("ALTER TABLE observations ADD COLUMN geom geometry(Geometry, 4326) "
               "GENERATED ALWAYS AS (ST_GeomFromText(geometry_wkt, 4326)) STORED")
    op.execute("CREATE INDEX observations_geom_gist ON observations USING GIST (geom)")


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS observations_geom_gist")
    op.execute("ALTER TABLE observations DROP COLUMN IF EXISTS geom")
