"""CLI commands of the forensics part: ``txaudit forensics`` and ``txaudit forensics-panel``.

Loading the series (CSV file, store or bundled figures) and running the tests live in
:mod:`txaudit.audit`; these commands parse options, call it and print the result.
"""

from __future__ import annotations

from typing import Any

import typer

from txaudit.cli._common import DbOption, JsonOption, emit_json, errors_as_exit, resolve_db


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
        from txaudit.audit import audit_series

        with errors_as_exit():
            result = audit_series(
                series, store_location=resolve_db(db), against=against, country=country,
                kind=kind, alpha=alpha, replicates=replicates, seed=seed,
            )
        findings, name, notes = result.findings, result.name, result.notes
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
        from txaudit.audit import bundled_panel_check

        with errors_as_exit():
            check = bundled_panel_check(alpha=alpha, replicates=replicates, seed=seed,
                                        cumulative=cumulative)
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
