"""Whole audits in one call: the store, the estimate, the forensic tests and the report.

This is the one library module allowed to wire the parts together (see
``docs/architecture.md``): it opens the store (``txaudit.evidence``), hands its frames to
``txaudit.estimate`` and ``txaudit.forensics`` and their results to ``txaudit.report``.
The parts themselves stay apart (``estimate/`` and ``forensics/`` do no I/O, ``report/``
never queries the store), and the command line only parses options, calls one function
of this module and writes or prints what it returns.

- :func:`run_audit` — everything ``txaudit report`` does before writing the file;
- :func:`audit_series` — ``txaudit forensics``: load a series (CSV file, store or bundled
  figures) and run the forensic tests that apply;
- :func:`bundled_panel_check` — ``txaudit forensics-panel``;
- :func:`load_series`, :func:`bundled_figures` — the loading steps on their own.
"""

from __future__ import annotations

import shlex
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from txaudit.errors import ConfigError, InputError, NotFoundError, TxauditError, TxauditWarning

if TYPE_CHECKING:  # the parts are imported on first use, so `import txaudit.audit` is quick
    from txaudit.forensics import Finding, PanelCheck
    from txaudit.report import Report

T = TypeVar("T")

#: Monte Carlo draws of a report unless told otherwise
DEFAULT_DRAWS = 100_000
DEFAULT_SEED = 0
#: the shipped OfficialFigure rows (GODT panel and official series), inside the package
BUNDLED_FIGURES = "data/bundled/official_figures.csv"


# --------------------------------------------------------------------------- report


@dataclass
class AuditRun:
    """What :func:`run_audit` returns: the rendered report and how the run went."""

    #: the rendered report (``report.timings`` holds every stage, rendering included)
    report: Report
    #: where the report should be written: ``out``, else ``report.<suffix>``; None means
    #: standard output (JSON without ``out``)
    target: Path | None
    #: True when the store did not exist and was created with the bundled dataset
    created_store: bool
    #: seconds spent per stage before rendering (open, store, estimate, sensitivity,
    #: forensics)
    timings: dict[str, float] = field(default_factory=dict)
    #: seconds of all stages, rendering included
    seconds: float = 0.0


class _Stages:
    """Times each stage of the run and keeps the warnings raised in it."""

    def __init__(self, on_stage: Callable[[str, float], None] | None) -> None:
        self.on_stage = on_stage
        self.timings: dict[str, float] = {}
        self.caught: list[tuple[str, str]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0
        self.caught += [(name, str(w.message)) for w in caught]
        if self.on_stage is not None:
            self.on_stage(name, time.perf_counter() - t0)

    def run(self, name: str, fn: Callable[[], T]) -> T:
        with self.stage(name):
            return fn()


def command_line(
    *, scenario: str | None, fmt: str, draws: int, seed: int, years: list[int] | None,
    model: Path | None, db: str | None, reproducible: bool, no_sensitivity: bool,
    no_forensics: bool,
) -> str:
    """The ``txaudit report`` command that regenerates the same report (output paths left out).

    It goes into the report's reproducibility stamp.
    """
    args = ["txaudit", "report"]
    if db:
        args += ["--db", db]
    if model:
        args += ["--model", str(model)]
    if scenario:
        args += ["--scenario", scenario]
    for y in years or []:
        args += ["--year", str(y)]
    args += ["--draws", str(draws), "--seed", str(seed), "--format", fmt]
    if no_sensitivity:
        args.append("--no-sensitivity")
    if no_forensics:
        args.append("--no-forensics")
    if reproducible:
        args.append("--reproducible")
    return shlex.join(args)


def report_target(out: Path | None, fmt: str) -> Path | None:
    """Where a report goes: ``out``, else ``report.<suffix>``; None (stdout) for JSON."""
    from txaudit.report import FORMATS

    if out is not None:
        return out
    return None if fmt == "json" else Path(f"report{FORMATS[fmt]}")


def figure_reference(figures: Path | None, target: Path | None) -> str | None:
    """The figures folder as the Markdown file should refer to it (relative when possible)."""
    if figures is None:
        return None
    base = target.parent if target is not None else Path(".")
    try:
        return figures.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return figures.resolve().as_posix()


def open_or_init(location: str) -> tuple[Any, bool]:
    """``(store, created)``: a SQLite file that does not exist yet is created with the
    bundled dataset (as ``txaudit init`` does); anything else is opened."""
    from txaudit.evidence import init_store, open_store

    is_url = "://" in location
    if not is_url and not Path(location).exists():
        return init_store(location), True
    return open_store(location), False


def run_audit(
    db_location: str,
    *,
    scenario: str | None = None,
    years: list[int] | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    model_path: Path | None = None,
    sensitivity: bool = True,
    forensics: bool = True,
    fmt: str = "html",
    out: Path | None = None,
    figures_dir: Path | None = None,
    reproducible: bool = False,
    command: str | None = None,
    on_stage: Callable[[str, float], None] | None = None,
    on_store_created: Callable[[str], None] | None = None,
) -> AuditRun:
    """Run the audit on the store at ``db_location`` and render its report as ``fmt``.

    Stages, each timed (``AuditRun.timings``) and with the Python warnings raised in
    it listed in the report's Warnings section as ``run (<stage>)``:

    1. **open** — :func:`open_or_init` (a missing SQLite file is created with the
       bundled dataset; ``on_store_created(location)`` is called then);
       **store** — the store's frames, ledger head and content digest (the store is
       closed afterwards: everything below works on the frames);
    2. **estimate** — ``estimate_frames`` with the model (``model_path``, ``scenario``),
       ``years`` (None: the estimator's default), ``draws`` and ``seed``;
    3. **sensitivity** (unless ``sensitivity=False``) — tornado and Sobol of the
       national total in the latest estimated year; an error there becomes a warning;
    4. **forensics** (unless ``forensics=False``) —
       :func:`txaudit.forensics.selection.forensics_for_country` on the official figures
       of the model's country;
    5. ``build_report`` (assemble, charts, render).

    ``on_stage(name, seconds)`` is called as each of stages 1–4 ends. ``out`` and
    ``figures_dir`` are not written here; they set :attr:`AuditRun.target` and, for
    Markdown, how the report refers to the figures. ``command`` goes into the stamp
    (default: :func:`command_line` of these arguments). With ``reproducible`` the stamp
    has no generation time, so the same store, model and seed give identical bytes.
    Raises ``ConfigError`` for an unknown format before the store is touched.
    """
    from txaudit import __version__
    from txaudit.report import FORMATS, Stamp, WarningRow, build_report

    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    st = _Stages(on_stage)
    with st.stage("open"):
        store, created = open_or_init(db_location)
    if created and on_store_created is not None:
        on_store_created(db_location)
    with st.stage("store"):
        try:
            frames = {
                "observations": store.observations(),
                "hospitals": store.hospitals(),
                "official_figures": store.official_figures(),
                "reference_figures": store.reference_figures(),
                "sources": store.sources(),
            }
            ledger_head = store.ledger_head()
            digest = store.content_digest()
        finally:
            store.close()
    est, the_model = st.run("estimate", lambda: _estimate(
        frames, model_path, scenario, years, draws, seed))
    sens = None
    if sensitivity:
        sens = st.run("sensitivity", lambda: _sensitivity(frames, the_model, est, seed))
    findings: list[Any] = []
    if forensics:
        with st.stage("forensics"):
            findings = _forensics(frames["official_figures"], the_model.country, seed)
    if command is None:
        command = command_line(
            scenario=scenario, fmt=fmt, draws=draws, seed=seed, years=years,
            model=model_path, db=db_location, reproducible=reproducible,
            no_sensitivity=not sensitivity, no_forensics=not forensics)
    stamp = Stamp(
        txaudit_version=__version__,
        model_hash=est.model_hash,
        store_hash=ledger_head,
        content_digest=digest,
        scenario=est.scenario or scenario or "as written",
        seed=seed,
        draws=draws,
        command=command,
        generated_at=None if reproducible else datetime.now(UTC).isoformat(timespec="seconds"),
    )
    extra = [WarningRow(f"run ({stage})", msg) for stage, msg in dict.fromkeys(st.caught)]
    target = report_target(out, fmt)
    figure_dir = figure_reference(figures_dir, target) if fmt == "md" else None
    t0 = time.perf_counter()
    report = build_report(
        estimate=est, stamp=stamp, format=fmt, sensitivity=sens, findings=findings,
        country=the_model.country, warnings=extra, timings=dict(st.timings),
        figure_dir=figure_dir, **frames,
    )
    seconds = sum(st.timings.values()) + time.perf_counter() - t0
    return AuditRun(report=report, target=target, created_store=created,
                    timings=dict(st.timings), seconds=seconds)


def _estimate(frames: dict[str, Any], model_path: Path | None, scenario: str | None,
              years: list[int] | None, draws: int, seed: int) -> tuple[Any, Any]:
    from txaudit.estimate import estimate_frames, load_model

    model = load_model(model_path, scenario)
    if scenario is None and "central" in model.scenarios:
        # a report names the assumptions it used; "central" is the model's stated default
        model = model.with_scenario("central")
    est = estimate_frames(frames["observations"], frames["hospitals"],
                          frames["official_figures"], model, years=years or None,
                          draws=draws, seed=seed)
    return est, model


def _sensitivity(frames: dict[str, Any], model: Any, est: Any, seed: int) -> Any:
    """Tornado and Sobol analysis of the national total in the latest estimated year."""
    from txaudit.estimate.engine import sensitivity_frames

    try:
        return sensitivity_frames(frames["observations"], frames["hospitals"],
                                  frames["official_figures"], model, year=max(est.years),
                                  seed=seed)
    except TxauditError as exc:
        warnings.warn(f"sensitivity analysis could not run: {exc}", TxauditWarning,
                      stacklevel=2)
        return None


def _forensics(official: pd.DataFrame, country: str, seed: int) -> list[Any]:
    """The country's forensic findings; a series that cannot be tested becomes a warning
    of the forensics stage, so the report says so instead of stopping."""
    from txaudit.forensics.selection import forensics_for_country

    findings, notes = forensics_for_country(official, country, seed=seed)
    for note in notes:
        warnings.warn(note, TxauditWarning, stacklevel=2)
    return findings


# --------------------------------------------------------------------------- series


@dataclass
class SeriesAudit:
    """What :func:`audit_series` returns."""

    #: the findings of the tests that apply (skipped ones say why)
    findings: list[Finding]
    #: the name the findings use for the series (with the country when one was given)
    name: str
    #: remarks on where data came from or what was left out, for the user
    notes: list[str] = field(default_factory=list)


def bundled_figures() -> pd.DataFrame | None:
    """The bundled OfficialFigure rows (GODT panel and official series), if shipped."""
    path = resources.files("txaudit") / BUNDLED_FIGURES
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return pd.read_csv(handle, dtype={"figure_id": str, "series": str})


def load_series(
    spec: str, *, store_location: str, country: str | None = None
) -> tuple[pd.DataFrame, str, str | None, list[str]]:
    """``(data, name, file, notes)`` for a CSV path or a series name.

    A ``spec`` ending in ``.csv``, or naming an existing file, is read as CSV (every
    column as text, names lower-cased; rows of ``country`` only when the file has a
    ``country`` column) and ``file`` is the path, so later errors cite file and line.
    Anything else is a series name looked up in the store at ``store_location``, then
    in the bundled official figures (``file`` is None). ``notes`` say where the
    series came from when that was not the store, or why the store could not be read.
    Raises ``InputError`` for a missing CSV file and ``NotFoundError`` when the name is
    in neither place.
    """
    notes: list[str] = []
    path = Path(spec)
    if path.suffix.lower() == ".csv" or path.is_file():
        if not path.is_file():
            raise InputError("no such file", file=spec)
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table.columns = [c.strip().lower() for c in table.columns]
        if country and "country" in table.columns:
            table = table[table["country"] == country]
        return table, path.stem, spec, notes
    frame: pd.DataFrame | None = _from_store(spec, store_location, country, notes)
    if frame is None or frame.empty:
        bundled = bundled_figures()
        if bundled is not None:
            frame = bundled[bundled["series"] == spec]
            if country:
                frame = frame[frame["country"] == country]
            if not frame.empty:
                notes.append(f"{spec}: read from the bundled official figures")
    if frame is None or frame.empty:
        where = f" for {country}" if country else ""
        raise NotFoundError(
            f"no series {spec!r}{where} in the store or the bundled figures; "
            "give a series name (e.g. godt:actual_dd --country Spain) or a CSV file "
            "with year,value columns"
        )
    return frame, spec + (f" ({country})" if country else ""), None, notes


def _from_store(spec: str, location: str, country: str | None,
                notes: list[str]) -> pd.DataFrame | None:
    from txaudit.evidence import open_store

    try:
        store = open_store(location)
    except NotFoundError as exc:
        notes.append(str(exc))
        return None
    return store.official_figures(series=spec, country=country)


def audit_series(
    spec: str,
    *,
    store_location: str,
    against: str | None = None,
    country: str | None = None,
    kind: str = "annual",
    alpha: float = 0.05,
    replicates: int = 2000,
    seed: int | None = 0,
) -> SeriesAudit:
    """Load a series (:func:`load_series`) and run the forensic tests that apply.

    A CSV with a ``date`` column holds counter snapshots and gets
    ``counter_monitoring``. Otherwise ``run_all`` runs with the optional ``against``
    series (loaded the same way) and the bundled GODT panel as reference; without
    the panel its calibrations are left out and a note says so. Rows read from a CSV
    are checked where the file name is known, so bad values cite file, line and field.
    """
    from txaudit.forensics import counter_monitoring, run_all

    data, name, file, notes = load_series(spec, store_location=store_location,
                                          country=country)
    if "date" in data.columns:
        return SeriesAudit(counter_monitoring(data, name=name, alpha=alpha), name, notes)
    other: pd.DataFrame | None = None
    other_name = other_file = None
    if against:
        other, other_name, other_file, more = load_series(
            against, store_location=store_location, country=country)
        notes += more
    panel = bundled_figures()
    if panel is None:
        notes.append("bundled GODT panel not found: panel calibrations left out")
    findings = run_all(
        _named(data, file, kind),
        _named(other, other_file, kind) if other is not None else None,
        kind=kind, panel=panel, alpha=alpha, replicates=replicates, seed=seed,
        name=name, against_name=other_name,
    )
    return SeriesAudit(findings, name, notes)


def _named(data: pd.DataFrame, file: str | None, kind: str) -> Any:
    """Check a CSV's rows here, where the file name is known, so errors cite file and line."""
    from txaudit.forensics import as_series
    from txaudit.forensics.inputs import has_several

    if file is None or has_several(data, "region"):
        return data
    return as_series(data, name=Path(file).stem, file=file, kind=kind)


def bundled_panel_check(
    *, alpha: float = 0.05, replicates: int = 999, seed: int = 0,
    cumulative: bool = False,
) -> PanelCheck:
    """Formula conformance on every real national series of the bundled GODT panel.

    The share it flags is the test's false-alarm rate on genuine series (see
    ``txaudit.forensics.panel_false_alarms``). Raises ``NotFoundError`` when the
    bundled figures are not shipped.
    """
    from txaudit.forensics import ReferencePanel, panel_false_alarms

    frame = bundled_figures()
    if frame is None:
        raise NotFoundError(f"the bundled panel {BUNDLED_FIGURES} is missing")
    return panel_false_alarms(ReferencePanel.from_frame(frame), alpha=alpha,
                              replicates=replicates, seed=seed, cumulative=cumulative)
