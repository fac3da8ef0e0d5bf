"""Write docs/reference/cli.md from the Typer app, so the CLI reference cannot drift.

Run ``python scripts/gen_cli_reference.py`` after changing a command; the test
``tests/test_docs.py`` fails while the file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from txaudit.cli import app

TARGET = Path(__file__).resolve().parent.parent / "docs" / "reference" / "cli.md"


def _param_line(param: Any) -> str:
    # Typer vendors its own click, so parameters are recognised by shape, not class.
    if getattr(param, "param_type_name", "") == "option":
        names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        text = param.help or ""
        if param.default not in (None, False, (), []) and not param.is_flag:
            text += f" (default: `{param.default}`)"
        return f"- {names}: {text}".rstrip()
    name = str(param.metavar or param.name).upper()
    text = f": {param.help}" if getattr(param, "help", None) else ""
    return f"- `{name}` (argument){text}"


def _render(name: str, command: Any, level: int = 2) -> list[str]:
    lines = [f"{'#' * level} `txaudit {name}`", ""]
    if command.help:
        lines += [command.help.strip(), ""]
    params = [p for p in command.params if p.name != "help"]
    if params:
        lines += [_param_line(p) for p in params] + [""]
    if hasattr(command, "commands"):
        for sub_name in sorted(command.commands):
            lines += _render(f"{name} {sub_name}", command.commands[sub_name], level + 1)
    return lines


def render() -> str:
    """The whole reference page as Markdown."""
    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the code by `python scripts/gen_cli_reference.py`; do not edit by hand.",
        "Every listing command takes `--json`; every command takes `--help`.",
        "",
    ]
    commands: dict[str, Any] = getattr(root, "commands", {})
    for name in sorted(commands):
        lines += _render(name, commands[name])
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
