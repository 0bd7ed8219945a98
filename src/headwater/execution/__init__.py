"""Execution: running steps inside the user-code boundary, driving a run through an executor."""
