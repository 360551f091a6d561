"""Alembic migrations of the store's schema: every schema change is a revision here."""
