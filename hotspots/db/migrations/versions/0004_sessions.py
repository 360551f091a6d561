"""Accounts' credential versions and one-time passwords, login sessions, login throttling.

A session is valid only while it carries its account's current ``cred_version`` (bumped by
a removal, a role or password change, a logout); failed logins are counted per account and
per client in the store, so a reload resets nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("cred_version", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("must_change", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, index=True),
        sa.Column("cred_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_at", sa.Float, nullable=False),
        sa.Column("locked_until", sa.Float, nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("login_throttle")
    op.drop_table("sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change")
        batch.drop_column("cred_version")
