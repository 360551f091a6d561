"""Alembic environment: run with the connection :func:`hotspots.db.migrate.upgrade` hands over."""

from __future__ import annotations

from alembic import context

from hotspots.db.schema import META


connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through hotspots.db.migrate
    raise RuntimeError("run migrations through `python -m hotspots db upgrade`")
context.configure(connection=connection, target_metadata=META, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
