"""The launchpad's run config scaffold: defaults filled in, required fields as empty placeholders that
fail the config check until filled, optional fields without default left out, nested graphs, and the
job's own default config on top."""

from __future__ import annotations

import pytest
import yaml

import headwater as hw
from headwater.errors import InvalidConfigError
from headwater.execution.run_config_scaffold import (
    defaults_only,
    has_required,
    run_config_scaffold,
    scaffold_yaml,
)


class Settings(hw.Config):
    rows: int = 3
    table: str
    dry_run: bool = False


@hw.op
def load(config: Settings) -> int:
    return config.rows


@hw.op(
    config_schema={
        "url": str,
        "retries": hw.Field(int, default_value=2),
        "proxy": hw.Field(str, is_required=False),
        "auth": {"user": str, "token": hw.Field(str, default_value="none")},
    }
)
def fetch() -> None:
    pass


@hw.op
def plain() -> None:
    pass


@hw.graph
def inner() -> None:
    fetch()


@hw.job
def pipeline() -> None:
    load()
    inner()
    plain()


def test_scaffold_has_defaults_and_required_placeholders() -> None:
    text = scaffold_yaml(run_config_scaffold(pipeline))
    assert text == (
        "ops:\n"
        "  load:\n"
        "    config:\n"
        "      rows: 3\n"
        "      table:  # required (String)\n"
        "      dry_run: false\n"
        "  inner:\n"
        "    ops:\n"
        "      fetch:\n"
        "        config:\n"
        "          url:  # required (String)\n"
        "          retries: 2\n"
        "          auth:\n"
        "            user:  # required (String)\n"
        "            token: none\n"
    )
    assert has_required(run_config_scaffold(pipeline))


def test_placeholders_fail_the_config_check_until_filled_in() -> None:
    config = yaml.safe_load(scaffold_yaml(run_config_scaffold(pipeline)))
    with pytest.raises(InvalidConfigError, match="table"):
        pipeline.execute_in_process(run_config=config)
    config["ops"]["load"]["config"]["table"] = "sales"
    config["ops"]["inner"]["ops"]["fetch"]["config"].update(url="http://x")
    config["ops"]["inner"]["ops"]["fetch"]["config"]["auth"]["user"] = "me"
    assert pipeline.execute_in_process(run_config=config).success


def test_defaults_only_and_the_jobs_own_config() -> None:
    assert defaults_only(run_config_scaffold(pipeline)) == {
        "ops": {
            "load": {"config": {"rows": 3, "dry_run": False}},
            "inner": {"ops": {"fetch": {"config": {"retries": 2, "auth": {"token": "none"}}}}},
        }
    }

    @hw.job(config={"ops": {"load": {"config": {"table": "sales", "rows": 10}}}})
    def configured() -> None:
        load()

    scaffold = run_config_scaffold(configured)
    assert scaffold == {"ops": {"load": {"config": {"rows": 10, "table": "sales", "dry_run": False}}}}
    assert not has_required(scaffold)

    @hw.job
    def bare() -> None:
        plain()

    assert scaffold_yaml(run_config_scaffold(bare)) == ""  # nothing to configure
