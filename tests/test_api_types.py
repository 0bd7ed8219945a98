"""The typed front door: users' type checkers see every public name of ``headwater`` and
``headwater.compat.dagster`` as its real type, though both modules import their names lazily.

They do through the stubs beside the two modules (``__init__.pyi``, ``compat/dagster.pyi``), which
``tools/generate_api_stubs.py`` writes from ``headwater/_api_table.py``. These tests check that the
stubs match the table, and run mypy on scripts written as a user would write them.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from headwater._api_table import dagster_names, native_names

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "generate_api_stubs.py"
STUBS = {
    "headwater": (ROOT / "src/headwater/__init__.pyi", native_names()),
    "headwater.compat.dagster": (ROOT / "src/headwater/compat/dagster.pyi", dagster_names()),
}


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_api_stubs", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# -- the stubs and the table ---------------------------------------------------------------------------


@pytest.mark.parametrize("module", sorted(STUBS))
def test_stub_imports_every_name_of_the_table_from_its_module(module: str) -> None:
    # Read independently of the generator: every `from m import a as name` and __all__.
    path, names = STUBS[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: dict[str, tuple[str, str]] = {}
    exported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                imported[alias.asname or alias.name] = (node.module or "", alias.name)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            exported = ast.literal_eval(node.value)
    assert imported == dict(names), (
        f"{path.name} disagrees with _api_table.py: run tools/generate_api_stubs.py"
    )
    assert sorted(exported) == sorted(names), f"{path.name}'s __all__ disagrees with _api_table.py"


def test_stubs_are_what_the_tool_writes() -> None:
    done = subprocess.run(
        [sys.executable, str(TOOL), "--check"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_changed_table_makes_the_stubs_stale() -> None:
    tool = load_tool()
    table = tool.load_table(ROOT)
    natives = table.native_names()
    natives.pop("AssetSelection")
    natives["AssetPicker"] = ("headwater.selection.asset_selection", "AssetSelection")

    class EditedTable:
        native_names = staticmethod(lambda: natives)
        dagster_names = staticmethod(table.dagster_names)

    stale = tool.stale_stubs(ROOT, EditedTable)
    assert list(stale) == [Path("src/headwater/__init__.pyi")]
    text = stale[Path("src/headwater/__init__.pyi")]
    assert "AssetSelection as AssetPicker" in text and "AssetSelection as AssetSelection" not in text


# -- mypy on user scripts ------------------------------------------------------------------------------

USER_SCRIPT = """
import headwater as hw
import headwater.compat.dagster as dg


class GreetingConfig(hw.Config):
    name: str = "world"


class Warehouse(hw.ConfigurableResource):
    url: str


@hw.asset
def numbers() -> list[int]:
    return [1, 2, 3]


@hw.asset(group_name="reports")
def total(numbers: list[int], warehouse: hw.ResourceParam[Warehouse]) -> int:
    return sum(numbers)


@hw.asset
def greeting(config: GreetingConfig) -> str:
    return f"hello {config.name}"


defs = hw.Definitions(assets=[numbers, total, greeting], resources={"warehouse": Warehouse(url="x")})
result = hw.materialize([numbers, total, greeting], resources={"warehouse": Warehouse(url="x")})
succeeded: bool = result.success
key: hw.AssetKey = hw.AssetKey(["warehouse", "orders"])
selection = hw.AssetSelection.assets(numbers, key, "raw/events") | hw.AssetSelection.groups("reports")
status: hw.RunStatus = hw.RunStatus.SUCCESS


@hw.multi_asset(outs={"left": hw.AssetOut(), "right": hw.AssetOut()})
def pair() -> tuple[int, int]:
    return 1, 2


@hw.success_hook
def notify(context: hw.HookContext) -> None:
    context.log.info("done")


@hw.op
def one() -> int:
    return 1


@hw.job(hooks={notify})
def small_job() -> None:
    one()


@dg.asset
def legacy(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    context.log.info("hello")
    return dg.MaterializeResult(metadata={"rows": 3})


def runs_of(instance: dg.DagsterInstance) -> int:
    return len(instance.get_runs())


dagster_instance: dg.DagsterInstance = dg.DagsterInstance.ephemeral()
count: int = runs_of(hw.Instance.ephemeral())  # every Instance is a DagsterInstance
event_type: dg.DagsterEventType = dg.DagsterEventType.ASSET_MATERIALIZATION
run_status: dg.DagsterRunStatus = dg.DagsterRunStatus.FAILURE
error: type[dg.DagsterError] = dg.DagsterInvalidDefinitionError
"""

# (line, what mypy must say about it): mistakes a user could make, each of which the real signature
# rejects and an ``Any`` would let through.
MISTAKES = [
    ("hw.Definitions(assets=3)", 'Argument "assets" to "Definitions" has incompatible type "int"'),
    ("hw.AssetKey(3)", 'Argument 1 to "AssetKey" has incompatible type "int"'),
    ("hw.AssetSelection.groups(7)", 'Argument 1 to "groups" of "AssetSelection" has incompatible type'),
    ("hw.AssetSelection.assets(3)", 'Argument 1 to "assets" of "AssetSelection" has incompatible type'),
    ("hw.materialize(assets=[], tags=['a'])", 'Argument "tags" to "materialize" has incompatible type'),
    ("hw.Definitons", 'Module has no attribute "Definitons"; maybe "Definitions"?'),
    ("dg.DagsterInstance.ephemeral(tempdir=3)", 'Argument "tempdir" to "ephemeral" of "Instance"'),
    ("dg.DagsterRunStatus.SUCESS", '"type[RunStatus]" has no attribute "SUCESS"'),
    ("dg.RunStatus", 'Module has no attribute "RunStatus"'),  # the native name, not Dagster's
]

# Type aliases (``ResourceParam[T]`` is ``Annotated[T, ...]``): mypy reveals an alias used as a value
# as Any, so USER_SCRIPT uses them in annotations instead. Nothing is typed Any in its module on
# purpose: it is a value (``In(Nothing)``) that Dagster code also writes in annotations.
REVEALED_AS_ANY = {"ResourceParam", "ResourceDependency", "Nothing"}


def _every_name_script() -> tuple[str, dict[int, str]]:
    lines = ["import headwater as hw", "import headwater.compat.dagster as dg"]
    where: dict[int, str] = {}
    for prefix, names in (("hw", native_names()), ("dg", dagster_names())):
        for name in sorted(names):
            lines.append(f"reveal_type({prefix}.{name})")
            where[len(lines)] = f"{prefix}.{name}"
    return "\n".join(lines) + "\n", where


@pytest.fixture(scope="module")
def mypy_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, list[tuple[int, str]]], dict[int, str]]:
    """One mypy run, configured as a user would (strict, no plugins), over three scripts."""
    tmp = tmp_path_factory.mktemp("mypy_user")
    (tmp / "mypy.ini").write_text("[mypy]\nstrict = True\n", encoding="utf-8")
    (tmp / "user_app.py").write_text(textwrap.dedent(USER_SCRIPT).lstrip(), encoding="utf-8")
    mistakes = ["import headwater as hw", "import headwater.compat.dagster as dg", *(m for m, _ in MISTAKES)]
    (tmp / "mistakes.py").write_text("\n".join(mistakes) + "\n", encoding="utf-8")
    every_name, where = _every_name_script()
    (tmp / "every_name.py").write_text(every_name, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context", "--no-pretty",
         "user_app.py", "mistakes.py", "every_name.py"],
        capture_output=True, text=True, cwd=tmp, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 2 would be a crash or a bad option
    by_file: dict[str, list[tuple[int, str]]] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"(\w+)\.py:(\d+): (.*)$", line)
        assert match, f"unexpected mypy output: {line}"
        by_file.setdefault(match[1], []).append((int(match[2]), match[3]))
    return by_file, where


def test_a_user_script_type_checks_cleanly(
    mypy_run: tuple[dict[str, list[tuple[int, str]]], dict[int, str]],
) -> None:
    by_file, _where = mypy_run
    assert by_file.get("user_app", []) == []


@pytest.mark.parametrize(("line", "message"), MISTAKES, ids=[m for m, _ in MISTAKES])
def test_mypy_reports_a_mistake(
    mypy_run: tuple[dict[str, list[tuple[int, str]]], dict[int, str]], line: str, message: str
) -> None:
    by_file, _where = mypy_run
    number = 3 + [m for m, _ in MISTAKES].index(line)
    said = [text for n, text in by_file.get("mistakes", []) if n == number]
    assert any(text.startswith("error:") and message in text for text in said), said


def test_every_public_name_has_its_real_type(
    mypy_run: tuple[dict[str, list[tuple[int, str]]], dict[int, str]],
) -> None:
    by_file, where = mypy_run
    revealed = {
        where[n]: text.removeprefix('note: Revealed type is "').removesuffix('"')
        for n, text in by_file.get("every_name", [])
        if text.startswith("note: Revealed type is")
    }
    problems = [text for _n, text in by_file.get("every_name", []) if not text.startswith("note:")]
    assert problems == []
    assert set(revealed) == set(where.values())
    as_any = sorted(name for name, kind in revealed.items() if kind == "Any")
    assert as_any == sorted(f"{p}.{n}" for p in ("hw", "dg") for n in REVEALED_AS_ANY), as_any
