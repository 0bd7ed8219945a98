"""``BackfillPolicy``: how many partitions of an asset one run may cover when it is backfilled
(Dagster's class), as data the daemon reads from the asset's spec."""

from __future__ import annotations

import enum

import msgspec

from headwater.errors import InvalidDefinitionError


class BackfillPolicyType(enum.Enum):
    SINGLE_RUN = "SINGLE_RUN"
    MULTI_RUN = "MULTI_RUN"


class BackfillPolicy(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """``single_run()``: one run covers every partition of a backfill (the asset reads
    ``context.partition_key_range``); ``multi_run(n)``: runs of at most ``n`` partitions each."""

    max_partitions_per_run: int | None = 1

    def __post_init__(self) -> None:
        n = self.max_partitions_per_run
        if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
            raise InvalidDefinitionError(f"max_partitions_per_run must be a positive int or None; got {n!r}.")

    @classmethod
    def single_run(cls) -> BackfillPolicy:
        return cls(max_partitions_per_run=None)

    @classmethod
    def multi_run(cls, max_partitions_per_run: int = 1) -> BackfillPolicy:
        return cls(max_partitions_per_run=max_partitions_per_run)

    @property
    def policy_type(self) -> BackfillPolicyType:
        return (
            BackfillPolicyType.SINGLE_RUN
            if self.max_partitions_per_run is None
            else BackfillPolicyType.MULTI_RUN
        )

    def __repr__(self) -> str:
        if self.max_partitions_per_run is None:
            return "BackfillPolicy.single_run()"
        return f"BackfillPolicy.multi_run(max_partitions_per_run={self.max_partitions_per_run})"

    __str__ = __repr__


__all__ = ["BackfillPolicy", "BackfillPolicyType"]
