"""CLI commands of the estimate part: estimate, model show, sensitivity, calibrate."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from txaudit.cli._common import DbOption, JsonOption, emit_json, errors_as_exit, fail, resolve_db

ModelOption = typer.Option(
    None, "--model", help="Model file (TOML). Defaults to the packaged default model.",
    exists=False, dir_okay=False,
)
ScenarioOption = typer.Option(None, "--scenario", help="Scenario of the model to apply.")


def _store(db: str | None) -> Any:
    try:
        from txaudit.evidence import open_store  # type: ignore[attr-defined]
    except ImportError:
        raise fail("the evidence store is not available in this installation") from None
    return open_store(resolve_db(db))


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr, or nothing (with --json or off a terminal)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    try:
        if value != value:  # NaN
            return "-"
    except TypeError:
        return str(value)
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return str(value)


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""

    @app.command("estimate")
    def estimate_command(
        scenario: str | None = ScenarioOption,
        year: list[int] | None = typer.Option(None, "--year", help="Year(s) to estimate."),
        draws: int = typer.Option(10_000, "--draws", help="Monte Carlo draws."),
        seed: int = typer.Option(0, "--seed", help="Random seed."),
        model_file: Path | None = ModelOption,
        scheduler: str | None = typer.Option(
            None, "--scheduler",
            help="Dask scheduler address (tcp://host:8786), or 'local' for an in-process "
            "cluster. Results are identical to a local run.",
        ),
        as_json: bool = JsonOption,
        as_csv: bool = typer.Option(False, "--csv", help="Print the national table as CSV."),
        hospitals: bool = typer.Option(
            False, "--hospitals", help="With --csv: print the per-hospital table instead."),
        db: str | None = DbOption,
    ) -> None:
        """Estimate yearly transplant volumes per hospital and nationally, with intervals."""
        from txaudit.estimate import estimate, load_model

        with errors_as_exit():
            model = load_model(model_file, scenario)
            store = _store(db)
            with _progress(not (as_json or as_csv), "Monte Carlo") as progress:
                result = estimate(store, model, years=year or None, draws=draws, seed=seed,
                                  scheduler=scheduler, progress=progress)
        if as_json:
            emit_json(result.to_dict())
            return
        if as_csv:
            table = result.hospitals_ if hospitals else result.national_
            sys.stdout.write(table.to_csv(index=False))
            return
        _print_national(result)

    model_app = typer.Typer(help="Inspect the estimation model.", no_args_is_help=True)
    app.add_typer(model_app, name="model")

    @model_app.command("show")
    def model_show(
        scenario: str | None = ScenarioOption,
        model_file: Path | None = ModelOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Print every parameter with its distribution and citation."""
        from txaudit.estimate import load_model

        with errors_as_exit():
            model = load_model(model_file, scenario)
        if as_json:
            emit_json(model.to_dict())
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"model {model.name} (scenario: {model.scenario or 'none'}) "
                      f"sha256 {model.hash[:12]}")
        for col in ("parameter", "distribution", "median", "5-95%", "unit", "source / note"):
            table.add_column(col, overflow="fold")
        for _, p in model.parameters_table().iterrows():
            flag = " [INFERRED]" if p["inferred"] else ""
            table.add_row(p["key"], p["distribution"], _fmt(p["median"]),
                          f"{_fmt(p['p05'])}-{_fmt(p['p95'])}", p["unit"],
                          f"{p['source']}{flag}\n{p['note']}")
        Console().print(table)

    @app.command("sensitivity")
    def sensitivity_command(
        method: str = typer.Option("both", "--method", help="oat, sobol or both."),
        year: int | None = typer.Option(None, "--year", help="Year to analyse."),
        scenario: str | None = ScenarioOption,
        model_file: Path | None = ModelOption,
        base_samples: int = typer.Option(1024, "--base-samples",
                                         help="Sobol base samples (N)."),
        seed: int = typer.Option(0, "--seed", help="Random seed of the Sobol sequence."),
        as_json: bool = JsonOption,
        db: str | None = DbOption,
    ) -> None:
        """Rank the assumptions that drive the national total and its gap to the official figure."""
        from txaudit.estimate import load_model
        from txaudit.estimate.engine import sensitivity

        with errors_as_exit():
            model = load_model(model_file, scenario)
            result = sensitivity(_store(db), model, year=year, method=method,
                                 n_base=base_samples, seed=seed)
        if as_json:
            emit_json(result.to_dict())
            return
        from rich.console import Console
        from rich.table import Table

        console = Console()
        console.print(f"year {result.year}: expected total at median assumptions "
                      f"{_fmt(result.baseline)}; official {_fmt(result.official)}")
        if len(result.tornado_):
            table = Table(title="one at a time (5th / 95th percentile)")
            for col in ("parameter", "low", "high", "total at low", "total at high", "swing"):
                table.add_column(col)
            for _, r in result.tornado_.iterrows():
                table.add_row(r["parameter"], _fmt(r["value_low"]), _fmt(r["value_high"]),
                              _fmt(r["total_at_low"]), _fmt(r["total_at_high"]),
                              _fmt(r["swing"]))
            console.print(table)
        if len(result.sobol_):
            table = Table(title="Sobol indices of the total (groups sampled together)")
            for col in ("group", "S1", "ST", "parameters"):
                table.add_column(col, overflow="fold")
            for _, r in result.sobol_.iterrows():
                table.add_row(r["group"], f"{r['S1']:.3f}", f"{r['ST']:.3f}", r["parameters"])
            console.print(table)

    @app.command("calibrate")
    def calibrate_command(
        countries: int = typer.Option(200, "--countries", help="Synthetic countries."),
        draws: int = typer.Option(1000, "--draws", help="Monte Carlo draws per country."),
        seed: int = typer.Option(0, "--seed", help="Random seed."),
        scale: float = typer.Option(0.2, "--scale",
                                    help="Multiplier of universe counts (smaller = faster)."),
        scenario: str | None = ScenarioOption,
        model_file: Path | None = ModelOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Check interval coverage on synthetic countries with known true volumes."""
        from txaudit.estimate import load_model
        from txaudit.estimate.calibration import calibrate

        with errors_as_exit():
            model = load_model(model_file, scenario)
            with _progress(not as_json, "calibration") as progress:
                result = calibrate(model, n_countries=countries, draws=draws, seed=seed,
                                   scale=scale, progress=progress)
        if as_json:
            emit_json(result.to_dict())
            return
        typer.echo(f"{result.n_countries} synthetic countries, {result.draws} draws each")
        for level, cov in result.coverage.items():
            typer.echo(f"  {level}% intervals cover the true total in {cov:.1%}")
        typer.echo(f"  bias (mean log median/truth): {result.bias:+.3f}")


def _print_national(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"estimated transplants (seed {result.seed}, {result.draws} draws, "
                  f"model {result.model_hash[:12]})")
    for col in ("year", "organ", "median", "80% interval", "95% interval", "official",
                "ratio (95%)", "P(> official)"):
        table.add_column(col)
    for rec in result.national_records():
        ratio = rec["ratio_to_official"]
        iv80, iv95 = rec["intervals"]["80"], rec["intervals"]["95"]
        table.add_row(
            str(rec["year"]), rec["organ"], _fmt(rec["median"]),
            f"{_fmt(iv80[0])}-{_fmt(iv80[1])}", f"{_fmt(iv95[0])}-{_fmt(iv95[1])}",
            _fmt(rec["official"]["value"]) if rec["official"] else "-",
            (f"{ratio['median']:.2f} ({ratio['intervals']['95'][0]:.2f}-"
             f"{ratio['intervals']['95'][1]:.2f})") if ratio else "-",
            f"{ratio['p_above_official']:.2f}" if ratio else "-",
        )
    console = Console()
    console.print(table)
    if result.warnings:
        console.print(f"{len(result.warnings)} warning(s) recorded; see --json 'warnings'.")
