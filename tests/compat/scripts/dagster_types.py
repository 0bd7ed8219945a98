# ruff: noqa: UP006, UP035, UP045  (typing.List/Optional on purpose: Dagster resolves them)
"""Dagster types: TypeCheck with metadata, PythonObjectDagsterType, usable_as_dagster_type, typing
annotations, check_dagster_type, dagster_type_loader, and failing checks on inputs and outputs."""

from typing import List, Optional

import dagster as dg
from _report import error_names, show_error, show_run


def _even(_context, value):
    if not isinstance(value, int):
        return dg.TypeCheck(success=False, description=f"not an int: {value!r}")
    return dg.TypeCheck(
        success=value % 2 == 0,
        description=None if value % 2 == 0 else f"{value} is odd",
        metadata={"value": value, "parity": "even" if value % 2 == 0 else "odd"},
    )


EvenInt = dg.DagsterType(name="EvenInt", type_check_fn=_even, description="an even int")


@dg.usable_as_dagster_type
class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


MoneyType = dg.PythonObjectDagsterType(Money, name="MoneyType")
dg.make_python_type_usable_as_dagster_type(Money, MoneyType)


def show_type_check(label, dagster_type, value):
    try:
        tc = dg.check_dagster_type(dagster_type, value)
    except Exception as exc:
        print(f"{label}: raised {error_names(exc)}")
        return
    meta = {k: v.value for k, v in sorted(tc.metadata.items())}
    print(f"{label}: success={tc.success} description={tc.description!r} metadata={meta}")


show_type_check("Int 1", int, 1)
show_type_check("Int 'a'", int, "a")
show_type_check("EvenInt 4", EvenInt, 4)
show_type_check("EvenInt 3", EvenInt, 3)
show_type_check("Optional[int] None", Optional[int], None)
show_type_check("dg.Optional[int] None", dg.Optional[int], None)
show_type_check("dg.List[int] [1, 2]", dg.List[int], [1, 2])
show_type_check("dg.List[int] [1, 'a']", dg.List[int], [1, "a"])
show_type_check("dg.Dict[str, int]", dg.Dict[str, int], {"a": 1})
show_type_check("dg.Dict 3", dg.Dict[str, int], 3)
show_type_check("dg.Dict bad value", dg.Dict[str, int], {"a": "b"})
show_type_check("Point", Point, Point(1, 2))
show_type_check("Point 3", Point, 3)
show_type_check("Money", Money, Money(3))
show_type_check("MoneyType 3", MoneyType, 3)
show_type_check("Any", dg.Any, 3)
show_type_check("Nothing None", dg.Nothing, None)
print("names:", EvenInt.display_name, MoneyType.display_name, dg.PythonObjectDagsterType(Point).display_name)
print("typing names:", [dg.DagsterType.__name__])


@dg.op(out=dg.Out(EvenInt))
def make_even() -> int:
    return 4


@dg.op(out=dg.Out(EvenInt))
def make_odd() -> int:
    return 3


@dg.op(ins={"n": dg.In(EvenInt)})
def use_even(n):
    return n


@dg.op
def make_three() -> int:
    return 3


@dg.op
def point_op() -> Point:
    return Point(1, 2)


@dg.op
def takes_point(p: Point) -> int:
    return p.x


@dg.op
def not_a_point() -> int:
    return 7


@dg.op
def wants_point(p: Point) -> int:
    return 1


@dg.op
def maybe(x: Optional[int]) -> List[int]:
    return [x or 0]


@dg.op
def nothing_op() -> Optional[int]:
    return None


@dg.job
def ok_job():
    use_even(make_even())
    takes_point(point_op())
    maybe(nothing_op())


@dg.job
def bad_output_job():
    use_even(make_odd())


@dg.job
def bad_input_job():
    use_even(make_three())


@dg.job
def bad_class_job():
    wants_point(not_a_point())


def show_type_events(result):
    # sorted by step: the order of independent steps is not part of the API
    lines = {}
    for event in result.all_events:
        out = lines.setdefault(event.step_key, [])
        if event.event_type_value in ("STEP_OUTPUT", "STEP_INPUT"):
            tcd = event.event_specific_data.type_check_data
            meta = {k: v.value for k, v in sorted(tcd.metadata.items())}
            out.append(
                f"  {event.step_key} {event.event_type_value} {tcd.label} success={tcd.success}"
                f" description={tcd.description!r} metadata={meta}"
            )
            out.append(f"    message: {event.message}")
        if event.event_type_value == "STEP_FAILURE":
            err = event.event_specific_data.error
            out.append(f"  {event.step_key} failure: {err.cls_name}: {err.message.strip().splitlines()[0]}")
    for key in sorted(k for k in lines if k):
        for line in lines[key]:
            print(line)


for job in (ok_job, bad_output_job, bad_input_job, bad_class_job):
    result = job.execute_in_process(raise_on_error=False)
    show_run(job.name, result)
    show_type_events(result)


def raise_bad_output():
    bad_output_job.execute_in_process()


show_error("bad output raises", raise_bad_output)
for label, job in (("bad input", bad_input_job), ("bad output", bad_output_job)):
    try:
        job.execute_in_process()
    except dg.DagsterTypeCheckDidNotPass as exc:
        meta = {k: v.value for k, v in sorted(exc.metadata.items())}
        print(f"{label} error:", exc.description, meta, exc.dagster_type.display_name)


# assets with annotations as types
@dg.asset
def numbers() -> List[int]:
    return [1, 2, 3]


@dg.asset(dagster_type=EvenInt)
def odd_asset() -> int:
    return 5


result = dg.materialize([numbers], raise_on_error=False)
show_run("numbers", result)
show_type_events(result)
result = dg.materialize([odd_asset], raise_on_error=False)
show_run("odd_asset", result)
show_type_events(result)


# a loader: an unconnected input typed with a loader reads its value from run config
@dg.dagster_type_loader(config_schema=int)
def cents_loader(_context, config):
    return Money(config)


LoadedMoney = dg.PythonObjectDagsterType(Money, name="LoadedMoney", loader=cents_loader)


@dg.op(ins={"m": dg.In(LoadedMoney)})
def spend(m) -> int:
    return m.cents


@dg.job
def loader_job():
    spend()


result = loader_job.execute_in_process(run_config={"ops": {"spend": {"inputs": {"m": 250}}}})
show_run("loader", result)
print("spend =", result.output_for_node("spend"))
print("loader is DagsterTypeLoader:", isinstance(cents_loader, dg.DagsterTypeLoader))


def bad_type_fn():
    dg.DagsterType(type_check_fn=lambda x: True, name="Bad")


show_error("type check fn with one argument", bad_type_fn)
