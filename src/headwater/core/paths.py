"""``file_relative_path``: a path next to a source file, as Dagster projects build them."""

from __future__ import annotations

import os


def file_relative_path(dunderfile: str, relative_path: str) -> str:
    """``relative_path`` joined to the directory of ``dunderfile`` (pass ``__file__``), e.g.
    ``file_relative_path(__file__, "data/orders.csv")``."""
    return os.path.join(os.path.dirname(dunderfile), relative_path)
