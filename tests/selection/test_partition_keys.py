"""Partition keys from specs alone (what servers compute without user code), and the mapping specs."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

import headwater as hw
from headwater.core import codec
from headwater.errors import InvalidInvocationError, UnknownPartitionError
from headwater.selection.cron import UnknownTimezoneError
from headwater.selection.partition_keys import get_partition_keys, has_partition_key, partition_keys_for
from headwater.selection.partition_mapping import mapping_problem, upstream_partition_keys
from headwater.specs.partition_mappings import PartitionMappingSpec
from headwater.specs.partitions import TimeWindowPartitionsSpec


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()  # type: ignore[misc]


def test_keys_from_the_spec_alone_match_the_definition() -> None:
    daily = hw.DailyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-03-01", timezone="Europe/Paris"
    )
    spec = daily.to_partitions_spec()
    back = codec.decode(codec.encode(spec), TimeWindowPartitionsSpec)
    assert get_partition_keys(back) == list(daily.get_partition_keys())
    assert has_partition_key(back, "2024-02-29") and not has_partition_key(back, "2024-03-01")


def test_ten_years_of_hours_is_fast_and_exact() -> None:
    spec = TimeWindowPartitionsSpec(
        "0 * * * *", start=ts(2014, 1, 1), end=ts(2024, 1, 1), fmt="%Y-%m-%d-%H:%M"
    )
    started = time.perf_counter()
    keys = get_partition_keys(spec)
    assert time.perf_counter() - started < 2.0  # ~50 ms; generous for a loaded CI machine
    assert len(keys) == 87_648 and keys[0] == "2014-01-01-00:00" and keys[-1] == "2023-12-31-23:00"
    assert has_partition_key(spec, "2020-02-29-13:00") and not has_partition_key(spec, "2020-02-29-13:30")


def test_open_ended_keys_follow_now() -> None:
    spec = hw.DailyPartitionsDefinition(start_date="2024-01-01").to_partitions_spec()
    assert get_partition_keys(spec, now=ts(2024, 1, 3, 12)) == ["2024-01-01", "2024-01-02"]
    assert get_partition_keys(spec, now=ts(2024, 1, 4, 0, 0, 1))[-1] == "2024-01-03"
    assert not has_partition_key(spec, "2024-01-03", now=ts(2024, 1, 3, 12))


def test_unknown_key_message_names_owner_and_what_exists() -> None:
    compiled = partition_keys_for(hw.StaticPartitionsDefinition(["north", "south"]).to_partitions_spec())
    with pytest.raises(UnknownPartitionError, match=r"`nroth` in asset 'sales'.*'north', 'south'.*'north'\?"):
        compiled.check_key("nroth", "asset 'sales'")


def test_ranges() -> None:
    compiled = partition_keys_for(hw.StaticPartitionsDefinition(["a", "b", "c"]).to_partitions_spec())
    assert compiled.keys_in_range("a", "b") == ["a", "b"]
    with pytest.raises(InvalidInvocationError, match=r"start comes after its end.*Swap them: a\.\.\.c"):
        compiled.keys_in_range("c", "a")
    with pytest.raises(InvalidInvocationError, match=r"Nonexistent partition keys: \['z'\]"):
        compiled.keys_in_range("a", "z")


def test_timezone_typo_is_named_with_a_suggestion() -> None:
    with pytest.raises(UnknownTimezoneError, match=r"'Europe/Pairs'.*Did you mean 'Europe/Paris'") as info:
        hw.DailyPartitionsDefinition(start_date="2024-01-01", timezone="Europe/Pairs")
    assert isinstance(info.value, (hw.InvalidDefinitionError, KeyError))


def test_start_after_end_is_an_error_not_an_empty_set() -> None:
    with pytest.raises(hw.InvalidDefinitionError, match="not after their start"):
        hw.DailyPartitionsDefinition(start_date="2024-02-01", end_date="2024-01-01")


@pytest.mark.parametrize(
    "mapping",
    [
        hw.TimeWindowPartitionMapping(start_offset=-1, allow_nonexistent_upstream_partitions=True),
        hw.StaticPartitionMapping({"a": ["1", "2"]}),
        hw.MultiPartitionMapping({"d": hw.DimensionPartitionMapping("e", hw.IdentityPartitionMapping())}),
        hw.MultiToSingleDimensionPartitionMapping("date"),
        hw.SpecificPartitionsPartitionMapping(["x"]),
        hw.AllPartitionMapping(),
        hw.LastPartitionMapping(),
    ],
)
def test_mappings_are_specs(mapping: PartitionMappingSpec) -> None:
    assert codec.decode(codec.encode(mapping), PartitionMappingSpec) == mapping  # type: ignore[arg-type]


def test_time_window_mapping_from_specs() -> None:
    daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-10").to_partitions_spec()
    hourly = hw.HourlyPartitionsDefinition(start_date="2024-01-02-00:00", end_date="2024-01-05-00:00")
    up = hourly.to_partitions_spec()
    mapped = upstream_partition_keys(None, daily, ["2024-01-03"], up)
    assert len(mapped.keys) == 24 and mapped.keys[0] == "2024-01-03-00:00" and not mapped.missing
    mapped = upstream_partition_keys(None, daily, ["2024-01-01"], up)
    assert mapped.keys == [] and len(mapped.missing) == 24
    shifted = upstream_partition_keys(
        hw.TimeWindowPartitionMapping(start_offset=-1), daily, ["2024-01-05"], daily
    )
    assert shifted.keys == ["2024-01-04", "2024-01-05"]
    assert mapping_problem(
        hw.TimeWindowPartitionMapping(), up, hw.StaticPartitionsDefinition(["a"]).to_partitions_spec()
    )
