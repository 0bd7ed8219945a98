"""Requests to add or delete dynamic partition keys: what a sensor returns (Dagster's
``AddDynamicPartitionsRequest`` / ``DeleteDynamicPartitionsRequest``), as data the daemon applies."""

from __future__ import annotations

import msgspec


class AddDynamicPartitionsRequest(msgspec.Struct, frozen=True, gc=False, tag="add_dynamic_partitions"):
    """Add ``partition_keys`` to the dynamic partitions named ``partitions_def_name``."""

    partitions_def_name: str
    partition_keys: tuple[str, ...]


class DeleteDynamicPartitionsRequest(msgspec.Struct, frozen=True, gc=False, tag="delete_dynamic_partitions"):
    """Delete ``partition_keys`` from the dynamic partitions named ``partitions_def_name``."""

    partitions_def_name: str
    partition_keys: tuple[str, ...]


__all__ = ["AddDynamicPartitionsRequest", "DeleteDynamicPartitionsRequest"]
