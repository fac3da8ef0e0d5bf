"""Content-addressed blob stores: the original bytes of every source, keyed by sha256.

SQLite stores keep blobs in a folder beside the database file (``<name>.blobs/ab/cdef…``),
so the database stays small and the documents stay plain files. PostgreSQL stores keep
them in the ``blobs`` table, inside the same transaction as the rows that cite them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from txaudit.errors import NotFoundError
from txaudit.evidence.schema import blobs as blobs_table


class BlobStore(Protocol):
    """Where source bytes live."""

    def put(self, conn: Connection, data: bytes) -> str: ...

    def put_many(self, conn: Connection, items: Sequence[bytes]) -> list[str]: ...

    def get(self, conn: Connection, sha256: str) -> bytes: ...

    def has(self, conn: Connection, sha256: str) -> bool: ...

    def rehash(self, conn: Connection) -> Iterator[tuple[str, str]]:
        """Yield ``(name, actual_sha256)`` for every blob held."""
        ...


class FolderBlobStore:
    """Blobs as files ``root/ab/cdef…``; written to a temporary file, then renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def put(self, conn: Connection, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def put_many(self, conn: Connection, items: Sequence[bytes]) -> list[str]:
        """Store several blobs; returns their sha256s in order.

        All files are written first and only then flushed to disk one by one, so the
        disk sees one burst of writes instead of write, flush, write, flush…; each file
        is still on disk before it gets its final name.
        """
        shas: list[str] = []
        todo: list[tuple[str, Path]] = []
        planned: set[Path] = set()
        try:
            for data in items:
                sha = hashlib.sha256(data).hexdigest()
                shas.append(sha)
                target = self.path(sha)
                if target in planned or target.exists():
                    continue
                planned.add(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
                todo.append((tmp, target))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            for tmp, _ in todo:
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            for tmp, target in todo:
                os.replace(tmp, target)
        except BaseException:
            for tmp, _ in todo:
                Path(tmp).unlink(missing_ok=True)
            raise
        return shas

    def get(self, conn: Connection, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"blob {sha256} is not in the store") from None

    def has(self, conn: Connection, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def rehash(self, conn: Connection) -> Iterator[tuple[str, str]]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if not sub.is_dir():
                continue
            for f in sorted(sub.iterdir()):
                if f.name.startswith(".tmp-"):
                    continue
                h = hashlib.sha256()
                with f.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)
                yield sub.name + f.name, h.hexdigest()


class TableBlobStore:
    """Blobs as rows of the ``blobs`` table (PostgreSQL)."""

    def put(self, conn: Connection, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        stmt = pg_insert(blobs_table).values(sha256=sha, data=data).on_conflict_do_nothing()
        conn.execute(stmt)
        return sha

    def put_many(self, conn: Connection, items: Sequence[bytes]) -> list[str]:
        """Store several blobs in the current transaction; returns their sha256s."""
        shas = [hashlib.sha256(d).hexdigest() for d in items]
        rows = {sha: data for sha, data in zip(shas, items, strict=True)}
        if rows:
            stmt = pg_insert(blobs_table).on_conflict_do_nothing()
            conn.execute(stmt, [{"sha256": k, "data": v} for k, v in rows.items()])
        return shas

    def get(self, conn: Connection, sha256: str) -> bytes:
        data = conn.execute(
            select(blobs_table.c.data).where(blobs_table.c.sha256 == sha256)
        ).scalar()
        if data is None:
            raise NotFoundError(f"blob {sha256} is not in the store")
        return bytes(data)

    def has(self, conn: Connection, sha256: str) -> bool:
        found = conn.execute(
            select(blobs_table.c.sha256).where(blobs_table.c.sha256 == sha256)
        ).first()
        return found is not None

    def rehash(self, conn: Connection) -> Iterator[tuple[str, str]]:
        result = conn.execution_options(yield_per=64).execute(
            select(blobs_table.c.sha256, blobs_table.c.data).order_by(blobs_table.c.sha256)
        )
        for name, data in result:
            yield name, hashlib.sha256(bytes(data)).hexdigest()
