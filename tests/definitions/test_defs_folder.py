"""@definitions, load_from_defs_folder and load_defs over projects on disk."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import headwater as hw
from headwater.definitions.project_config import find_project
from headwater.errors import InvalidDefinitionError, InvariantViolationError

from .project_files import Files

PYPROJECT = """
[project]
name = "PKG"

[tool.dg]
directory_type = "project"

[tool.dg.project]
root_module = "PKG"
"""
DEFINITIONS = """
from pathlib import Path

import headwater as hw


@hw.lazy_definitions
def defs():
    return hw.load_from_defs_folder(path_within_project=Path(__file__).parent)
"""


def _project(files: Files) -> None:
    files.write("pyproject.toml", PYPROJECT)
    files.write("PKG/__init__.py")
    files.write("PKG/definitions.py", DEFINITIONS)
    files.write("PKG/defs/__init__.py")


def _load(files: Files) -> hw.Definitions:
    module = importlib.import_module(f"{files.name}.definitions")
    defs = module.defs()
    assert isinstance(defs, hw.Definitions)
    return defs


def _keys(defs: hw.Definitions) -> set[str]:
    return {k.to_user_string() for k in defs.resolve_all_asset_keys()}


def test_every_kind_of_file_in_the_defs_folder_contributes(files: Files) -> None:
    _project(files)
    files.write(
        "PKG/defs/loose.py", "import headwater as hw\n\n@hw.asset\ndef loose() -> int:\n    return 1\n"
    )
    files.write(
        "PKG/defs/obj.py",
        """
        import headwater as hw

        @hw.asset
        def from_object(loose: int) -> int:
            return loose + 1

        defs = hw.Definitions(assets=[from_object], resources={"token": "abc"})
        """,
    )
    files.write(
        "PKG/defs/nested/deeper/lazy.py",
        """
        import headwater as hw

        @hw.lazy_definitions
        def first(context: hw.ComponentLoadContext) -> hw.Definitions:
            @hw.asset(description=context.path.name)
            def from_lazy() -> int:
                return 3
            return hw.Definitions(assets=[from_lazy])

        @hw.lazy_definitions
        def second() -> hw.Definitions:
            return hw.Definitions(jobs=[hw.define_asset_job("lazy_job", selection=["from_lazy"])])
        """,
    )
    files.write("PKG/defs/empty.py", "X = 1\n")
    files.write("PKG/defs/__pycache__/junk.py", "raise RuntimeError('never imported')\n")
    files.write("PKG/defs/.hidden/junk.py", "raise RuntimeError('never imported')\n")
    defs = _load(files)
    assert _keys(defs) == {"loose", "from_object", "from_lazy"}
    assert defs.resources == {"token": "abc"}
    assert {j.name for j in defs.resolve_all_job_defs()} == {"lazy_job", "__ASSET_JOB"}
    lazy = defs.get_assets_def("from_lazy")
    assert lazy.specs[0].description == "lazy.py"
    assert hw.materialize_to_memory(defs.assets).success


def test_a_folder_with_definitions_py_is_that_file_alone(files: Files) -> None:
    _project(files)
    files.write(
        "PKG/defs/team/definitions.py",
        "import headwater as hw\n\n@hw.asset\ndef team() -> int:\n    return 1\n",
    )
    files.write("PKG/defs/team/other.py", "raise RuntimeError('not loaded: definitions.py stops the walk')\n")
    assert _keys(_load(files)) == {"team"}


def test_two_files_defining_one_asset_key_name_both_files(files: Files) -> None:
    _project(files)
    files.write("PKG/defs/a.py", "import headwater as hw\n\n@hw.asset\ndef dup() -> int:\n    return 1\n")
    files.write(
        "PKG/defs/b/c.py",
        "import headwater as hw\n\n@hw.asset(name='dup')\ndef other() -> int:\n    return 2\n",
    )
    with pytest.raises(InvalidDefinitionError) as info:
        _load(files)
    message = str(info.value)
    assert "Asset key dup is defined in both" in message
    assert f"{files.name}/defs/a.py" in message and f"{files.name}/defs/b/c.py" in message


def test_an_asset_imported_into_another_file_counts_once(files: Files) -> None:
    _project(files)
    files.write("PKG/defs/a.py", "import headwater as hw\n\n@hw.asset\ndef shared() -> int:\n    return 1\n")
    files.write(
        "PKG/defs/b.py",
        "from PKG.defs.a import shared\n\nimport headwater as hw\n\n"
        "job = hw.define_asset_job('j', selection=[shared])\n",
    )
    defs = _load(files)
    assert _keys(defs) == {"shared"} and "j" in {j.name for j in defs.resolve_all_job_defs()}


def test_clashing_resources_in_two_files_name_both_files(files: Files) -> None:
    _project(files)
    for name, value in (("r1", 1), ("r2", 2)):
        files.write(
            f"PKG/defs/{name}.py",
            f"import headwater as hw\n\ndefs = hw.Definitions(resources={{'db': {value}}})\n",
        )
    with pytest.raises(
        InvalidDefinitionError, match=r"Resource key db is defined in both .*r1\.py and .*r2\.py"
    ):
        _load(files)


def test_a_module_with_both_definitions_objects_and_functions_is_refused(files: Files) -> None:
    _project(files)
    files.write(
        "PKG/defs/both.py",
        """
        import headwater as hw

        defs = hw.Definitions()

        @hw.lazy_definitions
        def more():
            return hw.Definitions()
        """,
    )
    with pytest.raises(
        InvalidDefinitionError, match="Found both @definitions-decorated functions and Definitions objects"
    ):
        _load(files)


def test_load_defs_walks_a_package_and_needs_a_package(files: Files) -> None:
    _project(files)
    files.write("PKG/defs/x.py", "import headwater as hw\n\n@hw.asset\ndef x() -> int:\n    return 1\n")
    defs_root = importlib.import_module(f"{files.name}.defs")
    assert _keys(hw.load_defs(defs_root)) == {"x"}
    with pytest.raises(InvalidDefinitionError, match="is a module, not a package"):
        hw.load_defs(importlib.import_module(f"{files.name}.defs.x"))


def test_load_from_defs_folder_without_a_project_says_what_to_write(tmp_path: Path) -> None:
    with pytest.raises(InvalidDefinitionError, match=r"\[tool\.dg\.project\] root_module"):
        hw.load_from_defs_folder(path_within_project=tmp_path)
    with pytest.raises(InvalidDefinitionError, match="needs path_within_project"):
        hw.load_from_defs_folder()


def test_a_project_without_a_defs_package_is_reported(files: Files) -> None:
    files.write("pyproject.toml", PYPROJECT)
    files.write("PKG/__init__.py")
    files.write("PKG/definitions.py", DEFINITIONS)
    with pytest.raises(InvalidDefinitionError, match=r"has no defs package '.*\.defs'"):
        _load(files)


def test_definitions_decorator_checks_its_function() -> None:
    with pytest.raises(InvariantViolationError, match="exactly one ComponentLoadContext parameter"):

        @hw.lazy_definitions
        def two(a, b):  # type: ignore[no-untyped-def]
            return hw.Definitions()

    @hw.lazy_definitions
    def wrong():  # type: ignore[no-untyped-def]
        return [1]

    with pytest.raises(InvariantViolationError, match="must return a Definitions"):
        wrong()

    @hw.lazy_definitions
    def needs(context: hw.ComponentLoadContext) -> hw.Definitions:
        return hw.Definitions()

    with pytest.raises(InvariantViolationError, match="requires a ComponentLoadContext"):
        needs()
    assert isinstance(needs(hw.ComponentLoadContext.for_test()), hw.Definitions)


def test_project_config_forms(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.dg.project]\nroot_module = "alpha"\n')
    (tmp_path / "a" / "src" / "alpha").mkdir(parents=True)
    config = find_project(tmp_path / "a" / "src" / "alpha")
    assert config is not None
    assert (config.definitions_module, config.defs_module) == ("alpha.definitions", "alpha.defs")
    assert config.import_path == tmp_path / "a" / "src"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "pyproject.toml").write_text('[tool.dagster]\nmodule_name = "beta.repo"\n')
    legacy = find_project(tmp_path / "b")
    assert (
        legacy is not None
        and legacy.definitions_module == "beta.repo"
        and legacy.import_path == tmp_path / "b"
    )
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "pyproject.toml").write_text('[tool.headwater]\nmodule = "gamma.defs_module"\n')
    native = find_project(tmp_path / "c")
    assert native is not None and native.definitions_module == "gamma.defs_module"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "pyproject.toml").write_text("[tool.dg.project\n")
    with pytest.raises(InvalidDefinitionError, match=r"Cannot read .*pyproject\.toml"):
        find_project(tmp_path / "d")
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "pyproject.toml").write_text("[tool.dg.project]\nregistry_modules = []\n")
    with pytest.raises(InvalidDefinitionError, match="names no module"):
        find_project(tmp_path / "e")
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "pyproject.toml").write_text("[project]\nname = 'f'\n")
    assert find_project(tmp_path / "f") is None or find_project(tmp_path / "f").root != tmp_path / "f"  # type: ignore[union-attr]
