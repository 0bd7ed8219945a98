"""The daemon: pure tick functions taking ``now`` (schedules, sensors, the run queue, run monitoring,
backfills, automation), each a small class with ``name``, ``interval_seconds`` and ``tick(now)``,
run by one generic loop. The daemon never imports user code: what needs the code is a request to a
code-location server (``headwater.locations.client``)."""
