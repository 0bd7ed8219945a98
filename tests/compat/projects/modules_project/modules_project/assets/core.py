from dagster import asset


@asset
def events() -> list[int]:
    return [3, 1, 2]


@asset
def sorted_events(events: list[int]) -> list[int]:
    return sorted(events)
