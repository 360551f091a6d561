"""The database: engines and transactions with their history, the schema (every table in one place), migrations."""
