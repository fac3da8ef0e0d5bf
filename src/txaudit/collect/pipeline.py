"""Run a collection: plan work units, read them (here, in a process pool or on Dask),
and hand every result to a sink in a fixed order.

Whatever runs the units, results reach the sink in unit order and, within a
unit, in record order, so one process, ``workers=N`` and a Dask cluster write
the same sources, claims and quarantine entries.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from txaudit.collect.checkpoint import Checkpoint
from txaudit.collect.derive import DeriveOptions, derive, load_claim_finder
from txaudit.collect.inputs import DEFAULT_CHUNK_BYTES, WorkUnit, plan_units, read_unit
from txaudit.collect.model import Counts, Document, Limits, Quarantined, RecordResult
from txaudit.collect.prefilter import Prefilter
from txaudit.collect.warc import ReadOptions, Skipped
from txaudit.errors import ConfigError


class Sink(Protocol):
    """Where results go. :class:`txaudit.collect.sink.StoreSink` writes to the store."""

    def write(self, result: RecordResult) -> tuple[int, int]:
        """Store one record's results; return (sources newly added, claims newly added)."""
        ...

    def flush(self) -> int:
        """Write anything buffered; return the claims newly added by doing so."""
        ...


@dataclass(frozen=True)
class CollectOptions:
    """Settings of a collection run.

    ``scheduler`` selects Dask: ``"local"`` starts an in-process cluster, any other
    value is a scheduler address (``tcp://host:8786``). ``checkpoint`` names the
    sidecar file of finished units; None disables resumption.
    """

    limits: Limits = field(default_factory=Limits)
    prefilter: Prefilter = field(default_factory=Prefilter.from_terms)
    extract: bool = True
    matcher: Any = None
    workers: int = 1
    scheduler: str | None = None
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    checkpoint: str | os.PathLike[str] | None = None
    #: with one process, record progress inside a unit every this many records
    partial_every: int = 20_000


@dataclass
class UnitOutcome:
    """What one unit produced: its counts and, in record order, the results to store."""

    key: str
    counts: Counts
    results: list[RecordResult]


@dataclass
class CollectSummary:
    """Totals of a run plus whether claim extraction was available."""

    counts: Counts
    units: int
    extract_available: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {**self.counts.as_dict(), "units": self.units,
                "extract_available": self.extract_available}


ProgressCallback = Callable[[Counts, int], None]


def iter_unit_results(
    unit: WorkUnit, read: ReadOptions, derive_options: DeriveOptions, tally: Counts,
    *, skip: int = 0,
) -> Iterator[RecordResult | None]:
    """Results of one unit to be stored, record by record, counting every record in ``tally``.

    Skipped records yield None (they are only counted); the counters are
    updated in place because this loop runs once per record of a whole crawl.
    The first ``skip`` records (stored by an interrupted earlier run) are read
    past without deriving anything from them.
    """
    finder = load_claim_finder() if derive_options.extract else None
    for index, item in enumerate(read_unit(unit, read)):
        if index < skip:
            tally.records_resumed += 1
            continue
        tally.records_read += 1
        if isinstance(item, Skipped):
            if item.reason == "prefilter":
                tally.skipped_prefilter += 1
            else:
                tally.skipped_other += 1
            yield None
        elif isinstance(item, Quarantined):
            tally.quarantined += 1
            yield RecordResult(quarantined=[item])
        else:
            result = derive(item, derive_options, finder)
            if not _passes_text_prefilter(item, result, read.prefilter):
                tally.skipped_prefilter += 1
                yield None
                continue
            tally.kept += 1
            tally.quarantined += len(result.quarantined)
            tally.claims_found += len(result.claims)
            yield result


def _passes_text_prefilter(doc: Document, result: RecordResult, prefilter: Prefilter) -> bool:
    """PDFs skip the byte prefilter (their text is deflated); apply it to their text."""
    if not prefilter.enabled or not doc.data[:1024].lstrip().startswith(b"%PDF-"):
        return True
    text = result.documents[-1].data if len(result.documents) > 1 else b""
    return prefilter.matches(text)


def process_unit(unit: WorkUnit, read: ReadOptions, derive_options: DeriveOptions) -> UnitOutcome:
    """Read a whole unit (in a worker process or on a Dask worker)."""
    total = Counts(bytes_read=unit.nbytes)
    results = [r for r in iter_unit_results(unit, read, derive_options, total) if r is not None]
    return UnitOutcome(unit.key, total, results)


def collect(
    paths: Iterable[str | os.PathLike[str]],
    sink: Sink,
    options: CollectOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> CollectSummary:
    """Read ``paths`` (archives, folders, documents) and write what they hold to ``sink``.

    ``progress`` is called with the counts added so far and the total input bytes
    planned, after every record (one process) or every unit (workers, Dask).
    Units finished in an earlier run (per the checkpoint) are not read again.
    """
    options = options or CollectOptions()
    if options.workers < 1:
        raise ConfigError(f"workers must be at least 1, not {options.workers}")
    units = plan_units(paths, chunk_bytes=options.chunk_bytes)
    checkpoint = Checkpoint(options.checkpoint)
    total_bytes = sum(u.nbytes for u in units)
    tag = _options_tag(options)
    todo = [u for u in units if f"{u.key}|{tag}" not in checkpoint]
    counts = Counts(units_resumed=len(units) - len(todo))
    read = ReadOptions(prefilter=options.prefilter, limits=options.limits)
    derive_options = DeriveOptions(
        limits=options.limits, extract=options.extract, matcher=options.matcher
    )

    def store(result: RecordResult, into: Counts) -> None:
        added_sources, added_claims = sink.write(result)
        into.sources_added += added_sources
        into.claims_added += added_claims

    if options.scheduler is None and options.workers == 1:
        for unit in todo:
            key = f"{unit.key}|{tag}"
            unit_counts = Counts()
            seen = saved = 0
            skip = checkpoint.partial.get(key, 0)
            for result in iter_unit_results(unit, read, derive_options, unit_counts,
                                            skip=skip):
                if result is not None:
                    store(result, unit_counts)
                done = unit_counts.records_read
                if done - saved >= options.partial_every:
                    # everything up to here is in the store before it is recorded
                    unit_counts.claims_added += sink.flush()
                    saved = done
                    checkpoint.mark_partial(key, skip + done)
                if progress is not None and done - seen >= 256:
                    seen = done
                    live = Counts()
                    live.add(counts)
                    live.add(unit_counts)
                    progress(live, total_bytes)
            unit_counts.bytes_read = unit.nbytes
            unit_counts.claims_added += sink.flush()
            counts.add(unit_counts)
            checkpoint.mark(key, unit_counts)
            if progress is not None:
                progress(counts, total_bytes)
    else:
        for outcome in _run_parallel(todo, read, derive_options, options):
            for result in outcome.results:
                store(result, outcome.counts)
            outcome.counts.claims_added += sink.flush()
            counts.add(outcome.counts)
            checkpoint.mark(f"{outcome.key}|{tag}", outcome.counts)
            if progress is not None:
                progress(counts, total_bytes)
    return CollectSummary(
        counts=counts,
        units=len(units),
        extract_available=options.extract and load_claim_finder() is not None,
    )


def _run_parallel(
    units: list[WorkUnit], read: ReadOptions, derive_options: DeriveOptions,
    options: CollectOptions,
) -> Iterator[UnitOutcome]:
    if options.scheduler is not None:
        yield from _run_dask(units, read, derive_options, options)
        return
    # spawn: workers start from a clean interpreter, not a copy of a parent holding
    # database connections and threads; unlike forkserver they are our own children,
    # so their CPU time is accounted to this process when the pool closes
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=options.workers, mp_context=context) as pool:
        yield from _ordered(pool, units, read, derive_options, window=2 * options.workers)


def _ordered(
    executor: Executor, units: list[WorkUnit], read: ReadOptions,
    derive_options: DeriveOptions, *, window: int,
) -> Iterator[UnitOutcome]:
    # A sliding window of submitted units bounds memory (at most `window` units'
    # results are held) while yielding outcomes in unit order.
    pending: list[Future[UnitOutcome]] = []
    queue = iter(units)
    for unit in queue:
        pending.append(executor.submit(process_unit, unit, read, derive_options))
        if len(pending) >= window:
            break
    while pending:
        outcome = pending.pop(0).result()
        next_unit = next(queue, None)
        if next_unit is not None:
            pending.append(executor.submit(process_unit, next_unit, read, derive_options))
        yield outcome


def _run_dask(
    units: list[WorkUnit], read: ReadOptions, derive_options: DeriveOptions,
    options: CollectOptions,
) -> Iterator[UnitOutcome]:
    from dask.distributed import Client

    address = options.scheduler
    if address in ("local", "in-process", ""):
        client = Client(
            processes=False, n_workers=1, threads_per_worker=options.workers,
            dashboard_address=None,
        )
    else:
        client = Client(address)
    try:
        window = 2 * max(options.workers, sum(client.nthreads().values()) or 1)
        pending: list[Any] = []
        queue = iter(units)
        for unit in queue:
            pending.append(client.submit(process_unit, unit, read, derive_options, pure=False))
            if len(pending) >= window:
                break
        while pending:
            future = pending.pop(0)
            outcome = future.result()
            future.release()
            next_unit = next(queue, None)
            if next_unit is not None:
                pending.append(
                    client.submit(process_unit, next_unit, read, derive_options, pure=False)
                )
            yield outcome
    finally:
        client.close()


def _options_tag(options: CollectOptions) -> str:
    # a unit finished under other settings (prefilter terms, limits, extraction)
    # must be read again, so the settings are part of the checkpoint key
    text = repr((options.prefilter.patterns, options.limits, options.extract))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def default_checkpoint(db: str) -> Path:
    """Sidecar checkpoint path for a store: next to a SQLite file, else in the working folder."""
    if "://" not in db or db.startswith("sqlite:///"):
        path = Path(db.removeprefix("sqlite:///"))
        return path.with_name(path.name + ".collect-checkpoint.jsonl")
    return Path("txaudit-collect-checkpoint.jsonl")
