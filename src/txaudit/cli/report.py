"""``txaudit report``: the audit report on the store's evidence, in one command.

The command parses its options, calls :func:`txaudit.audit.run_audit` (store,
estimate, sensitivity, forensic tests, report) and writes the file. With no store
yet the library first creates one with the bundled dataset, so a journalist needs
one command.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import typer

from txaudit.audit import DEFAULT_DRAWS, DEFAULT_SEED
from txaudit.cli._common import DbOption, errors_as_exit, resolve_db


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
        from txaudit.audit import command_line, run_audit

        if json_out:
            fmt = "json"

        def show_stage(name: str, seconds: float) -> None:
            if verbose:
                typer.echo(f"  {name:<12} {seconds:7.2f} s", err=True)

        def say_created(location: str) -> None:
            typer.echo(f"Created a new store at {location} with the bundled dataset "
                       "(txaudit init).", err=True)

        with errors_as_exit():
            run = run_audit(
                resolve_db(db), scenario=scenario, years=year, draws=draws, seed=seed,
                model_path=model, sensitivity=not no_sensitivity,
                forensics=not no_forensics, fmt=fmt, out=out, figures_dir=figures,
                reproducible=reproducible,
                command=command_line(
                    scenario=scenario, fmt=fmt, draws=draws, seed=seed, years=year,
                    model=model, db=db, reproducible=reproducible,
                    no_sensitivity=no_sensitivity, no_forensics=no_forensics),
                on_stage=show_stage, on_store_created=say_created,
            )
            t0 = time.perf_counter()
            report, target = run.report, run.target
            if figures is not None:
                report.write_figures(figures)
            if target is None:
                sys.stdout.write(report.content.decode("utf-8"))
            else:
                report.write(target)
            if verbose:
                for name in ("assemble", "charts", "render"):
                    typer.echo(f"  {name:<12} {report.timings.get(name, 0.0):7.2f} s", err=True)
                total = run.seconds + time.perf_counter() - t0
                typer.echo(f"  {'total':<12} {total:7.2f} s", err=True)
            if target is not None:
                typer.echo(_headline(report, target), err=json_out)


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
