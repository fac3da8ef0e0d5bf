"""Canonical forms and hashes: the one definition every writer and ``verify`` share.

A row's hash is ``sha256(json([table, v1, v2, ...]))`` over its content columns in the
order of :data:`.schema.SPECS`, each value as canonical text (``None`` stays null,
integers in decimal, booleans ``true``/``false``, decimals normalised). The JSON is
compact, UTF-8 and keeps non-ASCII characters as they are, so the same row hashes the same
on SQLite and PostgreSQL and after an export/import round trip.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

ZERO_HASH = "0" * 64

#: the C string encoder json.dumps uses when ensure_ascii is off
encode_str = json.encoder.encode_basestring
_encode_str = encode_str


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def dumps(obj: Any) -> str:
    """Compact, key-sorted JSON with non-ASCII kept; the only JSON form that is hashed."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dec_text(value: Decimal) -> str:
    """Normalised plain-notation text of a finite decimal: ``1.30`` -> ``1.3``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def parse_decimal(text: str) -> Decimal:
    """Parse a finite decimal; raises ``ValueError`` otherwise."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    return value


def canon(value: Any) -> str | None:
    """Canonical text of one stored value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return dec_text(value)
    return str(value)


def canon_bool(value: Any) -> str | None:
    """Canonical text of a boolean column (SQLite hands back 0/1)."""
    if value is None:
        return None
    return "true" if value in (True, 1, "1", "true") else "false"


def row_hash(table: str, values: Sequence[str | None]) -> str:
    """sha256 of ``json([table, *values])`` (values already canonical text).

    Built by hand with the json module's own string encoder, which gives byte-for-byte
    the output of :func:`dumps` for a list of strings and nulls, several times faster.
    """
    body = ",".join(["null" if v is None else _encode_str(v) for v in values])
    return hashlib.sha256(f"[{_encode_str(table)},{body}]".encode()).hexdigest()


def event_hash(
    seq: int, at: str, actor: str, action: str, payload_sha256: str, prev_hash: str
) -> str:
    """Hash of one ledger event; it chains to the previous event through ``prev_hash``."""
    return sha256_hex(dumps([seq, at, actor, action, payload_sha256, prev_hash]).encode("utf-8"))


class EventDigest:
    """Running digest of what one event wrote, table by table, in write order.

    ``rows[table]`` hashes ``key\\x1frow_hash\\n`` for each inserted row in ``event_pos``
    order; ``states[table]`` hashes the state changes (sorted by key) the event made.
    :meth:`payload_sha256` combines them with the event's ``detail``.
    """

    def __init__(self) -> None:
        self._rows: dict[str, Any] = {}
        self._counts: dict[str, int] = {}
        self._states: dict[str, list[tuple[str, list[str | None]]]] = {}

    def add_row(self, table: str, key: str, rhash: str) -> None:
        h = self._rows.get(table)
        if h is None:
            h = self._rows[table] = hashlib.sha256()
            self._counts[table] = 0
        h.update(f"{key}\x1f{rhash}\n".encode())
        self._counts[table] += 1

    def add_state(self, table: str, key: str, values: Sequence[str | None]) -> None:
        self._states.setdefault(table, []).append((key, list(values)))

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def summary(self) -> dict[str, Any]:
        rows = {t: {"n": self._counts[t], "digest": h.hexdigest()} for t, h in self._rows.items()}
        states = {
            t: sha256_hex(dumps(sorted(items)).encode("utf-8"))
            for t, items in self._states.items()
        }
        return {"rows": rows, "states": states}

    def payload_sha256(self, detail: dict[str, Any]) -> str:
        return sha256_hex(dumps({"detail": detail, **self.summary()}).encode("utf-8"))


def key_text(values: Sequence[Any]) -> str:
    """One string for a (possibly composite) primary key."""
    return "\x1e".join("" if v is None else str(v) for v in values)
