"""Op config through run config: Config classes, legacy config_schema, RunConfig, job defaults, and the
errors Dagster 1.13 reports (InvalidConfigError "Error in config for job ...")."""

from __future__ import annotations

import pytest

import headwater as hw


class MyCfg(hw.Config):
    n: int
    s: str = "x"


@hw.op
def cfg_op(config: MyCfg) -> int:
    return config.n * 2


@hw.op(config_schema={"k": int})
def legacy(context: hw.OpExecutionContext) -> int:
    return context.op_config["k"]  # type: ignore[no-any-return]


@hw.op(config_schema=hw.Field(int, default_value=3))
def legacy_default(context: hw.OpExecutionContext) -> int:
    return context.op_config  # type: ignore[no-any-return]


@hw.op
def inp(x) -> object:  # type: ignore[no-untyped-def]
    return x


@hw.op
def inp2(x: int, y: str) -> int:
    return x


@hw.job
def j() -> None:
    cfg_op()
    legacy()
    legacy_default()


@hw.job
def with_inputs() -> None:
    cfg_op()
    legacy()
    inp()
    inp2()


def test_dict_run_config() -> None:
    result = j.execute_in_process(
        run_config={"ops": {"cfg_op": {"config": {"n": 4}}, "legacy": {"config": {"k": 9}}}}
    )
    assert [result.output_for_node(n) for n in ("cfg_op", "legacy", "legacy_default")] == [8, 9, 3]


def test_run_config_object() -> None:
    result = j.execute_in_process(
        run_config=hw.RunConfig(ops={"cfg_op": MyCfg(n=5), "legacy": {"config": {"k": 1}}})
    )
    assert (result.output_for_node("cfg_op"), result.output_for_node("legacy")) == (10, 1)


def test_missing_ops_entry_reported_once_at_the_root() -> None:
    with pytest.raises(hw.InvalidConfigError) as info:
        with_inputs.execute_in_process()
    assert str(info.value) == (
        "Error in config for job with_inputs\n"
        '    Error 1: Missing required config entry "ops" at the root. You must provide this value in your '
        "run "
        "config. Example config for the missing entry: {'ops': {'cfg_op': {'config': {'n': 0}}, 'inp': "
        "{'inputs': {'x': '<selector>'}}, 'inp2': {'inputs': {'x': 0, 'y': '...'}}, 'legacy': {'config': "
        "{'k': 0}}}}"
    )


def test_missing_op_entries() -> None:
    with pytest.raises(hw.InvalidConfigError) as info:
        with_inputs.execute_in_process(run_config={"ops": {}})
    assert str(info.value) == (
        "Error in config for job with_inputs\n"
        "    Error 1: Missing required config entries ['cfg_op', 'inp', 'inp2', 'legacy'] at path root:ops. "
        "You "
        "must provide these values in your run config. Example config for the missing entries: {'cfg_op': "
        "{'config': {'n': 0}}, 'inp': {'inputs': {'x': '<selector>'}}, 'inp2': {'inputs': {'x': 0, 'y': "
        "'...'}}, 'legacy': {'config': {'k': 0}}}"
    )
    with pytest.raises(hw.InvalidConfigError) as info:
        with_inputs.execute_in_process(
            run_config={
                "ops": {
                    "cfg_op": {},
                    "legacy": {"config": {"k": 1}},
                    "inp": {"inputs": {"x": {"value": 1}}},
                    "inp2": {"inputs": {"x": 1}},
                }
            }
        )
    assert str(info.value) == (
        "Error in config for job with_inputs\n"
        '    Error 1: Missing required config entry "config" at path root:ops:cfg_op. You must provide this '
        "value "
        "in your run config. Example config for the missing entry: {'config': {'n': 0}}\n"
        '    Error 2: Missing required config entry "y" at path root:ops:inp2:inputs. You must provide this '
        "value "
        "in your run config. Example config for the missing entry: {'y': '...'}"
    )


def test_inputs_from_config() -> None:
    result = with_inputs.execute_in_process(
        run_config=hw.RunConfig(
            ops={
                "cfg_op": MyCfg(n=1),
                "legacy": {"config": {"k": 1}},
                "inp": {"inputs": {"x": {"value": 1}}},
                "inp2": {"inputs": {"x": 1, "y": "s"}},
            }
        )
    )
    assert (result.output_for_node("inp"), result.output_for_node("inp2")) == (1, 1)


def test_scalar_input_of_wrong_type() -> None:
    @hw.op
    def ti(x: int) -> int:
        return x + 1

    @hw.job
    def jt() -> None:
        ti()

    with pytest.raises(hw.InvalidConfigError) as info:
        jt.execute_in_process(run_config={"ops": {"ti": {"inputs": {"x": "s"}}}})
    assert str(info.value) == (
        "Error in config for job jt\n"
        '    Error 1: Invalid scalar at path root:ops:ti:inputs:x. Value "s" of type "<class \'str\'>" is '
        "not valid "
        'for expected type "Int".'
    )
    assert jt.execute_in_process(run_config={"ops": {"ti": {"inputs": {"x": 5}}}}).output_for_node("ti") == 6


def test_wrong_config_value_type() -> None:
    with pytest.raises(hw.InvalidConfigError) as info:
        j.execute_in_process(
            run_config={"ops": {"cfg_op": {"config": {"n": "x"}}, "legacy": {"config": {"k": 9}}}}
        )
    assert str(info.value) == (
        "Error in config for job j\n"
        '    Error 1: Invalid scalar at path root:ops:cfg_op:config:n. Value "x" of type "<class \'str\'>" '
        "is not "
        'valid for expected type "Int".'
    )


def test_unknown_op_name() -> None:
    with pytest.raises(hw.InvalidConfigError) as info:
        j.execute_in_process(
            run_config={"ops": {"cfg_op": {"config": {"n": 4}}, "legacy": {"config": {"k": 9}}, "nope": {}}}
        )
    assert str(info.value).startswith(
        'Error in config for job j\n    Error 1: Received unexpected config entry "nope" at path root:ops.'
    )


def test_job_config_defaults_and_override() -> None:
    @hw.job(config={"ops": {"cfg_op": {"config": {"n": 7}}, "legacy": {"config": {"k": 2}}}})
    def j2() -> None:
        cfg_op()
        legacy()

    assert j2.execute_in_process().output_for_node("cfg_op") == 14
    override = {"ops": {"cfg_op": {"config": {"n": 1}}, "legacy": {"config": {"k": 2}}}}
    assert j2.execute_in_process(run_config=override).output_for_node("cfg_op") == 2

    @hw.job(config=hw.RunConfig(ops={"cfg_op": MyCfg(n=8)}))
    def j3() -> None:
        cfg_op()

    assert j3.execute_in_process().output_for_node("cfg_op") == 16


def test_config_of_ops_inside_graphs() -> None:
    @hw.graph
    def g() -> int:
        return cfg_op()

    @hw.job
    def j4() -> None:
        g()

    result = j4.execute_in_process(run_config={"ops": {"g": {"ops": {"cfg_op": {"config": {"n": 2}}}}}})
    assert result.output_for_node("g") == 4
    with pytest.raises(hw.InvalidConfigError) as info:
        j4.execute_in_process()
    assert str(info.value) == (
        "Error in config for job j4\n"
        '    Error 1: Missing required config entry "ops" at the root. You must provide this value in your '
        "run "
        "config. Example config for the missing entry: "
        "{'ops': {'g': {'ops': {'cfg_op': {'config': {'n': 0}}}}}}"
    )
    with pytest.raises(
        hw.InvalidConfigError, match=r'Received unexpected config entry "cfg_op" at path root:ops\.'
    ):
        j4.execute_in_process(run_config={"ops": {"cfg_op": {"config": {"n": 2}}}})


def test_unselected_ops_need_no_config() -> None:
    result = j.execute_in_process(op_selection=["legacy_default"])
    assert result.output_for_node("legacy_default") == 3
