"""CLI commands of the collect part: ``collect`` (archives and documents) and ``fetch``."""

from __future__ import annotations

import getpass
import time
from pathlib import Path
from typing import Any

import typer

from txaudit.cli._common import DbOption, JsonOption, emit_json, errors_as_exit, resolve_db


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "txaudit"


def _options(
    *,
    db: str,
    workers: int,
    scheduler: str | None,
    terms: list[str] | None,
    no_prefilter: bool,
    no_extract: bool,
    checkpoint: Path | None,
    no_checkpoint: bool,
    max_record_mb: float,
    max_text_chars: int,
    max_pdf_pages: int,
    max_html_depth: int,
    timeout: float,
    chunk_mb: float,
    store: Any,
) -> Any:
    from txaudit.collect import CollectOptions, Limits, Prefilter, default_checkpoint
    from txaudit.collect.prefilter import parse_terms
    from txaudit.collect.sink import hospital_matcher

    prefilter = Prefilter.disabled() if no_prefilter else parse_terms(terms)
    limits = Limits(
        max_record_bytes=int(max_record_mb * 1_000_000),
        max_text_chars=max_text_chars,
        max_pdf_pages=max_pdf_pages,
        max_html_depth=max_html_depth,
        max_seconds_per_record=timeout,
    )
    return CollectOptions(
        limits=limits,
        prefilter=prefilter,
        extract=not no_extract,
        matcher=None if no_extract else hospital_matcher(store),
        workers=workers,
        scheduler=scheduler,
        chunk_bytes=max(1, int(chunk_mb * 1024 * 1024)),
        checkpoint=None if no_checkpoint else (checkpoint or default_checkpoint(db)),
    )


class _Bar:
    """A rich progress bar over input bytes showing records/s and MB/s."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.progress: Any = None
        self.task: Any = None

    def __enter__(self) -> _Bar:
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("[bold]collect"),
                BarColumn(),
                TextColumn("{task.fields[records]} records"),
                TextColumn("{task.fields[rps]:.0f} rec/s"),
                TextColumn("{task.fields[mbps]:.1f} MB/s"),
                TimeElapsedColumn(),
                transient=False,
            )
            self.progress.__enter__()
            self.task = self.progress.add_task("collect", total=None, records=0, rps=0.0,
                                               mbps=0.0)
        return self

    def __call__(self, counts: Any, total_bytes: int) -> None:
        if self.progress is None:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(
            self.task,
            total=total_bytes or None,
            completed=counts.bytes_read,
            records=counts.records_read,
            rps=counts.records_read / elapsed,
            mbps=counts.bytes_read / elapsed / 1e6,
        )

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(None, None, None)


def _render_summary(summary: Any, elapsed: float) -> None:
    from rich.console import Console
    from rich.table import Table

    c = summary.counts
    table = Table(title="Collection summary", show_header=False)
    rows = [
        ("records read", c.records_read),
        ("kept (documents)", c.kept),
        ("skipped by prefilter", c.skipped_prefilter),
        ("skipped (not documents, empty)", c.skipped_other),
        ("quarantined", c.quarantined),
        ("claims found", c.claims_found if summary.extract_available else "extract not available"),
        ("sources added", c.sources_added),
        ("claims added (pending review)", c.claims_added),
        ("units already done (resumed)", c.units_resumed),
        ("records already stored (resumed)", c.records_resumed),
        ("input MB", f"{c.bytes_read / 1e6:.1f}"),
        ("MB/s", f"{c.bytes_read / 1e6 / max(elapsed, 1e-6):.1f}"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    Console().print(table)


def collect_command(
    paths: list[Path] = typer.Argument(..., help="WARC/ARC/WACZ files, documents or folders."),
    db: str | None = DbOption,
    workers: int = typer.Option(1, "--workers", "-w", help="Processes reading in parallel."),
    scheduler: str | None = typer.Option(
        None, "--scheduler",
        help="Run on Dask: a scheduler address (tcp://host:8786) or 'local' (in-process).",
    ),
    terms: list[str] | None = typer.Option(
        None, "--term", help="Prefilter term (repeatable or comma-separated); default: "
        "transplant terms in Chinese and English.",
    ),
    no_prefilter: bool = typer.Option(False, "--no-prefilter", help="Keep every record."),
    no_extract: bool = typer.Option(False, "--no-extract", help="Do not look for claims."),
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", help="Checkpoint file of finished units (default: next to the store)."
    ),
    no_checkpoint: bool = typer.Option(False, "--no-checkpoint", help="Do not checkpoint."),
    max_record_mb: float = typer.Option(50.0, help="Largest record or file read, in MB."),
    max_text_chars: int = typer.Option(5_000_000, help="Longest text derived from a document."),
    max_pdf_pages: int = typer.Option(2000, help="Most pages read from one PDF."),
    max_html_depth: int = typer.Option(400, help="Deepest element nesting accepted."),
    timeout: float = typer.Option(60.0, help="Seconds allowed to derive text from one record."),
    chunk_mb: float = typer.Option(64.0, help="Byte range per task when splitting large WARCs."),
    actor: str | None = typer.Option(None, "--actor", help="Who collects (default: login)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    as_json: bool = JsonOption,
) -> None:
    """Read web archives and documents into the store as sources, with claims for review.

    Example: txaudit collect crawl/ --workers 2 --db audit.db
    """
    from txaudit.collect import StoreSink, collect
    from txaudit.evidence import open_store

    with errors_as_exit():
        location = resolve_db(db)
        store = open_store(location)
        options = _options(
            db=location, workers=workers, scheduler=scheduler, terms=terms,
            no_prefilter=no_prefilter, no_extract=no_extract, checkpoint=checkpoint,
            no_checkpoint=no_checkpoint, max_record_mb=max_record_mb,
            max_text_chars=max_text_chars, max_pdf_pages=max_pdf_pages,
            max_html_depth=max_html_depth, timeout=timeout, chunk_mb=chunk_mb, store=store,
        )
        started = time.monotonic()
        with _Bar(progress and not as_json) as bar:
            summary = collect(paths, StoreSink(store, actor=_actor(actor)), options,
                              progress=bar)
        elapsed = time.monotonic() - started
    if as_json:
        emit_json({**summary.as_dict(), "seconds": round(elapsed, 3)})
    else:
        _render_summary(summary, elapsed)


def fetch_command(
    urls: list[str] = typer.Argument(..., help="Pages to capture."),
    warc: Path | None = typer.Option(
        None, "--warc", help="WARC file to write (default: fetch-<UTC time>.warc.gz)."
    ),
    cdx: str | None = typer.Option(
        None, "--cdx", help="Also fetch archived captures listed by this Wayback-style CDX "
        "endpoint (e.g. https://web.archive.org/cdx/search/cdx).",
    ),
    replay: str | None = typer.Option(
        None, "--replay", help="Replay URL prefix for CDX captures (default: derived from --cdx, "
        "e.g. https://web.archive.org/web/).",
    ),
    from_year: int | None = typer.Option(None, "--from", help="First year of CDX captures."),
    to_year: int | None = typer.Option(None, "--to", help="Last year of CDX captures."),
    per_year: int = typer.Option(1, "--per-year", help="CDX captures kept per URL and year."),
    db: str | None = DbOption,
    no_extract: bool = typer.Option(False, "--no-extract", help="Do not look for claims."),
    use_prefilter: bool = typer.Option(
        False, "--prefilter/--no-prefilter", help="Apply the transplant-term prefilter to "
        "fetched pages (off by default: the pages were chosen by hand)."
    ),
    timeout: float = typer.Option(30.0, help="Seconds per HTTP request."),
    actor: str | None = typer.Option(None, "--actor", help="Who collects (default: login)."),
    as_json: bool = JsonOption,
) -> None:
    """Capture live pages (and archived captures via CDX) into a WARC, then collect it.

    Example: txaudit fetch https://example.org/about.html --cdx https://web.archive.org/cdx/search/cdx
    """
    from txaudit.collect import StoreSink, collect
    from txaudit.collect.fetch import FetchOptions, fetch_to_warc
    from txaudit.evidence import open_store

    with errors_as_exit():
        location = resolve_db(db)
        store = open_store(location)
        out = warc or Path(time.strftime("fetch-%Y%m%dT%H%M%SZ.warc.gz", time.gmtime()))
        report = fetch_to_warc(
            urls, out,
            FetchOptions(cdx=cdx, replay=replay, from_year=from_year, to_year=to_year,
                         per_year=per_year, timeout=timeout),
        )
        options = _options(
            db=location, workers=1, scheduler=None, terms=None, no_prefilter=not use_prefilter,
            no_extract=no_extract, checkpoint=None, no_checkpoint=True, max_record_mb=50.0,
            max_text_chars=5_000_000, max_pdf_pages=2000, max_html_depth=400, timeout=60.0,
            chunk_mb=64.0, store=store,
        )
        summary = collect([out], StoreSink(store, actor=_actor(actor)), options)
    result = {"warc": str(out), "fetched": report.fetched, "failed": report.failed,
              **summary.as_dict()}
    if as_json:
        emit_json(result)
        return
    typer.echo(f"Wrote {len(report.fetched)} capture(s) to {out}")
    for url, reason in report.failed:
        typer.echo(f"  not fetched: {url}: {reason}")
    _render_summary(summary, 0.0)


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("collect")(collect_command)
    app.command("fetch")(fetch_command)
