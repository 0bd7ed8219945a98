"""Code references of assets: ``with_source_code_references`` (where each asset's function is defined,
as ``dagster/code_references`` metadata) and ``link_code_references_to_git`` (those local files as
URLs in GitHub or GitLab, through a ``FilePathMapping`` such as ``AnchorBasedFilePathMapping``).

Source assets and specs have no function to point to and pass through unchanged, as in Dagster.
"""

from __future__ import annotations

import abc
import inspect
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from headwater.core.code_references import CodeReference, LocalFileCodeReference, UrlCodeReference
from headwater.core.structured_metadata import CodeReferencesMetadataValue
from headwater.definitions.assets import AssetsDefinition
from headwater.errors import InvalidInvocationError

CODE_REFERENCES_KEY = "dagster/code_references"
Platform = Literal["github", "gitlab"]


class FilePathMapping(abc.ABC):
    """Maps a local file to its path in a source-control repository (relative to the repository root)."""

    @abc.abstractmethod
    def convert_to_source_control_path(self, local_path: Path) -> str: ...


@dataclass
class AnchorBasedFilePathMapping(FilePathMapping):
    """A local file (``local_file_anchor``) and where the same file is in the repository
    (``file_anchor_path_in_repository``); other files are placed relative to it."""

    local_file_anchor: Path
    file_anchor_path_in_repository: str

    def convert_to_source_control_path(self, local_path: Path) -> str:
        relative = os.path.relpath(local_path, self.local_file_anchor)
        return os.path.normpath(os.path.join(self.file_anchor_path_in_repository, relative))


def _references(metadata: dict[str, Any]) -> list[CodeReference]:
    value = metadata.get(CODE_REFERENCES_KEY)
    return list(value.code_references) if isinstance(value, CodeReferencesMetadataValue) else []


def _with_references(
    assets_def: AssetsDefinition, make: Callable[[list[CodeReference]], list[CodeReference] | None]
) -> AssetsDefinition:
    """A copy whose assets' code references are ``make(existing)`` (None: leave the asset alone)."""
    by_key = assets_def.metadata_by_key

    def update(spec: Any) -> Any:
        meta = dict(by_key.get(spec.key, spec.metadata) or {})
        refs = make(_references(meta))
        if refs is None:
            return spec
        return spec.replace_attributes(
            metadata={**meta, CODE_REFERENCES_KEY: CodeReferencesMetadataValue(refs)}
        )

    return assets_def.map_asset_specs(update)


def _source_of(assets_def: AssetsDefinition) -> LocalFileCodeReference | None:
    node = assets_def.node_def
    fn = getattr(node, "compute_fn", None) or getattr(node, "composition_fn", None)
    if fn is None:
        return None
    fn = inspect.unwrap(fn)
    try:
        source = inspect.getsourcefile(fn)
        line = inspect.getsourcelines(fn)[1]
    except (OSError, TypeError):
        return None
    if source is None:
        return None
    return LocalFileCodeReference(
        file_path=os.path.abspath(os.path.join(os.getcwd(), source)), line_number=line
    )


def _appending(source: CodeReference) -> Callable[[list[CodeReference]], list[CodeReference]]:
    return lambda refs: [*refs, source]


def with_source_code_references(assets_defs: Sequence[Any]) -> list[Any]:
    """Copies of ``assets_defs`` whose assets point (``dagster/code_references``) at the file and line
    where their function is defined, after any references they already have."""
    out: list[Any] = []
    for item in assets_defs:
        source = _source_of(item) if isinstance(item, AssetsDefinition) else None
        if source is None:
            out.append(item)
        else:
            out.append(_with_references(item, _appending(source)))
    return out


def _base_url(url: str, branch: str, platform: Platform | None) -> str:
    if platform is None:
        if "gitlab" in url:
            platform = "gitlab"
        elif "github" in url:
            platform = "github"
        else:
            raise ValueError(
                "Invalid `git_url`. Unable to infer the source control platform from the `git_url`. Please "
                "supply a `platform`."
            )
    if platform == "gitlab":
        return f"{url}/-/tree/{branch}"
    if platform == "github":
        return f"{url}/tree/{branch}"
    raise ValueError(
        "Invalid `platform`. Only gitlab and github are supported for linking to source control."
    )


def link_code_references_to_git(
    assets_defs: Sequence[Any],
    git_url: str,
    git_branch: str,
    file_path_mapping: FilePathMapping,
    platform: Platform | None = None,
) -> list[Any]:
    """Copies of ``assets_defs`` whose local file code references become URLs in the repository at
    ``git_url`` on ``git_branch`` (GitHub or GitLab, inferred from the URL unless ``platform``)."""
    if not isinstance(file_path_mapping, FilePathMapping):
        raise InvalidInvocationError(
            "link_code_references_to_git needs file_path_mapping=AnchorBasedFilePathMapping(...) (or another "
            f"FilePathMapping); got {file_path_mapping!r}."
        )
    base = _base_url(git_url, git_branch, platform)

    def convert(refs: list[CodeReference]) -> list[CodeReference] | None:
        if not refs:
            return None
        return [
            _to_url(base, file_path_mapping, r) if isinstance(r, LocalFileCodeReference) else r for r in refs
        ]

    return [_with_references(a, convert) if isinstance(a, AssetsDefinition) else a for a in assets_defs]


def _to_url(base: str, mapping: FilePathMapping, ref: LocalFileCodeReference) -> UrlCodeReference:
    path = mapping.convert_to_source_control_path(Path(ref.file_path))
    suffix = f"#L{ref.line_number}" if ref.line_number else ""
    return UrlCodeReference(url=f"{base}/{path}{suffix}", label=ref.label)
