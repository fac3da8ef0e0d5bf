"""Exceptions raised by txaudit.

Every error txaudit raises on purpose derives from one root, so the edges (the CLI
and the web app) can translate it into one clear line without a traceback::

    TxauditError
     ├── InputError        bad input: names the file, line and field, and a fix when obvious
     ├── NotFoundError     a hospital, source, observation or series that does not exist
     ├── IntegrityError    the store or ledger fails verification
     ├── ConfigError       a model file, scenario or setting that cannot be used
     └── EstimationError   estimation cannot go on (missing assumption, impossible value)

Statistical doubts that do not stop the work are warnings (``TxauditWarning``)
and are also recorded on the result objects, so reports can show them.
"""

from __future__ import annotations


class TxauditError(Exception):
    """Root of every error txaudit raises on purpose."""

    #: exit status the CLI uses for this kind of error
    exit_code: int = 1

    def __str__(self) -> str:  # pragma: no cover - trivial
        return super().__str__()


class InputError(TxauditError):
    """Input that cannot be accepted.

    ``file``, ``line`` and ``field`` locate the problem; ``hint`` suggests a fix.
    The message rendered by ``str()`` carries all of them, e.g.
    ``observations.csv, line 12, field 'value': 40 is above 5 (hint: ...)``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class NotFoundError(TxauditError):
    """A named thing (hospital, source, observation, series) does not exist."""


class IntegrityError(TxauditError):
    """The store, a blob or the ledger fails verification."""

    exit_code = 2


class ConfigError(TxauditError):
    """A model file, scenario or setting that cannot be used."""


class EstimationError(TxauditError):
    """Estimation cannot go on; names hospital, indicator and observation where known."""


class TxauditWarning(UserWarning):
    """Base of txaudit's warnings (recorded on results as well as emitted)."""
