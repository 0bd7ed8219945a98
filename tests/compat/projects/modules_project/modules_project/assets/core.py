from dagster import asset
from dagster._core.definitions.tags import build_kind_tag
from dagster._core.errors import DagsterInvariantViolationError
from dagster._utils.backoff import backoff


def _fetch_events() -> list[int]:
    return [3, 1, 2]


@asset(tags=build_kind_tag("python"))
def events() -> list[int]:
    return backoff(_fetch_events, retry_on=(ConnectionError,), max_retries=2)


@asset
def sorted_events(events: list[int]) -> list[int]:
    if not events:
        raise DagsterInvariantViolationError("No events to sort.")
    return sorted(events)
