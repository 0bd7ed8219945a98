"""Planning: from a job spec and a selection to an ExecutionPlan, and the bookkeeping of which steps
are ready as a run proceeds. Pure: no I/O, no user code."""
