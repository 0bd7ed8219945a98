from __future__ import annotations

from ..project_files import files

__all__ = ["files"]
