"""Alembic revisions of the database schema, one module per revision."""
