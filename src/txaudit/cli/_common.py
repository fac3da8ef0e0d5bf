"""Helpers shared by the CLI modules: store location, JSON output, error translation."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer

from txaudit.errors import TxauditError

T = TypeVar("T")

#: Where the store lives when neither ``--db`` nor ``TXAUDIT_DB`` says otherwise.
DEFAULT_DB = "txaudit.db"

DbOption = typer.Option(
    None,
    "--db",
    help="Store location: a SQLite file path or a postgresql:// URL. "
    f"Defaults to $TXAUDIT_DB, else ./{DEFAULT_DB}.",
    show_default=False,
)

JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON instead of a table.")


def resolve_db(db: str | None) -> str:
    """The store location: the flag, else ``TXAUDIT_DB``, else the default file."""
    return db or os.environ.get("TXAUDIT_DB") or DEFAULT_DB


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def errors_as_exit() -> Iterator[None]:
    """Turn txaudit's own errors into one clear line and a non-zero exit."""
    try:
        yield
    except TxauditError as exc:
        raise fail(str(exc), exc.exit_code) from None
    except FileNotFoundError as exc:
        raise fail(f"{exc.filename}: no such file") from None


def guarded(fn: Callable[[], T]) -> T:
    """Call ``fn`` with :func:`errors_as_exit` around it."""
    with errors_as_exit():
        return fn()


def _default(obj: Any) -> Any:
    # Decimals, numpy scalars, dates and paths are common in results.
    if hasattr(obj, "item"):
        return obj.item()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def emit_json(data: Any) -> None:
    """Write ``data`` as indented JSON on stdout (UTF-8, Chinese kept readable)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default))
    sys.stdout.write("\n")
