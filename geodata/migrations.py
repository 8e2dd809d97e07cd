"""Versioned schema migrations for the incident store.

Each migration is a file ``geodata/migrations/NNNN_name.sql``. They run in name order,
each inside its own transaction together with the row that records it in
``schema_migrations``, so a failing migration leaves the schema as it was.
To change the schema, add a new file; never edit one that has shipped.

(This module and the ``migrations/`` folder share a name on purpose: the folder has no
``__init__.py``, so ``import geodata.migrations`` finds this module.)
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from importlib import resources

MIGRATIONS_PACKAGE_DIR = "migrations"


def available() -> list[tuple[str, str]]:
    """(name, sql) of every shipped migration, in the order they apply.

    Examples
    --------
    >>> available()[0][0]
    '0001_initial'
    """
    folder = resources.files("geodata").joinpath(MIGRATIONS_PACKAGE_DIR)
    found = [(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8"))
             for f in folder.iterdir() if f.name.endswith(".sql")]
    return sorted(found)


def _statements(sql: str) -> list[str]:
    # executescript() would COMMIT first and break the one-transaction promise, so split
    # into complete statements (complete_statement understands quotes and triggers).
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip() and not all(l.strip().startswith("--") or not l.strip() for l in buf.splitlines()):
        raise ValueError(f"migration ends with an incomplete statement: {buf.strip()[:80]!r}")
    return out


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations already recorded in `conn`, oldest first."""
    # Look before creating, so that opening an up-to-date store never writes (read-only files work).
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone():
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every pending migration; return the names applied now.

    `conn` must be in autocommit mode (``isolation_level=None``): transactions here are explicit.

    Examples
    --------
    >>> conn = sqlite3.connect(":memory:", isolation_level=None)
    >>> migrate(conn)
    ['0001_initial']
    >>> migrate(conn)
    []
    """
    done = set(applied(conn))
    now = []
    for name, sql in available():
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated between our check and the lock.
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("COMMIT")
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        now.append(name)
    return now
