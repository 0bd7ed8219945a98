"""Components in defs.yaml files: type resolution, attributes, template vars, built-ins, errors."""

from __future__ import annotations

import importlib

import pytest

import headwater as hw
from headwater.errors import InvalidDefinitionError, StepExecutionError

from ..project_files import Files

PYPROJECT = '[tool.dg.project]\nroot_module = "PKG"\n'
COMPONENT = """
import headwater as hw


class Tables(hw.Component, hw.Model, hw.Resolvable):
    names: list[str]
    group: str = "g"

    @staticmethod
    @hw.template_var
    def suffix() -> str:
        return "s"

    def build_defs(self, context: hw.ComponentLoadContext) -> hw.Definitions:
        def make(name: str) -> hw.AssetsDefinition:
            @hw.asset(name=name, group_name=self.group)
            def _a() -> str:
                return name
            return _a
        return hw.Definitions(assets=[make(n) for n in self.names])
"""


def _project(files: Files) -> None:
    files.write("pyproject.toml", PYPROJECT)
    files.write("PKG/__init__.py")
    files.write("PKG/components.py", COMPONENT)
    files.write("PKG/defs/__init__.py")


def _load(files: Files) -> hw.Definitions:
    return hw.load_defs(importlib.import_module(f"{files.name}.defs"), project_root=files.root)


def _keys(defs: hw.Definitions) -> set[str]:
    return {k.to_user_string() for k in defs.resolve_all_asset_keys()}


def test_a_resolvable_component_with_template_vars_and_several_documents(files: Files) -> None:
    _project(files)
    files.write(
        "PKG/defs/t/defs.yaml",
        """
        type: PKG.components.Tables
        attributes:
          names: ["a_{{ suffix }}", "b"]
        ---
        type: PKG.components.Tables
        template_vars_module: .vars
        attributes:
          names: ["{{ table_name }}"]
          group: other
        """,
    )
    files.write(
        "PKG/defs/t/vars.py",
        "import headwater as hw\n\n@hw.template_var\ndef table_name(context):\n"
        "    return context.path.name + '_table'\n",
    )
    defs = _load(files)
    assert _keys(defs) == {"a_s", "b", "t_table"}
    assert defs.get_assets_def("t_table").specs[0].group_name == "other"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("attributes: {}\n", "a component needs `type:`"),
        ("type: PKG.components.Tables\nattribute: {}\n", "unknown key\\(s\\) attribute"),
        (
            "type: PKG.components.Nope\n",
            "Cannot find component type '.*components.Nope': module .* has no attribute 'Nope'",
        ),
        ("type: Tables\n", "is not a dotted path"),
        ("type: pathlib.Path\n", "is not a Component subclass"),
        (
            "type: PKG.components.Tables\nattributes:\n  names: 3\n",
            "Invalid attributes for Tables: names: Input should be a valid list",
        ),
        (
            "type: PKG.components.Tables\nattributes:\n  names: []\n  colour: red\n",
            "colour: Extra inputs are not permitted",
        ),
        ("type: [\n", "Cannot read .*defs.yaml"),
    ],
)
def test_yaml_mistakes_name_the_file_and_the_problem(files: Files, yaml_text: str, message: str) -> None:
    _project(files)
    path = files.write("PKG/defs/bad/defs.yaml", yaml_text)
    with pytest.raises(InvalidDefinitionError, match=message) as info:
        _load(files)
    assert str(path) in str(info.value)


def test_defs_folder_and_definitions_components(files: Files) -> None:
    _project(files)
    files.write("PKG/defs/folder/defs.yaml", "type: dagster.DefsFolderComponent\n")
    files.write(
        "PKG/defs/folder/x.py", "import headwater as hw\n\n@hw.asset\ndef x() -> int:\n    return 1\n"
    )
    files.write(
        "PKG/defs/one/defs.yaml", "type: headwater.DefinitionsComponent\nattributes:\n  path: impl.py\n"
    )
    files.write(
        "PKG/defs/one/impl.py",
        "import headwater as hw\n\n@hw.asset\ndef y() -> int:\n    return 2\n\n"
        "defs = hw.Definitions(assets=[y])\n",
    )
    files.write(
        "PKG/defs/one/ignored.py", "raise RuntimeError('a folder with defs.yaml is its component only')\n"
    )
    assert _keys(_load(files)) == {"x", "y"}


def test_function_component_passes_resources_and_evaluates_checks(files: Files) -> None:
    _project(files)
    files.write(
        "PKG/defs/fn/defs.yaml",
        """
        type: dagster.FunctionComponent
        attributes:
          execution:
            fn: .fn.logic.run
            name: run_it
          assets:
            - key: out/table
              kinds: [python]
          checks:
            - asset: out/table
              name: non_empty
        """,
    )
    files.write(
        "PKG/defs/fn/logic.py",
        """
        import headwater as hw

        def run(context, db: str):
            yield hw.MaterializeResult(asset_key=["out", "table"], metadata={"db": db})
            yield hw.AssetCheckResult(asset_key=["out", "table"], check_name="non_empty", passed=True)
        """,
    )
    defs = hw.Definitions.merge(_load(files), hw.Definitions(resources={"db": "warehouse"}))
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process()
    assert result.success
    [mat] = result.get_asset_materialization_events()
    assert mat.asset_key == hw.AssetKey(["out", "table"])
    assert [e.passed for e in result.get_asset_check_evaluations()] == [True]


def test_python_script_component_fails_the_step_with_the_scripts_error(files: Files) -> None:
    _project(files)
    files.write(
        "PKG/defs/s/defs.yaml",
        "type: dagster.PythonScriptComponent\nattributes:\n  execution:\n    path: go.py\n"
        "  assets:\n    - key: produced\n",
    )
    files.write("PKG/defs/s/go.py", "import sys\nsys.exit('the warehouse is down')\n")
    defs = _load(files)
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(raise_on_error=False)
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert (
        "go.py exited with code 1: the warehouse is down"
        in failure.step_failure_data.user_failure_data.description
    )
    with pytest.raises(Exception, match="the warehouse is down"):
        defs.resolve_implicit_global_asset_job_def().execute_in_process()
    assert StepExecutionError  # the Failure is the user's signal, raised as itself
