"""The ``txaudit`` command line: a thin shell over the library.

Each command lives in the module of its part (``cli/evidence.py``,
``cli/estimate.py``, ...) and registers itself on :data:`app`. Commands parse
their input, call one library function and render the result; errors derived
from :class:`txaudit.errors.TxauditError` become one line on stderr and a
non-zero exit status (see :func:`txaudit.cli._common.fail`).
"""

from __future__ import annotations

import typer

from txaudit.cli import collect, estimate, evidence, extract, forensics, report, review

app = typer.Typer(
    name="txaudit",
    help=(
        "Audit transplant volumes against official figures: archived evidence with "
        "provenance, Monte Carlo estimates, forensic tests of official series, reports."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.command("version")
def version_command() -> None:
    """Print the txaudit version."""
    from txaudit import __version__

    typer.echo(__version__)


for _module in (evidence, estimate, forensics, collect, extract, review, report):
    _module.register(app)


def main() -> None:
    """Console entry point."""
    app()
