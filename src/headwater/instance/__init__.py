"""The instance: storage plus (later) run coordinator, launcher and code locations."""

from __future__ import annotations

from headwater.instance.core import Instance

__all__ = ["Instance"]
