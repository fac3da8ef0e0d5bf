"""CLI command of the extract part: ``txaudit extract FILE|SHA256``."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer

from txaudit.cli._common import DbOption, errors_as_exit, resolve_db
from txaudit.errors import InputError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".asp", ".aspx", ".php", ".jsp")


def _text_of(data: bytes, *, html: bool, name: str) -> str:
    """Decode bytes (charset detection for Chinese pages) and strip HTML to its text."""
    from txaudit.collect.charset import decode_bytes
    from txaudit.collect.htmltext import html_to_text

    decoded = decode_bytes(data, html=html).text
    if "\ufffd" in decoded and not html:
        raise InputError(
            "the file is not valid text in any charset tried",
            file=name,
            hint="convert it to UTF-8, or extract its text first",
        )
    if html:
        return html_to_text(decoded)[0]
    return decoded


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def _read_source(source: str, db: str | None) -> tuple[str, str | None, Any]:
    """``(text, sha256 or None, store or None)`` for a file path or a stored source."""
    path = Path(source)
    if path.is_file():
        data = path.read_bytes()
        html = path.suffix.lower() in _HTML_SUFFIXES or _looks_like_html(data)
        store = _open_store(db) if db else None
        return _text_of(data, html=html, name=str(path)), None, store
    if _SHA256.match(source.lower()):
        store = _open_store(resolve_db(db))
        data = store.get_blob(source.lower())
        return _text_of(data, html=_looks_like_html(data), name=source), source.lower(), store
    raise InputError(
        "no such file, and not a sha256 of a stored source",
        file=source,
        hint="give a text/HTML file path or the 64-hex sha256 of a source in the store",
    )


def _open_store(location: str) -> Any:
    from txaudit.evidence import open_store

    return open_store(location)


def _matcher(store: Any) -> Any:
    if store is None:
        return None
    from txaudit.extract import HospitalMatcher

    hospitals = store.hospitals()
    if not len(hospitals):
        return None
    return HospitalMatcher(hospitals, store.aliases())


def _value_text(claim: dict[str, Any]) -> str:
    marks = {"more_than": ">", "at_least": "≥", "less_than": "<", "nearly": "≈<", "approx": "~"}
    if claim["qualifier"] == "range":
        return f"{claim['low']}–{claim['high']}"
    return marks.get(claim["qualifier"], "") + claim["value"]


def _period_text(period: dict[str, Any]) -> str:
    if period["year"] is not None:
        return str(period["year"])
    parts = []
    if period["since"] is not None:
        parts.append(f"since {period['since']}")
    if period["as_of"] is not None:
        parts.append(f"as of {period['as_of']}")
    return ", ".join(parts)


def _render_table(claims: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(claims)} claim(s)")
    for column in ("indicator", "organ", "value", "unit", "period", "hospital", "span"):
        table.add_column(column, no_wrap=column in ("indicator", "organ", "value", "span"))
    table.add_column("text", overflow="fold", ratio=1)
    for claim in claims:
        text = claim["text"]
        table.add_row(
            claim["indicator"],
            claim["organ"],
            _value_text(claim),
            claim["unit"],
            _period_text(claim["period"]),
            claim["hospital"] or "",
            f"{claim['span'][0]}-{claim['span'][1]}",
            text if len(text) <= 80 else text[:77] + "...",
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""

    @app.command("extract")
    def extract_command(
        source: str = typer.Argument(
            ..., help="A text or HTML file, or the sha256 of a source in the store."
        ),
        jsonl: bool = typer.Option(False, "--jsonl", help="Print one JSON object per claim."),
        document_date: str | None = typer.Option(
            None,
            "--date",
            help="The page's date (YYYY-MM-DD): resolves 去年/last year and 'to date'.",
        ),
        lang: str | None = typer.Option(
            None, "--lang", help="zh or en; detected per sentence when omitted."
        ),
        hospital: str | None = typer.Option(
            None, "--hospital", help="The page's own hospital id, for sentences naming none."
        ),
        hospital_beds: bool = typer.Option(
            False, "--hospital-beds", help="Also report whole-hospital bed counts."
        ),
        db: str | None = DbOption,
    ) -> None:
        """Find numeric claims about transplant activity and capacity in a document.

        Example: txaudit extract page.html --date 2015-06-30 --jsonl
        """
        from txaudit.extract import extract_claims

        with errors_as_exit():
            when = _parse_date(document_date)
            if lang not in (None, "zh", "en"):
                raise InputError(f"unknown language {lang!r}", field="--lang", hint="zh or en")
            text, sha, store = _read_source(source, db)
            claims = extract_claims(
                text,
                lang=lang,
                document_date=when,
                source_sha256=sha,
                matcher=_matcher(store),
                page_hospital_id=hospital,
                include_hospital_beds=hospital_beds,
            )
        records = [claim.to_dict() for claim in claims]
        if jsonl:
            for record in records:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        _render_table(records)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"cannot read {value!r} as a date", field="--date", hint="use YYYY-MM-DD"
        ) from None
