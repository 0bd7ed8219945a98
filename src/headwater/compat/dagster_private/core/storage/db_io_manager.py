"""``dagster._core.storage.db_io_manager``: the database IO manager base that custom type handlers
import (``DbTypeHandler``, ``TableSlice``, ...), from ``headwater.integrations.db_io_manager``."""

from __future__ import annotations

from headwater.integrations.db_io_manager import (
    DbClient,
    DbIOManager,
    DbTypeHandler,
    TablePartitionDimension,
    TableSlice,
)

__all__ = ["DbClient", "DbIOManager", "DbTypeHandler", "TablePartitionDimension", "TableSlice"]
