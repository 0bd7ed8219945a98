"""The asset and job commands, run through click against real code files and the example project."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from headwater.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]

CODE = textwrap.dedent(
    """
    import headwater as hw

    @hw.asset(group_name="raw")
    def numbers() -> list[int]:
        return [1, 2, 3]

    @hw.asset
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    @hw.asset
    def broken(total: int) -> int:
        raise ValueError("total is wrong")

    @hw.op
    def hello(context) -> str:
        context.log.info("hello from the op")
        return "hi"

    @hw.job
    def greet():
        hello()

    defs = hw.Definitions(assets=[numbers, total, broken], jobs=[greet])
    """
)


@pytest.fixture
def code_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "defs_for_cli.py"
    path.write_text(CODE)
    return path


def test_materialize_prints_each_step_and_the_outcome(code_file: Path) -> None:
    result = CliRunner().invoke(cli, ["asset", "materialize", "--select", "numbers+", "-f", str(code_file)])
    assert result.exit_code == 0, result.output
    assert "numbers started" in result.output
    assert "materialized total" in result.output
    assert "SUCCESS — 2 succeeded, 0 failed, 0 skipped" in result.output


def test_failed_step_shows_the_user_error_and_exits_non_zero(code_file: Path) -> None:
    result = CliRunner().invoke(cli, ["asset", "materialize", "--select", "*", "-f", str(code_file)])
    assert result.exit_code == 1
    assert "broken failed" in result.output
    assert "ValueError: total is wrong" in result.output
    assert "FAILURE" in result.output


def test_selection_matching_nothing_is_an_error(code_file: Path) -> None:
    result = CliRunner().invoke(cli, ["asset", "materialize", "--select", "group:nope", "-f", str(code_file)])
    assert result.exit_code != 0
    assert "matches no materializable assets" in result.output


def test_bad_selection_syntax_is_reported(code_file: Path) -> None:
    result = CliRunner().invoke(cli, ["asset", "materialize", "--select", "key:(", "-f", str(code_file)])
    assert result.exit_code != 0
    assert "Error" in result.output


def test_missing_file_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["asset", "list", "-f", str(tmp_path / "nope.py")])
    assert result.exit_code != 0
    assert "No such file" in result.output


def test_import_error_shows_the_user_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad_defs.py"
    bad.write_text("import headwater as hw\nraise RuntimeError('cannot load')\n")
    result = CliRunner().invoke(cli, ["asset", "list", "-f", str(bad)])
    assert result.exit_code != 0
    assert "RuntimeError: cannot load" in result.output
    assert "bad_defs.py" in result.output


def test_asset_list_and_job_list(code_file: Path) -> None:
    listed = CliRunner().invoke(cli, ["asset", "list", "-f", str(code_file)])
    assert listed.exit_code == 0, listed.output
    assert "numbers" in listed.output and "raw" in listed.output
    jobs = CliRunner().invoke(cli, ["job", "list", "-f", str(code_file)])
    assert jobs.exit_code == 0, jobs.output
    assert "greet" in jobs.output


def test_job_execute_with_config_file(code_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["job", "execute", "-j", "greet", "-f", str(code_file)])
    assert result.exit_code == 0, result.output
    assert "hello from the op" in result.output
    missing = CliRunner().invoke(cli, ["job", "execute", "-j", "gret", "-f", str(code_file)])
    assert missing.exit_code != 0
    assert "Could not find job 'gret'" in missing.output


def test_example_project_materializes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["asset", "materialize", "--select", "*", "-m", "examples.quickstart.definitions", "-d", str(ROOT)],
    )
    assert result.exit_code == 0, result.output
    assert "materialized revenue_by_country" in result.output
    assert "check orders:orders_have_positive_amounts passed" in result.output


def test_wait_without_launch_is_a_usage_error(code_file: Path) -> None:
    result = CliRunner().invoke(
        cli, ["asset", "materialize", "--select", "*", "-f", str(code_file), "--wait"]
    )
    assert result.exit_code == 2
    assert "--wait follows a launched run" in result.output


def test_materialize_help_mentions_launch_and_wait() -> None:
    result = CliRunner().invoke(cli, ["asset", "materialize", "--help"])
    assert result.exit_code == 0
    assert "--launch" in result.output and "--wait" in result.output


PARTITIONED = textwrap.dedent(
    """
    import headwater as hw

    @hw.asset(partitions_def=hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-08"))
    def days(context) -> dict:
        return {key: len(key) for key in context.partition_keys}

    defs = hw.Definitions(assets=[days])
    """
)


def test_materialize_a_partition_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    code = tmp_path / "parted.py"
    code.write_text(PARTITIONED)
    args = ["asset", "materialize", "--select", "days", "-f", str(code)]
    result = CliRunner().invoke(cli, [*args, "--partition-range", "2024-01-02...2024-01-04"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "home" / "storage" / "days").iterdir()) == [
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
    ]
    bad = CliRunner().invoke(cli, [*args, "--partition-range", "2024-01-02"])
    assert bad.exit_code != 0 and "START...END" in bad.output
    unknown = CliRunner().invoke(cli, [*args, "--partition", "2025-01-01"])
    assert unknown.exit_code != 0 and "2025-01-01" in unknown.output and "'days'" in unknown.output


def test_materialize_skip_unchanged_says_which_steps_were_skipped_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "versioned_defs.py"
    path.write_text(
        textwrap.dedent(
            """
            import headwater as hw

            @hw.asset(code_version="1")
            def numbers() -> list[int]:
                return [1, 2, 3]

            @hw.asset(code_version="1")
            def total(numbers: list[int]) -> int:
                return sum(numbers)

            defs = hw.Definitions(assets=[numbers, total])
            """
        )
    )
    args = ["asset", "materialize", "--select", "*", "-f", str(path)]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(cli, [*args, "--skip-unchanged"])
    assert second.exit_code == 0, second.output
    assert "numbers skipped, unchanged (its code version and input data versions" in second.output
    assert "total skipped, unchanged" in second.output
    assert "materialized" not in second.output
    assert "0 succeeded, 0 failed, 2 skipped" in second.output
