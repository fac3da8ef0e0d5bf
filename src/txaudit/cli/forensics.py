"""CLI commands of the forensics part: ``txaudit forensics`` and ``txaudit forensics-panel``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from txaudit.cli._common import DbOption, JsonOption, emit_json, errors_as_exit, resolve_db
from txaudit.errors import InputError, NotFoundError

BUNDLED_FIGURES = "data/bundled/official_figures.csv"


def bundled_figures() -> pd.DataFrame | None:
    """The bundled OfficialFigure rows (GODT panel and official series), if shipped."""
    path = resources.files("txaudit") / BUNDLED_FIGURES
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return pd.read_csv(handle, dtype={"figure_id": str, "series": str})


def load_series(
    spec: str, db: str | None, country: str | None, notes: list[str]
) -> tuple[Any, str, str | None]:
    """``(data, name, file)`` for a CSV path or a series name in the store / bundled data."""
    path = Path(spec)
    if path.suffix.lower() == ".csv" or path.is_file():
        if not path.is_file():
            raise InputError("no such file", file=spec)
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table.columns = [c.strip().lower() for c in table.columns]
        if country and "country" in table.columns:
            table = table[table["country"] == country]
        return table, path.stem, spec
    frame: pd.DataFrame | None = _from_store(spec, db, country, notes)
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
    return frame, spec + (f" ({country})" if country else ""), None


def _from_store(spec: str, db: str | None, country: str | None,
                notes: list[str]) -> pd.DataFrame | None:
    try:
        from txaudit.evidence import open_store
    except ImportError:  # the store part is optional for CSV work
        return None
    try:
        store = open_store(resolve_db(db))
    except NotFoundError as exc:
        notes.append(str(exc))
        return None
    return store.official_figures(series=spec, country=country)


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""

    @app.command("forensics")
    def forensics_command(
        series: str = typer.Argument(
            ..., help="Series name in the store (e.g. godt:actual_dd) or a CSV with year,value "
            "(or date,value for counter snapshots)."
        ),
        against: str | None = typer.Option(
            None, "--against", help="A second series: another version, or a denominator."
        ),
        country: str | None = typer.Option(
            None, "--country", help="Country to select when a series covers several."
        ),
        kind: str = typer.Option("annual", "--kind", help="annual or cumulative."),
        alpha: float = typer.Option(0.05, "--alpha", help="Level at which findings are flagged."),
        replicates: int = typer.Option(2000, "--replicates", help="Bootstrap replicates."),
        seed: int = typer.Option(0, "--seed", help="Random seed (results are reproducible)."),
        json_out: bool = JsonOption,
        db: str | None = DbOption,
    ) -> None:
        """Run the forensic tests that apply to an official series.

        Example: txaudit forensics godt:kidney_tx_total --country China
        --against godt:liver_tx_total
        """
        from txaudit.forensics import counter_monitoring, run_all

        notes: list[str] = []
        with errors_as_exit():
            data, name, file = load_series(series, db, country, notes)
            if isinstance(data, pd.DataFrame) and "date" in data.columns:
                findings = counter_monitoring(data, name=name, alpha=alpha)
            else:
                other = other_name = other_file = None
                if against:
                    other, other_name, other_file = load_series(against, db, country, notes)
                panel = bundled_figures()
                if panel is None:
                    notes.append("bundled GODT panel not found: panel calibrations left out")
                findings = run_all(
                    _named(data, file, kind),
                    _named(other, other_file, kind) if other is not None else None,
                    kind=kind, panel=panel, alpha=alpha, replicates=replicates, seed=seed,
                    name=name, against_name=other_name,
                )
        for note in notes:
            typer.echo(f"Note: {note}", err=True)
        if json_out:
            emit_json([f.to_dict() for f in findings])
            return
        _table(findings, f"Forensic tests of {name}")

    @app.command("forensics-panel")
    def forensics_panel_command(
        alpha: float = typer.Option(0.05, "--alpha", help="Level at which findings are flagged."),
        replicates: int = typer.Option(999, "--replicates", help="Bootstrap replicates."),
        seed: int = typer.Option(0, "--seed", help="Random seed."),
        cumulative: bool = typer.Option(False, "--cumulative", help="Test cumulative values."),
        json_out: bool = JsonOption,
    ) -> None:
        """Share of real GODT national series that formula conformance flags (false alarms).

        Example: txaudit forensics-panel --json
        """
        from txaudit.forensics import ReferencePanel, panel_false_alarms

        with errors_as_exit():
            frame = bundled_figures()
            if frame is None:
                raise NotFoundError(f"the bundled panel {BUNDLED_FIGURES} is missing")
            check = panel_false_alarms(
                ReferencePanel.from_frame(frame), alpha=alpha, replicates=replicates, seed=seed,
                cumulative=cumulative,
            )
        if json_out:
            emit_json(check.to_dict())
            return
        typer.echo(
            f"Formula conformance flags {check.n_flagged} of {check.n_series} real national "
            f"series ({check.share_flagged:.1%}) at alpha = {alpha:g}."
        )
        for key, share in check.share_by_calibration.items():
            typer.echo(f"  {key} calibration alone: {share:.1%}")
        for entry in check.flagged_series:
            typer.echo(f"  flagged: {entry}")


def _named(data: Any, file: str | None, kind: str) -> Any:
    """Check a CSV's rows here, where the file name is known, so errors cite file and line."""
    from txaudit.forensics import as_series
    from txaudit.forensics.inputs import has_several

    if file is None or not isinstance(data, pd.DataFrame) or has_several(data, "region"):
        return data
    return as_series(data, name=Path(file).stem, file=file, kind=kind)


def _table(findings: list[Any], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in ("test", "statistic", "p", "flag", "verdict"):
        table.add_column(column, overflow="fold")
    for f in findings:
        stat = "" if f.statistic is None else f"{f.statistic:.4g}"
        p = "" if f.p_value is None else f"{f.p_value:.3g}"
        flag = "yes" if f.flagged else ("-" if f.skipped else "no")
        table.add_row(f.test, stat, p, flag, f.verdict)
    Console().print(table)
