"""Shared helpers of the dataset build: seed files, exact decimals, deterministic CSV output."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "src" / "txaudit" / "data"
SEED_DIR = DATA_DIR / "seed"
BUNDLED_DIR = DATA_DIR / "bundled"
MAPPING_DIR = Path(__file__).resolve().parent

#: Date the seed files were taken into the project; fixed so rebuilds are byte-identical.
RETRIEVED_AT = "2026-12-01T00:00:00Z"
COLLECTOR = "txaudit build_dataset"
TOOL_VERSION = "build_dataset 1"


class BuildError(Exception):
    """A seed file or mapping file the build cannot use; names file, line and field."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, field: str = ""):
        where = ", ".join(
            part
            for part in (file, f"line {line}" if line is not None else "", f"field {field}")
            if part and part != "field "
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class SeedRow:
    """One data row of a seed CSV, with the physical line it starts on (header = line 1)."""

    file: str
    line: int
    values: Mapping[str, str]

    def get(self, key: str) -> str:
        return (self.values.get(key) or "").strip()


@dataclass
class SeedFile:
    """A seed CSV held unchanged: its bytes, sha256 and parsed rows."""

    name: str
    data: bytes
    header: list[str] = field(default_factory=list)
    rows: list[SeedRow] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_seed(path: Path) -> SeedFile:
    """Read a seed CSV as UTF-8, keeping the line number each record starts on.

    Records with embedded newlines would shift line numbers, so the start line is
    taken from the reader's position rather than counted.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(f"not UTF-8 ({exc})", file=path.name) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    seed = SeedFile(name=path.name, data=data)
    try:
        seed.header = next(reader)
    except StopIteration as exc:
        raise BuildError("empty file", file=path.name) from exc
    start = reader.line_num + 1
    for cells in reader:
        line = start
        start = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(seed.header):
            raise BuildError(
                f"{len(cells)} cells, header has {len(seed.header)}", file=path.name, line=line
            )
        seed.rows.append(SeedRow(path.name, line, dict(zip(seed.header, cells, strict=True))))
    return seed


def fmt_decimal(value: Decimal | None) -> str:
    """Plain, exponent-free text of an exact decimal (``1.30`` -> ``1.3``, 1E+5 -> ``100000``)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def slug(text: str) -> str:
    """Lower-case ASCII slug: letters and digits joined by single underscores (accents folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """Write rows as UTF-8 CSV with ``\\n`` line ends, exactly ``columns`` in that order."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        extra = set(row) - set(columns)
        if extra:
            raise BuildError(f"unexpected columns {sorted(extra)}", file=path.name)
        writer.writerow([_cell(row.get(c)) for c in columns])
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return n


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt_decimal(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_mapping(name: str) -> list[dict[str, str]]:
    """Read a curated mapping CSV from scripts/dataset/ (comment lines start with ``#``)."""
    path = MAPPING_DIR / name
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        if None in row:
            raise BuildError(f"extra cells {row[None]!r} (quote cells holding commas)", file=name)
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def iter_unique(items: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item
