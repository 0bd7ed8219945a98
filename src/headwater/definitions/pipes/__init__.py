"""Pipes, the orchestration side: start an external process, pass it the step's context, and turn what
it reports (materializations, check results, log lines, custom messages) into the step's results.

The external side is ``headwater.pipes`` (standalone; ``dagster_pipes`` in the child process).
"""
