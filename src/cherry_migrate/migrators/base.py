"""The contract every domain migrator fulfils.

A migrator is registered in ``migrators/registry.py`` and run by the engine in ascending ``order``:

* ``prepare(ctx)``: dry checks and counts against ``ctx.sources``; writes nothing and must not depend on
  ``ctx.shared_data`` (a dry run calls only this).
* ``execute(ctx)``: writes into ``ctx.db`` in batches; calls ``self.report_progress`` and
  ``ctx.cancel.raise_if_cancelled()`` between batches; records every source record in ``self.ledger``
  as written or skipped-with-reason; publishes hand-offs in ``ctx.shared_data``.
* ``validate(ctx)``: counts in the target and integrity checks. The engine then fails the run when
  ``target < source - skipped``, when ``errors`` is not empty, when the ledger does not balance, or when
  a table in ``owned_tables`` has foreign-key violations.
* ``reset()``: forget all state of a previous run (the engine calls it on every migrator first).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import ClassVar

from cherry_migrate.core.accounting import Ledger
from cherry_migrate.core.context import MigrationContext
from cherry_migrate.core.types import ExecuteResult, I18nMessage, PrepareResult, ValidateResult

ProgressCallback = Callable[[float, str | None, I18nMessage | None], None]


class BaseMigrator(ABC):
    id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]
    order: ClassVar[float]
    owned_tables: ClassVar[tuple[str, ...]] = ()
    """Tables this migrator fills alone; the engine checks their foreign keys after ``validate``."""

    def __init__(self) -> None:
        self.logger = logging.getLogger(f"cherry_migrate.migrators.{self.id}")
        self.ledger = Ledger()
        self._progress: ProgressCallback | None = None

    def reset(self) -> None:
        """Subclasses that keep state override this and call ``super().reset()``."""
        self.ledger = Ledger()

    def set_progress_callback(self, callback: ProgressCallback | None) -> None:
        self._progress = callback

    def report_progress(
        self, percent: float, message: str | None = None, i18n: I18nMessage | None = None
    ) -> None:
        """Report progress within this migrator (0–100)."""
        if self._progress is not None:
            self._progress(max(0.0, min(100.0, percent)), message, i18n)

    @abstractmethod
    def prepare(self, ctx: MigrationContext) -> PrepareResult: ...

    @abstractmethod
    def execute(self, ctx: MigrationContext) -> ExecuteResult: ...

    @abstractmethod
    def validate(self, ctx: MigrationContext) -> ValidateResult: ...
