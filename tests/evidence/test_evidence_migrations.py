"""The shipped Alembic migrations build exactly the schema the code uses."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from txaudit.evidence import Store
from txaudit.evidence.schema import metadata


def test_migrations_match_the_table_definitions(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # SQLite keeps blobs as files, so only PostgreSQL has the blobs table.
    if store.sqlite_path is not None:
        diff = [d for d in diff if not (d[0] == "add_table" and d[1].name == "blobs")]
    assert diff == []


def test_opening_a_store_twice_does_not_migrate_again(store: Store) -> None:
    from txaudit.evidence import open_store

    again = open_store(store.url)
    with again.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
    assert again.ledger_head() == store.ledger_head()
    again.close()
