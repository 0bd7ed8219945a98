"""``CodePointer``: where a run worker finds the run's code (module or file, attribute, directory)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

from headwater.errors import HeadwaterError
from headwater.runs.tags import CODE_POINTER_TAG


class CodePointerError(HeadwaterError):
    """A run has no code pointer, or a malformed one."""


@dataclass(frozen=True, slots=True)
class CodePointer:
    """A module (``-m``) or a Python file (``-f``), the ``Definitions`` attribute, the working directory
    (absolute), and the Python interpreter to run the worker with (default: the launcher's)."""

    module_name: str | None = None
    python_file: str | None = None
    attribute: str | None = None
    working_directory: str | None = None
    executable: str | None = None

    def __post_init__(self) -> None:
        if (self.module_name is None) == (self.python_file is None):
            raise CodePointerError("A code pointer names exactly one of a module or a Python file.")

    @staticmethod
    def from_options(
        module_name: str | None,
        python_file: str | None,
        attribute: str | None = None,
        working_directory: str | None = None,
        executable: str | None = None,
    ) -> CodePointer:
        """A pointer from CLI-style options, with paths made absolute (the worker's cwd may differ)."""
        cwd = os.path.abspath(working_directory or os.getcwd())
        file = os.path.abspath(os.path.join(cwd, python_file)) if python_file is not None else None
        return CodePointer(module_name, file, attribute, cwd, executable)

    def to_tag(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None}, sort_keys=True)

    @staticmethod
    def from_tag(text: str) -> CodePointer:
        try:
            body: Any = json.loads(text)
            if not isinstance(body, dict):
                raise TypeError("not an object")
            return CodePointer(**{k: body.get(k) for k in CodePointer.__dataclass_fields__})
        except (ValueError, TypeError) as exc:
            raise CodePointerError(f"Malformed code pointer tag {CODE_POINTER_TAG}={text!r}: {exc}") from exc

    @staticmethod
    def from_run_tags(run_id: str, tags: Any) -> CodePointer:
        text = tags.get(CODE_POINTER_TAG)
        if text is None:
            raise CodePointerError(
                f"Run {run_id} has no {CODE_POINTER_TAG} tag, so no worker can find its code: it was not "
                "created for launching (create it with headwater.runs.create_run_for_launch, or "
                "`headwater job launch`)."
            )
        return CodePointer.from_tag(text)

    def describe(self) -> str:
        where = f"module {self.module_name}" if self.module_name else f"file {self.python_file}"
        return where + (f" (attribute {self.attribute})" if self.attribute else "")
