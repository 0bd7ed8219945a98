"""Identifiers."""

from __future__ import annotations

import uuid


def make_new_run_id() -> str:
    return str(uuid.uuid4())
