"""CLI commands of the evidence part (filled in by its owner)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    del app
