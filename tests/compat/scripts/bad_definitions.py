"""Bad definitions raise DagsterInvalidDefinitionError (or the class Dagster uses) at definition time."""

import dagster as dg
from _report import show_error


def duplicate_asset_keys():
    @dg.asset(name="same")
    def first() -> int:
        return 1

    @dg.asset(name="same")
    def second() -> int:
        return 2

    return dg.Definitions(assets=[first, second]).resolve_all_job_defs()


def op_input_not_in_graph():
    @dg.op
    def needs(x: int) -> int:
        return x

    @dg.job
    def job_():
        needs(5)

    return job_


def graph_cycle():
    @dg.op
    def a(x):
        return x

    return dg.GraphDefinition(
        name="cyclic",
        node_defs=[a],
        dependencies={
            dg.NodeInvocation("a", alias="one"): {"x": dg.DependencyDefinition("two")},
            dg.NodeInvocation("a", alias="two"): {"x": dg.DependencyDefinition("one")},
        },
    )


def bad_asset_name():
    @dg.asset(name="has space")
    def x() -> int:
        return 1

    return x


def missing_resource():
    class Db(dg.ConfigurableResource):
        url: str

    @dg.asset
    def table(db: Db) -> int:
        return 1

    return dg.Definitions(assets=[table]).resolve_all_job_defs()


def unknown_selection():
    @dg.asset
    def present() -> int:
        return 1

    job = dg.define_asset_job("j", selection="key:absent")
    return dg.Definitions(assets=[present], jobs=[job]).get_job_def("j")


def bad_dependency_name():
    @dg.op
    def one() -> int:
        return 1

    return dg.GraphDefinition(
        name="g", node_defs=[one], dependencies={"one": {"nope": dg.DependencyDefinition("one")}}
    )


def multi_asset_without_outs():
    @dg.multi_asset(outs={})
    def nothing():
        return None

    return nothing


def asset_check_on_unknown_param():
    @dg.asset
    def thing() -> int:
        return 1

    @dg.asset_check(asset=thing)
    def check(not_the_asset: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    return check


def missing_resource_in_job():
    @dg.op(required_resource_keys={"missing"})
    def op_() -> None:
        return None

    @dg.job
    def j():
        op_()

    return j.execute_in_process()


def asset_input_with_no_upstream():
    @dg.asset
    def lonely(ghost: int) -> int:
        return ghost

    return dg.materialize([lonely])


def op_called_outside_graph_with_wrong_args():
    @dg.op
    def add(a: int, b: int) -> int:
        return a + b

    return add(1)


for fn in [
    duplicate_asset_keys,
    op_input_not_in_graph,
    graph_cycle,
    bad_asset_name,
    missing_resource,
    unknown_selection,
    bad_dependency_name,
    asset_check_on_unknown_param,
    missing_resource_in_job,
    asset_input_with_no_upstream,
    op_called_outside_graph_with_wrong_args,
]:
    show_error(fn.__name__, fn)
