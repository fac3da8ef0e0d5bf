"""CLI commands of the evidence store: init, import, export, verify, hospitals, show,
sources, summary."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from txaudit.cli._common import DbOption, JsonOption, emit_json, errors_as_exit, resolve_db

ActorOption = typer.Option(
    None, "--actor", help="Who makes the change (recorded in the ledger). "
    "Defaults to $TXAUDIT_ACTOR, else the login name.", show_default=False)


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    env = os.environ.get("TXAUDIT_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    clean = df.astype(object).where(df.notna(), None)
    return [{str(k): v for k, v in r.items()} for r in clean.to_dict("records")]


def _table(df: pd.DataFrame, columns: list[str], title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c, overflow="fold")
    for rec in _records(df[columns]):
        table.add_row(*["" if rec[c] is None else str(rec[c]) for c in columns])
    Console().print(table)


def init_command(
    path: str | None = typer.Argument(None, help="SQLite file or postgresql:// URL to create."),
    db: str | None = DbOption,
    no_bundled: bool = typer.Option(False, "--no-bundled",
                                    help="Create an empty store without the bundled dataset."),
    actor: str | None = ActorOption,
) -> None:
    """Create a store (and load the bundled published dataset).

    Example: txaudit init audit.db
    """
    from txaudit.evidence import init_store

    with errors_as_exit():
        store = init_store(path or resolve_db(db), load_bundled=not no_bundled,
                           actor=_actor(actor))
        summary = store.summary()
        typer.echo(f"Store ready at {store.url}: {summary['hospitals']} hospitals, "
                   f"{summary['observations']} observations, {summary['official_figures']} "
                   f"official figures, {summary['sources']} sources.")


def import_command(
    files: list[Path] = typer.Argument(..., help="CSV files and/or datapackage.json files."),
    db: str | None = DbOption,
    actor: str | None = ActorOption,
    as_json: bool = JsonOption,
) -> None:
    """Import CSV files or data packages in one transaction (all or nothing).

    Example: txaudit import hospitals.csv observations.csv
    """
    from txaudit.evidence import open_store

    with errors_as_exit():
        report = open_store(resolve_db(db)).import_files(files, actor=_actor(actor))
    if as_json:
        emit_json(report.to_dict())
        return
    parts = ", ".join(f"{n} {t}" for t, n in report.rows.items())
    typer.echo(f"Imported {report.total} rows ({parts}) as ledger event {report.event_seq}.")


def export_command(
    out: Path = typer.Argument(..., help="Output folder (a .xlsx file for xlsx)."),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx, parquet or datapackage."),
    db: str | None = DbOption,
) -> None:
    """Export the current rows (csv and datapackage re-import to the same rows and hashes).

    Example: txaudit export --format datapackage out/
    """
    from txaudit.evidence import open_store

    with errors_as_exit():
        written = open_store(resolve_db(db)).export(out, fmt)
    typer.echo(f"Exported to {written}")


def verify_command(
    db: str | None = DbOption,
    as_json: bool = JsonOption,
    public_key: Path | None = typer.Option(None, "--public-key",
                                           help="Ed25519 public key (PEM) of the signer."),
    signature: Path | None = typer.Option(None, "--signature",
                                          help="Signature file made by `txaudit sign`."),
) -> None:
    """Re-hash every row and blob and walk the ledger chain; exit 2 naming each problem.

    With --public-key and --signature, also check the signed ledger head.

    Example: txaudit verify --db audit.db
    """
    from txaudit.evidence import open_store

    with errors_as_exit():
        report = open_store(resolve_db(db)).verify(signature=signature, public_key=public_key)
    if as_json:
        emit_json(report.to_dict())
    else:
        for problem in report.problems:
            typer.echo(f"FAIL {problem}", err=True)
        typer.echo(report.summary(), err=not report.ok)
    if not report.ok:
        raise typer.Exit(2)


def keygen_command(
    path: Path = typer.Argument(..., help="Where to write the private key (PEM); the public "
                                          "key goes to PATH.pub."),
) -> None:
    """Create an Ed25519 key pair for signing ledger heads.

    Example: txaudit keygen ~/.txaudit/signing.pem
    """
    from txaudit.evidence.signing import generate_key

    with errors_as_exit():
        pub = generate_key(path)
    typer.echo(f"Private key {path} (keep it secret); public key {pub} (publish it).")


def sign_command(
    key: Path = typer.Option(..., "--key", help="Ed25519 private key (PEM)."),
    out: Path | None = typer.Option(None, "--out", help="Signature file to write "
                                    "(default: print the JSON)."),
    db: str | None = DbOption,
) -> None:
    """Sign the store's ledger head so others can check a published copy.

    Example: txaudit sign --key signing.pem --out audit.head.sig.json
    """
    import json

    from txaudit.evidence import open_store
    from txaudit.evidence.signing import sign_head

    with errors_as_exit():
        statement = sign_head(open_store(resolve_db(db)), key)
    if out is None:
        emit_json(statement)
        return
    out.write_text(json.dumps(statement, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"Signed ledger head {statement['head']} (event {statement['seq']}) -> {out}")


def hospitals_command(
    query: str | None = typer.Argument(None, help="Part of a name or alias, English or Chinese."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List hospitals, or search their names and aliases in both scripts.

    Example: txaudit hospitals 协和
    """
    from txaudit.evidence import open_store

    with errors_as_exit():
        store = open_store(resolve_db(db))
        df = store.find_hospitals(query) if query else store.hospitals()
    if as_json:
        emit_json(_records(df))
        return
    _table(df, ["hospital_id", "name_en", "name_zh", "province", "city", "category"],
           title=f"{len(df)} hospitals")


def show_command(
    hospital: str = typer.Argument(..., help="Hospital id, name or alias."),
    db: str | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Show a hospital and its current observations with their sources.

    Example: txaudit show h-alpha
    """
    from txaudit.evidence import open_store

    with errors_as_exit():
        store = open_store(resolve_db(db))
        record = store.hospital(hospital)
        obs = store.hospital_observations(record["hospital_id"])
    if as_json:
        emit_json({"hospital": record, "observations": _records(obs)})
        return
    names = " / ".join(n for n in (record["name_en"], record["name_zh"]) if n)
    typer.echo(f"{record['hospital_id']}: {names} ({record['province'] or '?'}, "
               f"{record['city'] or '?'}; {record['category']})")
    if record["aliases"]:
        typer.echo("aliases: " + "; ".join(a["alias"] for a in record["aliases"]))
    _table(obs, ["observation_id", "indicator", "organ", "year", "as_of", "qualifier", "value",
                 "grade", "cited_url", "cited_locator"],
           title=f"{len(obs)} observations")


def sources_command(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """List archived sources (sha256, URL, type, size, retrieval time).

    Example: txaudit sources --json
    """
    from txaudit.evidence import open_store

    with errors_as_exit():
        df = open_store(resolve_db(db)).sources()
    if as_json:
        emit_json(_records(df))
        return
    short = df.assign(sha256=df["sha256"].str[:12])
    _table(short, ["sha256", "url", "media_type", "byte_length", "retrieved_at", "title"],
           title=f"{len(df)} sources")


def summary_command(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """Counts by indicator, organ and province, hospital coverage, official series.

    Example: txaudit summary --json
    """
    from txaudit.evidence import open_store

    with errors_as_exit():
        summary = open_store(resolve_db(db)).summary()
    if as_json:
        emit_json(summary)
        return
    typer.echo(f"{summary['hospitals']} hospitals, {summary['observations']} observations "
               f"({summary['observations_including_history']} with history), "
               f"{summary['sources']} sources, {summary['official_figures']} official figures "
               f"in {summary['official_series']} series, {summary['reference_figures']} "
               f"reference figures.")
    missing = summary["observations_without_cited_url"]
    typer.echo("Every observation cites a URL." if missing == 0
               else f"{missing} observations cite no URL.")
    for key, title in (("by_indicator", "indicator"), ("by_organ", "organ"),
                       ("by_province", "province")):
        items = summary[key]
        df = pd.DataFrame({title: list(items), "observations": list(items.values())})
        _table(df, [title, "observations"])
    cov = summary["hospital_coverage_by_indicator"]
    df = pd.DataFrame({"indicator": list(cov),
                       "hospitals": [v["hospitals"] for v in cov.values()],
                       "share": [f"{v['share']:.0%}" for v in cov.values()]})
    _table(df, ["indicator", "hospitals", "share"], title="hospital coverage by indicator")


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("init")(init_command)
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("verify")(verify_command)
    app.command("keygen")(keygen_command)
    app.command("sign")(sign_command)
    app.command("hospitals")(hospitals_command)
    app.command("show")(show_command)
    app.command("sources")(sources_command)
    app.command("summary")(summary_command)
