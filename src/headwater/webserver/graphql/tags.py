"""Tags: key/value pairs on runs, jobs and asset definitions (Dagster's ``PipelineTag``,
``DefinitionTag``, ``EventTag`` and the ``ExecutionTag`` input)."""

from __future__ import annotations

from collections.abc import Mapping

import strawberry


@strawberry.type(description="A run's or a job's tag.")
class PipelineTag:
    key: str
    value: str


@strawberry.type(description="A tag on an asset definition.")
class DefinitionTag:
    key: str
    value: str


@strawberry.type(description="A tag on an asset event (e.g. dagster/code_version).")
class EventTag:
    key: str
    value: str


@strawberry.input(description="A tag to put on a run, or to filter runs by.")
class ExecutionTag:
    key: str
    value: str


def pipeline_tags(tags: Mapping[str, str]) -> list[PipelineTag]:
    return [PipelineTag(key=k, value=v) for k, v in sorted(tags.items())]


def definition_tags(tags: Mapping[str, str]) -> list[DefinitionTag]:
    return [DefinitionTag(key=k, value=v) for k, v in sorted(tags.items())]


def event_tags(tags: Mapping[str, str] | None) -> list[EventTag]:
    return [EventTag(key=k, value=v) for k, v in sorted((tags or {}).items())]


def tag_dict(tags: list[ExecutionTag] | None) -> dict[str, str]:
    return {t.key: t.value for t in tags or ()}
