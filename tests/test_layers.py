"""Keep .importlinter honest as packages land.

`lint-imports` (a stage of scripts/test) checks the contracts themselves. These tests check the
placeholders in the config: a package DESIGN.md plans is written as an optional layer `(name)` or as
`# planned: headwater.x` until it exists; once it exists, the placeholder must become a real entry,
so that a renamed or misspelt package cannot silently fall outside a contract.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"
SRC = ROOT / "src"

# DESIGN.md §2, "Layers, top to bottom". Change both together.
DESIGN_LAYERS = {
    *("cli", "testing", "compat"),
    # integrations (DuckDB, Parquet, ...): user-code side, on the public authoring API; only compat
    # above imports it (DESIGN.md's tree lists integrations/ as using the public API only).
    *("webserver", "daemon", "locations.server", "integrations"),
    *("instance", "executors"),
    *("runs", "execution", "locations.client"),
    *("planning", "storage"),
    *("definitions", "events"),
    "selection",
    "specs",
    *("core", "errors"),
}


# DESIGN.md §2, "Also: ...": the packages that never import user code, and what they never import.
DESIGN_NO_USER_CODE = {
    *("webserver", "daemon", "instance", "runs", "planning", "storage", "locations.client"),
    *("events", "selection", "specs"),
}
DESIGN_USER_CODE = {"definitions", "execution", "executors", "locations.server"}
# ... and the pure packages, and the heavy dependencies they never import.
DESIGN_PURE = {"core", "specs", "selection", "events", "definitions", "planning"}
DESIGN_HEAVY = {"sqlalchemy", "starlette", "httpx", "click", "multiprocessing"}


def module_exists(dotted: str) -> bool:
    path = SRC.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def read_config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    return parser


def layer_entries() -> list[str]:
    raw = read_config()["importlinter:contract:layers"]["layers"]
    return [part.strip() for line in raw.splitlines() for part in line.split("|") if part.strip()]


def optional_layers() -> list[str]:
    return [entry[1:-1] for entry in layer_entries() if entry.startswith("(") and entry.endswith(")")]


def planned_modules(text: str | None = None) -> list[str]:
    """The `# planned: headwater.x` lines of ``text`` (default: the whole config file)."""
    text = CONFIG.read_text(encoding="utf-8") if text is None else text
    return re.findall(r"^\s*#\s*planned:\s*([\w.]+)\s*$", text, flags=re.MULTILINE)


def section_text(name: str) -> str:
    """The raw text of one `[section]` of the config, comments included."""
    text = CONFIG.read_text(encoding="utf-8")
    start = text.index(f"[{name}]")
    end = text.find("\n[", start + 1)
    return text[start : end if end != -1 else len(text)]


def listed(contract: str, key: str) -> set[str]:
    raw = read_config()[f"importlinter:contract:{contract}"][key]
    return {line.strip() for line in raw.splitlines() if line.strip()}


def short(modules: set[str]) -> set[str]:
    return {m.removeprefix("headwater.") for m in modules}


def test_config_declares_the_design_contracts() -> None:
    config = read_config()
    assert config["importlinter"]["root_package"] == "headwater"
    for contract in ("layers", "user-code-boundary", "pure-layers-no-heavy-deps"):
        assert f"importlinter:contract:{contract}" in config, f"contract {contract!r} missing"
    declared = {entry.strip("()") for entry in layer_entries()}
    assert declared == DESIGN_LAYERS, "the layers contract must list exactly DESIGN.md §2's layers"


def test_user_code_boundary_covers_the_design_list() -> None:
    # Existing packages are listed; planned ones (webserver, daemon) are `# planned:` lines, which
    # the test below forces to become real entries when the package lands. The layers contract alone
    # would let webserver and daemon import definitions: this contract is what forbids it.
    contract = "user-code-boundary"
    sources = short(listed(contract, "source_modules"))
    planned = short(set(planned_modules(section_text(f"importlinter:contract:{contract}"))))
    assert sources | planned == DESIGN_NO_USER_CODE, (
        f"[{contract}] source_modules (with `# planned:` lines) must be DESIGN.md's list: "
        f"missing {sorted(DESIGN_NO_USER_CODE - sources - planned)}, "
        f"extra {sorted((sources | planned) - DESIGN_NO_USER_CODE)}"
    )
    assert not sources & planned, f"listed and planned at once: {sorted(sources & planned)}"
    assert short(listed(contract, "forbidden_modules")) == DESIGN_USER_CODE


def test_pure_layers_cover_the_design_list() -> None:
    contract = "pure-layers-no-heavy-deps"
    sources = short(listed(contract, "source_modules"))
    assert sources == DESIGN_PURE, (
        f"[{contract}] source_modules must be DESIGN.md's list: missing {sorted(DESIGN_PURE - sources)}, "
        f"extra {sorted(sources - DESIGN_PURE)}"
    )
    assert listed(contract, "forbidden_modules") == DESIGN_HEAVY


@pytest.mark.parametrize("tail", optional_layers() or ["<none>"])
def test_optional_layers_do_not_exist_yet(tail: str) -> None:
    if tail == "<none>":
        pytest.skip("no optional layers left in .importlinter")
    assert not module_exists(f"headwater.{tail}"), (
        f"headwater.{tail} exists now: in .importlinter, write the layer as `{tail}` instead of "
        f"`({tail})` so the contract requires it"
    )


@pytest.mark.parametrize("module", planned_modules() or ["<none>"])
def test_planned_modules_do_not_exist_yet(module: str) -> None:
    if module == "<none>":
        pytest.skip("no `# planned:` modules left in .importlinter")
    assert not module_exists(module), (
        f"{module} exists now: in .importlinter, uncomment `# planned: {module}` "
        f"(make it a plain `{module}` line) so the contract covers it"
    )
