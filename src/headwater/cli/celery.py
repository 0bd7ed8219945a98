"""``headwater celery worker``: a Celery worker for the Celery executor (Celery's own worker, with the
code location loaded once before its pool processes start).

    headwater celery worker -m my_project.definitions -q dagster -c 4 --broker redis://host:6379/0 \\
        --backend redis://host:6379/1

The worker opens the instance of ``$HEADWATER_HOME/headwater.yaml`` -- the run worker's store, which
must be shared (PostgreSQL or MySQL when workers run on other machines) -- and writes the events of
the steps it runs there. Broker and backend default to ``$HEADWATER_CELERY_BROKER`` /
``$HEADWATER_CELERY_BACKEND``, then Dagster's defaults; they must match the executor's config.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import click


@click.group("celery")
def celery_group() -> None:
    """Celery workers for the Celery executor."""


@celery_group.command("worker")
@click.option("-m", "--module-name", help="Module of the code location (its Definitions).")
@click.option(
    "-f",
    "--python-file",
    type=click.Path(exists=True, dir_okay=False),
    help="Python file of the code location.",
)
@click.option("-a", "--attribute", help="The Definitions attribute in the module or file.")
@click.option(
    "-d", "--working-directory", type=click.Path(file_okay=False), help="Directory to import the code from."
)
@click.option("-q", "--queue", "queues", multiple=True, help="Queue(s) to consume (default: dagster).")
@click.option("-c", "--concurrency", type=int, default=None, help="Worker processes (default: CPU count).")
@click.option("-n", "--name", default=None, help="Worker name (default: headwater@<host>, made unique).")
@click.option(
    "--broker",
    default=None,
    help="Broker URL (default: $HEADWATER_CELERY_BROKER or pyamqp://guest@localhost//).",
)
@click.option(
    "--backend", default=None, help="Result backend URL (default: $HEADWATER_CELERY_BACKEND or rpc://)."
)
@click.option("--config-source", default=None, help="Celery settings as JSON (the executor's config_source).")
@click.option("--loglevel", default="WARNING", show_default=True)
def worker_command(
    module_name: str | None,
    python_file: str | None,
    attribute: str | None,
    working_directory: str | None,
    queues: tuple[str, ...],
    concurrency: int | None,
    name: str | None,
    broker: str | None,
    backend: str | None,
    config_source: str | None,
    loglevel: str,
) -> None:
    """Start a Celery worker that runs Headwater step tasks."""
    from celery import signals

    from headwater.executors import celery_app, remote_worker

    if module_name is not None or python_file is not None:
        from headwater.locations.server.loader import load_definitions

        load_definitions(
            module_name=module_name,
            python_file=python_file,
            attribute=attribute,
            working_directory=working_directory,
        )
    source: dict[str, Any] = json.loads(config_source) if config_source else {}
    app = celery_app.make_app(broker, backend, (), source)
    hostname = name or f"headwater-{socket.gethostname()}-{id(app) % 100000}@%h"
    remote_worker.configure(where=f"Celery worker {hostname.replace('%h', socket.gethostname())}")
    signals.worker_process_shutdown.connect(lambda **_: remote_worker.shutdown(), weak=False)
    argv = ["worker", f"--loglevel={loglevel}", "-n", hostname, "--without-gossip", "--without-mingle"]
    argv += ["-Q", ",".join(queues or (celery_app.DEFAULT_QUEUE,))]
    if concurrency is not None:
        argv += ["-c", str(concurrency)]
    app.worker_main(argv=argv)
