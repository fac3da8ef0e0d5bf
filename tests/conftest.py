"""Shared fixtures: evidence stores on SQLite and PostgreSQL.

``store`` is an initialised, empty store (no bundled data), parametrised over both
backends; ``store_url`` is the location of a not-yet-initialised store on the same
backends (the one ``store`` uses); ``empty_store_url`` is a second fresh location on the
same backend; ``fixture_store`` holds the small test package in
tests/evidence/fixtures/pkg, whose datapackage.json ``fixture_package`` returns.

PostgreSQL tests need ``$TXAUDIT_TEST_PG`` (default
postgresql://postgres@127.0.0.1:5432/test). Each test gets its own database, cloned from
a migrated template made once per session, and dropped afterwards, so tests running at
the same time never share tables. Without a server they are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from txaudit.evidence import Store, init_store

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
FIXTURE_PACKAGE = Path(__file__).parent / "evidence" / "fixtures" / "pkg" / "datapackage.json"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_admin() -> str:
    return os.environ.get("TXAUDIT_TEST_PG", PG_DEFAULT)


def _with_db(url: str, name: str) -> str:
    base = url.rsplit("/", 1)[0]
    return f"{base}/{name}"


def _pg_exec(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """Name of a migrated, empty template database (skips without a server)."""
    try:
        import psycopg

        with psycopg.connect(_pg_admin(), connect_timeout=3):
            pass
    except Exception as exc:  # any failure to connect means: no server here
        pytest.skip(f"PostgreSQL not reachable at {_pg_admin()} ($TXAUDIT_TEST_PG): {exc}")
    from txaudit.evidence.engine import make_engine, migrate

    name = f"txa_tmpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _pg_exec(_pg_admin(), f'CREATE DATABASE "{name}"')
    engine = make_engine(_with_db(_pg_admin(), name).replace(
        "postgresql://", "postgresql+psycopg://", 1))
    migrate(engine)
    engine.dispose()
    yield name
    _pg_exec(_pg_admin(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh store can be created: a SQLite path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    template = request.getfixturevalue("pg_template")
    name = f"txa_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    _pg_exec(_pg_admin(), f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _with_db(_pg_admin(), name)
    finally:
        _pg_exec(_pg_admin(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fixture_package() -> Path:
    """datapackage.json of the small test package (tests/evidence/fixtures/pkg)."""
    return FIXTURE_PACKAGE


@pytest.fixture
def empty_store_url(store_url: str, request: pytest.FixtureRequest,
                    tmp_path: Path) -> Iterator[str]:
    """A second fresh location on the same backend as ``store_url`` (and ``store``), e.g.
    the target of an export -> import round trip."""
    if not store_url.startswith("postgresql"):
        yield str(tmp_path / "empty.db")
        return
    template = request.getfixturevalue("pg_template")
    name = f"txa_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    _pg_exec(_pg_admin(), f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _with_db(_pg_admin(), name)
    finally:
        _pg_exec(_pg_admin(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An initialised store without the bundled dataset, on each backend."""
    s = init_store(store_url, load_bundled=False, actor="test")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def fixture_store(store_url: str) -> Iterator[Store]:
    """A store holding the small fixture package (3 hospitals, 6 observations…)."""
    s = init_store(store_url, actor="test", bundled=FIXTURE_PACKAGE)
    try:
        yield s
    finally:
        s.close()
