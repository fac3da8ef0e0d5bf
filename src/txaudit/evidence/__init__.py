"""The evidence store: content-addressed sources, hospitals, observations, official and
reference figures, the claim review queue, and a hash-chained ledger of every change.

>>> from txaudit.evidence import init_store
>>> store = init_store("audit.db")           # doctest: +SKIP
>>> store.summary()["observations"]          # doctest: +SKIP
"""

from __future__ import annotations

from txaudit.evidence.importer import ImportReport
from txaudit.evidence.ledger import Problem, VerifyReport
from txaudit.evidence.store import Store, init_store, open_store

__all__ = ["ImportReport", "Problem", "Store", "VerifyReport", "init_store", "open_store"]
