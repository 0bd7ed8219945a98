"""How much of Dagster's top-level API ``headwater.compat.dagster`` provides, and the README saying so.

The figure is the number of names of ``dir(dagster)`` (Dagster 1.13, ``dagster_public_names.txt``) that
``headwater.compat.dagster`` exports. When it changes, this test fails until the README says the new
figure; ``python tests/compat/test_coverage.py --write`` updates the README.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from headwater._api_table import dagster_names

HERE = Path(__file__).resolve().parent
README = HERE.parents[1] / "README.md"
# "**204 of 444** of Dagster 1.13's top-level names"
FIGURE = re.compile(r"\*\*(\d+) of (\d+)\*\* of Dagster 1\.13's top-level names")


def dagster_public_names() -> set[str]:
    lines = (HERE / "dagster_public_names.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def coverage() -> tuple[int, int]:
    reference = dagster_public_names()
    return len(reference & set(dagster_names())), len(reference)


def test_readme_states_the_coverage_of_dagsters_names() -> None:
    provided, total = coverage()
    found = FIGURE.search(README.read_text(encoding="utf-8"))
    assert found is not None, (
        "README.md lost its coverage sentence (**N of 444** of Dagster 1.13's top-level names)"
    )
    stated = (int(found.group(1)), int(found.group(2)))
    assert stated == (provided, total), (
        f'README.md says "{stated[0]} of {stated[1]}", but headwater.compat.dagster provides {provided} of '
        f"Dagster 1.13's {total} top-level names: run `python tests/compat/test_coverage.py --write`"
    )


def test_the_figure_counts_only_dagster_names() -> None:
    provided, total = coverage()
    assert total == 444 and 0 < provided <= total


def write_readme() -> str:
    provided, total = coverage()
    text = README.read_text(encoding="utf-8")
    updated, count = FIGURE.subn(f"**{provided} of {total}** of Dagster 1.13's top-level names", text)
    if count != 1:
        raise SystemExit("README.md has no (or several) coverage sentences to update")
    README.write_text(updated, encoding="utf-8")
    return f"README.md: {provided} of {total}"


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        print(write_readme())
    else:
        provided, total = coverage()
        missing = sorted(dagster_public_names() - set(dagster_names()))
        print(f"{provided} of {total}; not provided: {', '.join(missing)}")
