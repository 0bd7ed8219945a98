"""The daemon: loops that make pipelines happen without a person (DESIGN.md §1).

* ``loop`` -- the ``DaemonLoop`` protocol (``name``, ``interval_seconds``, ``tick(now)``) and the one
  ``DaemonRunner`` (threads, leader leases with fencing, error backoff, heartbeats, clean stop);
* ``loops`` -- the registry of loops and how they are built from an ``Instance``;
* one module per loop: ``run_queue_loop``, ``monitor_loop`` (schedules, sensors, backfills and
  automation join the same way).

Like the webserver, the daemon never imports user code: loops that need it go through code-location
clients. ``headwater daemon run`` (``cli.daemon``) is the process.
"""
