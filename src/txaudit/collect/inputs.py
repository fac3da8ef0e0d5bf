"""Turn the paths a user names into work units, and read each unit into items.

A work unit is one local document, one WACZ member, one whole archive, or a
byte range of a large WARC. Units are the grain of parallelism (one unit per
task) and of resumption (a finished unit is checkpointed and never read again).
"""

from __future__ import annotations

import mimetypes
import os
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from txaudit.collect.model import Document, Quarantined
from txaudit.collect.warc import (
    GZIP_MAGIC,
    Item,
    ReadOptions,
    Skipped,
    archive_kind,
    iter_arc,
    iter_warc,
    sniff,
)
from txaudit.errors import InputError

#: Default size of the byte ranges a large WARC is split into.
DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024

_ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz")


@dataclass(frozen=True)
class WorkUnit:
    """A piece of input read by one task.

    ``kind`` is ``warc``/``warc.gz``/``arc``/``arc.gz`` (an archive or a byte range
    of one), ``wacz`` (one archive inside a WACZ zip, named by ``member``) or
    ``file`` (one local document). ``size`` and ``mtime_ns`` identify the version of
    the file the unit was planned from, so a changed file is read again.
    """

    path: str
    kind: str
    start: int = 0
    end: int | None = None
    member: str | None = None
    size: int = 0
    mtime_ns: int = 0

    @property
    def key(self) -> str:
        """Checkpoint key: file identity plus the byte range or member."""
        where = self.member if self.member is not None else f"{self.start}-{self.end}"
        return f"{self.path}|{self.size}|{self.mtime_ns}|{self.kind}|{where}"

    @property
    def nbytes(self) -> int:
        """Bytes of input this unit covers (for progress and throughput)."""
        if self.kind == "wacz" or self.kind == "file":
            return self.size if self.kind == "file" else 0
        end = self.size if self.end is None else min(self.end, self.size)
        return max(0, end - self.start)


def _walk(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or folder", file=str(path))
        if path.is_dir():
            for sub in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in sub.relative_to(path).parts):
                    yield sub
        else:
            yield path


def plan_units(
    paths: Iterable[str | os.PathLike[str]], *, chunk_bytes: int = DEFAULT_CHUNK_BYTES
) -> list[WorkUnit]:
    """Work units for ``paths`` (files and folders, walked recursively in name order).

    A WARC larger than ``chunk_bytes`` is cut into byte ranges when its records
    can be found from any offset: uncompressed files and files gzipped record by
    record. A file gzipped as one member can only be read from its start and
    stays one unit.
    """
    units: list[WorkUnit] = []
    for path in _walk(paths):
        stat = path.stat()
        ident = (str(path), stat.st_size, stat.st_mtime_ns)
        name = path.name.lower()
        if name.endswith(".wacz"):
            units.extend(_wacz_units(path, ident))
            continue
        with path.open("rb") as f:
            kind = archive_kind(f)
            if kind in ("warc", "warc.gz") and stat.st_size > chunk_bytes and (
                kind == "warc" or _multi_member(f)
            ):
                for start in range(0, stat.st_size, chunk_bytes):
                    end: int | None = start + chunk_bytes
                    if end is not None and end >= stat.st_size:
                        end = None
                    units.append(_unit(ident, kind, start=start, end=end))
                continue
        units.append(_unit(ident, "file" if kind == "other" else kind))
    return units


def _unit(ident: tuple[str, int, int], kind: str, *, start: int = 0, end: int | None = None,
          member: str | None = None) -> WorkUnit:
    path, size, mtime_ns = ident
    return WorkUnit(path=path, kind=kind, start=start, end=end, member=member, size=size,
                    mtime_ns=mtime_ns)


def _multi_member(f: IO[bytes]) -> bool:
    """True when the first gzip member ends before the file does (gzip per record)."""
    f.seek(0)
    inflater = zlib.decompressobj(wbits=31)
    consumed = 0
    while not inflater.eof:
        block = f.read(1 << 16)
        if not block:
            return False
        try:
            inflater.decompress(block, 1 << 20)
            while inflater.unconsumed_tail and not inflater.eof:
                inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        except zlib.error:
            return False
        consumed += len(block)
        if consumed > (1 << 26):
            return False  # first member over 64 MB: treat as one stream
    rest = inflater.unused_data + f.read(2)
    return rest.startswith(GZIP_MAGIC[:2])


def _wacz_units(path: Path, ident: tuple[str, int, int]) -> list[WorkUnit]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                n for n in archive.namelist()
                if n.lower().endswith((".warc", ".warc.gz")) and not n.endswith("/")
            )
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable WACZ (zip) file: {exc}", file=str(path)) from exc
    return [_unit(ident, "wacz", member=m) for m in members]


def read_unit(unit: WorkUnit, options: ReadOptions) -> Iterator[Item]:
    """Read one work unit into documents, skips and quarantined records."""
    if unit.kind == "wacz":
        yield from _read_wacz_member(unit, options)
        return
    if unit.kind == "file":
        yield read_local_file(Path(unit.path), options)
        return
    with open(unit.path, "rb") as f:
        if unit.kind in ("arc", "arc.gz"):
            yield from iter_arc(f, unit.path, options)
        else:
            yield from iter_warc(
                f, unit.path, options, start=unit.start, end=unit.end,
                compressed=unit.kind == "warc.gz",
            )


def _read_wacz_member(unit: WorkUnit, options: ReadOptions) -> Iterator[Item]:
    assert unit.member is not None
    name = f"{unit.path}!{unit.member}"
    with zipfile.ZipFile(unit.path) as archive:
        info = archive.getinfo(unit.member)
        if info.compress_type == zipfile.ZIP_STORED:
            # WACZ stores WARCs uncompressed in the zip, so the member is seekable as is
            with archive.open(info) as member:
                yield from iter_warc(
                    member, name, options, compressed=unit.member.endswith(".gz")
                )
            return
        # a deflated member cannot seek; spool it to a temporary file first
        import tempfile

        with tempfile.TemporaryFile() as tmp, archive.open(info) as member:
            while block := member.read(1 << 20):
                tmp.write(block)
            tmp.seek(0)
            yield from iter_warc(
                tmp, name, options, compressed=unit.member.endswith(".gz")
            )


def _local_media_type(path: Path, head: bytes) -> str:
    kind = sniff(head)
    if kind == "pdf":
        return "application/pdf"
    if kind == "html":
        return "text/html"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def read_local_file(path: Path, options: ReadOptions) -> Item:
    """A local HTML, PDF or text file as a Document (or a quarantine entry or a skip)."""
    origin = str(path)
    limits = options.limits
    size = path.stat().st_size
    if size > limits.max_record_bytes:
        return Quarantined(
            origin,
            f"file of {size} bytes exceeds max_record_bytes={limits.max_record_bytes}",
            stage="limit",
        )
    data = path.read_bytes()
    if not data:
        return Skipped(origin, "empty")
    if not options.prefilter.matches(data) and not data[:1024].lstrip().startswith(b"%PDF-"):
        return Skipped(origin, "prefilter", len(data))
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return Document(
        data=data,
        origin=origin,
        url=path.resolve().as_uri(),
        media_type=_local_media_type(path, data[:2048]),
        retrieved_at=mtime,
    )


def is_archive_name(name: str) -> bool:
    """Whether a file name looks like a web archive (by suffix)."""
    return name.lower().endswith(_ARCHIVE_SUFFIXES)
