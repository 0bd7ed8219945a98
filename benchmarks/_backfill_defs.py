"""The code of bench_backfills' runs: one trivial daily-partitioned asset, 1,000 partitions."""

import headwater as hw

daily = hw.DailyPartitionsDefinition(start_date="2021-01-01", end_date="2023-09-28")  # 1,000 days


@hw.asset(partitions_def=daily)
def trivial() -> int:
    return 1


defs = hw.Definitions(assets=[trivial])
