"""The code in the README and the user guide runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(path: Path) -> list[str]:
    return BLOCK.findall(path.read_text())


@pytest.mark.parametrize("doc", ["README.md", "docs/guide.md"])
def test_python_blocks_run(doc: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    namespace: dict[str, object] = {"__name__": f"doc_{Path(doc).stem}"}
    blocks = _blocks(ROOT / doc)
    assert blocks, f"{doc} has no python blocks"
    for i, block in enumerate(blocks):
        code = compile(block, f"{doc}[block {i + 1}]", "exec")
        exec(code, namespace)
