"""The package's public surface: exports, entry points and the generated CLI reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import txaudit

ROOT = Path(__file__).resolve().parent.parent


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert txaudit.__all__ == sorted(txaudit.__all__)
    for name in txaudit.__all__:
        assert getattr(txaudit, name) is not None, name


def test_unknown_attribute_raises_attribute_error() -> None:
    try:
        txaudit.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("txaudit.no_such_thing did not raise")


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "txaudit", "version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == txaudit.__version__


def test_cli_reference_is_up_to_date() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_cli_reference
    finally:
        sys.path.pop(0)
    current = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert current == gen_cli_reference.render(), (
        "docs/reference/cli.md is stale: run python scripts/gen_cli_reference.py"
    )


def test_every_command_has_help_text() -> None:
    import typer

    from txaudit.cli import app

    root = typer.main.get_command(app)
    commands = getattr(root, "commands", {})
    assert len(commands) >= 10
    missing = [name for name, cmd in commands.items() if not (cmd.help or "").strip()]
    assert missing == []
