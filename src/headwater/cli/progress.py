"""Live progress of a run on the terminal: one line per step as it starts, succeeds, fails or skips."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console

from headwater.core.data_version import SKIP_REASON_KEY
from headwater.events.event import EventLogEntry
from headwater.events.event_type import EventType

_STYLE = {
    EventType.STEP_START: ("▶", "cyan", "started"),
    EventType.STEP_SUCCESS: ("✔", "green", "succeeded"),
    EventType.STEP_FAILURE: ("✘", "red", "failed"),
    EventType.STEP_SKIPPED: ("↷", "yellow", "skipped"),
    EventType.STEP_UP_FOR_RETRY: ("↻", "yellow", "up for retry"),
}


class ProgressPrinter:
    """Prints each step's progress and the assets it materialized."""

    def __init__(self, console: Console | None = None, *, verbose: bool = False) -> None:
        self.console = console or Console(highlight=False)
        self.verbose = verbose
        self.counts = {"success": 0, "failure": 0, "skipped": 0}

    def __call__(self, entries: Sequence[EventLogEntry]) -> None:
        for entry in entries:
            ev = entry.dagster_event
            if ev is None:
                self.console.print(f"  [dim]{entry.step_key or ''}[/dim] {entry.user_message}", markup=True)
                continue
            style = _STYLE.get(ev.event_type)
            if style is not None:
                mark, color, word = style
                extra = ""
                if ev.event_type is EventType.STEP_SUCCESS:
                    self.counts["success"] += 1
                    extra = f" in {ev.event_specific_data.duration_ms:.1f} ms"
                elif ev.event_type is EventType.STEP_FAILURE:
                    self.counts["failure"] += 1
                    err = ev.event_specific_data.error
                    extra = f"\n{_indent(err.to_string() if err else '')}"
                elif ev.event_type is EventType.STEP_SKIPPED:
                    self.counts["skipped"] += 1
                    reason = _skip_reason(ev.event_specific_data)
                    if reason is not None:
                        word = "skipped, unchanged"
                        extra = f" [dim]({reason})[/dim]"
                self.console.print(f"[{color}]{mark}[/{color}] {ev.step_key} {word}{extra}")
            elif ev.event_type is EventType.ASSET_MATERIALIZATION:
                self.console.print(
                    f"    [green]materialized[/green] {_asset(ev)}{_meta(ev.event_specific_data)}"
                )
            elif ev.event_type is EventType.ASSET_CHECK_EVALUATION:
                data = ev.event_specific_data
                ok = "[green]passed[/green]" if data.passed else "[red]failed[/red]"
                self.console.print(f"    check {data.asset_key.to_user_string()}:{data.check_name} {ok}")
            elif self.verbose:
                self.console.print(
                    f"  [dim]{ev.event_type.value} {ev.step_key or ''} {ev.message or ''}[/dim]"
                )


def _skip_reason(data: Any) -> str | None:
    """Why a step was skipped as unchanged (``skip_unchanged``); None for other skips."""
    entry = (getattr(data, "metadata", None) or {}).get(SKIP_REASON_KEY)
    return str(getattr(entry, "value", entry)) if entry is not None else None


def _asset(ev: Any) -> str:
    key = ev.asset_key
    return key.to_user_string() if key is not None else "?"


def _meta(mat: Any) -> str:
    metadata = getattr(mat, "metadata", None) or {}
    if not metadata:
        return ""
    parts = [f"{k}={getattr(v, 'value', v)!r}" for k, v in list(metadata.items())[:4]]
    return " [dim](" + ", ".join(parts) + ")[/dim]"


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.rstrip().splitlines())
