"""CLI commands of the report part (filled in by its owner)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    del app
