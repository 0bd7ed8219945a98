from dagster import AssetIn, asset


@asset(ins={"sorted_events": AssetIn(key="sorted_events")})
def event_count(sorted_events: list[int]) -> int:
    return len(sorted_events)


@asset
def doubled_count(event_count: int) -> int:
    return event_count * 2
