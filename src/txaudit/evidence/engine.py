"""Opening a database: URL handling, SQLite settings, migrations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).with_name("migrations")


def normalise_url(url: str | os.PathLike[str] | None) -> tuple[str, Path | None]:
    """``(sqlalchemy_url, sqlite_path)`` for a path, ``sqlite:///`` or ``postgresql://`` URL.

    ``postgresql://`` and ``postgres://`` use the psycopg 3 driver.
    """
    if url is None:
        url = os.environ.get("TXAUDIT_DB") or "txaudit.db"
    s = os.fspath(url)
    for prefix in ("postgresql://", "postgres://"):
        if s.startswith(prefix):
            return "postgresql+psycopg://" + s[len(prefix):], None
    if s.startswith("postgresql+"):
        return s, None
    if s.startswith("sqlite:///"):
        s = s[len("sqlite:///"):]
    elif "://" in s:
        from txaudit.errors import ConfigError

        raise ConfigError(f"unsupported store URL {s!r}: give a SQLite path or postgresql://…")
    path = Path(s).expanduser().resolve()
    return f"sqlite:///{path}", path


def make_engine(sa_url: str) -> Engine:
    """An engine with the settings the store relies on."""
    if sa_url.startswith("sqlite"):
        engine = create_engine(sa_url)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, record: Any) -> None:
            # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
            # a whole import (and its savepoints) is one transaction.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get("txaudit_write") else ""
            conn.exec_driver_sql(f"BEGIN {mode}".strip())

        return engine
    return create_engine(sa_url, pool_pre_ping=True)


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest migration; returns the revision."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        rev = MigrationContext.configure(conn).get_current_revision()
    return rev or ""
