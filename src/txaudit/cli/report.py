"""``txaudit report``: the audit report on the store's evidence, in one command.

The command gathers the inputs (store frames, the estimate, sensitivity and the
forensic findings on the official series), then calls
:func:`txaudit.report.build_report` and writes the file. With no store yet it
first creates one with the bundled dataset, so a journalist needs one command.
"""

from __future__ import annotations

import shlex
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import typer

from txaudit.cli._common import DbOption, errors_as_exit, resolve_db
from txaudit.errors import TxauditError, TxauditWarning

T = TypeVar("T")

#: Monte Carlo draws of a report unless --draws says otherwise
DEFAULT_DRAWS = 100_000
DEFAULT_SEED = 0


class _Stages:
    """Times each stage of the run and keeps the warnings raised in it."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
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
        if self.verbose:
            typer.echo(f"  {name:<12} {time.perf_counter() - t0:7.2f} s", err=True)

    def run(self, name: str, fn: Callable[[], T]) -> T:
        with self.stage(name):
            return fn()


def _command_line(
    *, scenario: str | None, fmt: str, draws: int, seed: int, years: list[int] | None,
    model: Path | None, db: str | None, reproducible: bool, no_sensitivity: bool,
    no_forensics: bool,
) -> str:
    """The command that regenerates the same report (output paths left out)."""
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


def _open_or_init(db: str) -> tuple[Any, bool]:
    """Open the store; a SQLite file that does not exist yet is created with the bundled data."""
    from txaudit.evidence import init_store, open_store

    is_url = "://" in db
    if not is_url and not Path(db).exists():
        return init_store(db), True
    return open_store(db), False


def _forensic_findings(official: Any, country: str, seed: int) -> list[Any]:
    """Forensic tests on the country's national official series.

    For each (indicator, organ) of transplants and deceased donors, the national
    series with the most years (at least six) is tested; where several tie, the
    one with the largest values (a total rather than its parts). The two largest
    transplant series are also tested against each other (ratio stability,
    values repeated across series). The GODT country panel in the store, when
    present, calibrates the formula-conformance test.
    """
    import pandas as pd

    from txaudit.forensics import ReferencePanel, run_all

    if official is None or not len(official):
        return []
    off = official[official["value"].notna()]
    national = off[(off["country"].fillna("").str.lower() == country.lower())
                   & off["region"].isna()
                   & off["indicator"].isin(["transplants_annual", "deceased_donors"])]
    chosen: list[tuple[str, pd.DataFrame]] = []
    for _, group in national.groupby(["indicator", "organ"], sort=True):
        best = None
        for name, rows in group.groupby("series", sort=True):
            rows = rows.sort_values("year").drop_duplicates("year")
            score = (rows["year"].nunique(), float(rows["value"].sum()))
            if rows["year"].nunique() >= 6 and (best is None or score > best[0]):
                best = (score, str(name), rows)
        if best is not None:
            chosen.append((best[1], best[2]))
    if not chosen:
        return []
    panel_rows = off[off["publisher"].fillna("") == "GODT"]
    panel = ReferencePanel.from_frame(panel_rows) if len(panel_rows) else None
    transplants = sorted((c for c in chosen if c[1]["indicator"].iloc[0] == "transplants_annual"
                          and c[1]["organ"].iloc[0] != "all"),
                         key=lambda c: -float(c[1]["value"].sum()))
    paired = transplants[:2] if len(transplants) >= 2 else []
    findings: list[Any] = []
    for name, rows in chosen:
        against = None
        if paired and name == paired[0][0]:
            against = paired[1][1]
        try:
            findings += run_all(rows, against, panel=panel, seed=seed, name=name,
                                against_name=paired[1][0] if against is not None else None)
        except TxauditError as exc:
            # one series the tests cannot read must not stop the report: say so in it
            warnings.warn(f"forensic tests of {name} could not run: {exc}", TxauditWarning,
                          stacklevel=2)
    return findings


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""

    @app.command("report")
    def report_command(
        scenario: str | None = typer.Option(
            None, "--scenario", "-s", help="Model scenario (e.g. conservative, central, liberal)."),
        out: Path | None = typer.Option(
            None, "--out", "-o", help="Output file. Default: report.<format> (JSON: stdout)."),
        fmt: str = typer.Option("html", "--format", "-f", help="html, pdf, md or json."),
        draws: int = typer.Option(DEFAULT_DRAWS, "--draws", help="Monte Carlo draws.", min=100),
        seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed."),
        year: list[int] | None = typer.Option(
            None, "--year", "-y", help="Year to estimate (repeatable). Default: the official "
            "year with the most hospital evidence."),
        model: Path | None = typer.Option(
            None, "--model", help="Model file (TOML). Default: the packaged model."),
        figures: Path | None = typer.Option(
            None, "--figures", help="Also write every chart as SVG and PNG into this folder."),
        reproducible: bool = typer.Option(
            False, "--reproducible",
            help="Leave out the generation time: same inputs and seed give identical bytes."),
        no_sensitivity: bool = typer.Option(
            False, "--no-sensitivity", help="Skip the sensitivity analysis."),
        no_forensics: bool = typer.Option(
            False, "--no-forensics", help="Skip the forensic tests of official series."),
        verbose: bool = typer.Option(
            False, "--verbose", "-v", help="Print the time spent in each stage."),
        json_out: bool = typer.Option(
            False, "--json", help="Write the report's content as JSON (stdout unless --out)."),
        db: str | None = DbOption,
    ) -> None:
        """Write the audit report: estimate vs official figures, every number cited.

        Creates the store with the bundled dataset first if it does not exist yet.

        Example:
            txaudit report --out report.html
        """
        from txaudit import __version__
        from txaudit.report import FORMATS, Stamp, WarningRow, build_report

        if json_out:
            fmt = "json"
        with errors_as_exit():
            if fmt not in FORMATS:
                from txaudit.errors import ConfigError

                raise ConfigError(
                    f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
            location = resolve_db(db)
            st = _Stages(verbose)
            store, created = st.run("open", lambda: _open_or_init(location))
            if created:
                typer.echo(f"Created a new store at {location} with the bundled dataset "
                           "(txaudit init).", err=True)
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
                    store.close()  # everything below works on the frames
            est, the_model = st.run("estimate", lambda: _estimate(
                frames, model, scenario, year, draws, seed))
            sens = None
            if not no_sensitivity:
                sens = st.run("sensitivity", lambda: _sensitivity(
                    frames, the_model, est, seed))
            findings: list[Any] = []
            if not no_forensics:
                findings = st.run("forensics", lambda: _forensic_findings(
                    frames["official_figures"], the_model.country, seed))
            stamp = Stamp(
                txaudit_version=__version__,
                model_hash=est.model_hash,
                store_hash=ledger_head,
                content_digest=digest,
                scenario=est.scenario or scenario or "default",
                seed=seed,
                draws=draws,
                command=_command_line(
                    scenario=scenario, fmt=fmt, draws=draws, seed=seed, years=year,
                    model=model, db=db, reproducible=reproducible,
                    no_sensitivity=no_sensitivity, no_forensics=no_forensics),
                generated_at=None if reproducible else
                datetime.now(UTC).isoformat(timespec="seconds"),
            )
            extra = [WarningRow(f"run ({stage})", msg) for stage, msg in _unique(st.caught)]
            target = out if out is not None else (
                None if fmt == "json" else Path(f"report{FORMATS[fmt]}"))
            figure_dir = _figure_dir(figures, target) if fmt == "md" else None
            t0 = time.perf_counter()
            report = build_report(
                estimate=est, stamp=stamp, format=fmt, sensitivity=sens, findings=findings,
                country=the_model.country, warnings=extra, timings=dict(st.timings),
                figure_dir=figure_dir, **frames,
            )
            if figures is not None:
                report.write_figures(figures)
            if target is None:
                sys.stdout.write(report.content.decode("utf-8"))
            else:
                report.write(target)
            if verbose:
                for name in ("assemble", "charts", "render"):
                    typer.echo(f"  {name:<12} {report.timings.get(name, 0.0):7.2f} s", err=True)
                total = sum(st.timings.values()) + time.perf_counter() - t0
                typer.echo(f"  {'total':<12} {total:7.2f} s", err=True)
            if target is not None:
                typer.echo(_headline(report, target), err=json_out)


def _estimate(frames: dict[str, Any], model_path: Path | None, scenario: str | None,
              years: list[int] | None, draws: int, seed: int) -> tuple[Any, Any]:
    from txaudit.estimate import estimate_frames, load_model

    model = load_model(model_path, scenario)
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


def _unique(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(items))


def _figure_dir(figures: Path | None, target: Path | None) -> str | None:
    """The figures folder as the Markdown file should refer to it (relative when possible)."""
    if figures is None:
        return None
    base = target.parent if target is not None else Path(".")
    try:
        return figures.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return figures.resolve().as_posix()


def _headline(report: Any, target: Path) -> str:
    from txaudit.report.numbers import fmt_int, fmt_plain
    from txaudit.report.summary import headline_rows

    lines = [f"Wrote {target} ({len(report.content) / 1024:,.0f} KB)."]
    for row in headline_rows(report.data.national):
        i95 = row.intervals["95"]
        text = (f"{row.year}, {row.organ}: {fmt_plain(i95.low)} to {fmt_plain(i95.high)} "
                f"(95% interval), median {fmt_plain(row.median)}")
        if row.official is not None:
            text += f"; official figure {fmt_int(row.official)}"
        lines.append(text + ".")
    return "\n".join(lines)
