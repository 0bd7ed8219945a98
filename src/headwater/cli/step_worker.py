"""``headwater step-worker TASK_JSON``: run one step task (``executors.step_task``) in this process and
print its ``StepDone`` as JSON -- the entry point a container-per-step executor (Kubernetes, Docker)
starts; Celery and Dask workers call the same function (``executors.remote_worker.run_task_json``).

``-`` reads the task from stdin. The instance is ``$HEADWATER_HOME``'s (the run's shared store).
Exit status: 0 when the step succeeded (or had succeeded before), 1 when it failed, 2 for a task that
cannot be read.
"""

from __future__ import annotations

import sys

import click


@click.command("step-worker", hidden=True)
@click.argument("task")
def step_worker_command(task: str) -> None:
    """Run one step task (JSON, or - for stdin) and print what became of it."""
    import msgspec

    from headwater.executors.remote_worker import run_task_json, shutdown
    from headwater.executors.step_task import decode_done

    text = sys.stdin.read() if task == "-" else task
    try:
        answer = run_task_json(text)
    except msgspec.ValidationError as exc:
        click.echo(f"headwater step-worker: not a step task: {exc}", err=True)
        sys.exit(2)
    except msgspec.DecodeError as exc:
        click.echo(f"headwater step-worker: the task is not JSON: {exc}", err=True)
        sys.exit(2)
    finally:
        shutdown()
    click.echo(answer)
    sys.exit(0 if decode_done(answer).success else 1)
