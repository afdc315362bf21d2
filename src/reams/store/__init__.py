"""Persistence: SQLAlchemy tables, the store (SQLite and PostgreSQL), migrations, blobs."""
