"""Dynamic outputs: fan out with DynamicOut / DynamicOutput, map, collect."""

import dagster as dg
from _report import show_run


@dg.op(out=dg.DynamicOut())
def files():
    for name in ["a.csv", "b.csv", "c.csv"]:
        yield dg.DynamicOutput(name, mapping_key=name.replace(".", "_"))


@dg.op
def size(name: str) -> int:
    return len(name) * 10


@dg.op
def label(name: str) -> str:
    return name.upper()


@dg.op
def total(sizes: list[int]) -> int:
    return sum(sizes)


@dg.op
def joined(labels: list[str]) -> str:
    return ",".join(sorted(labels))


@dg.job
def fan_out():
    names = files()
    total(names.map(size).collect())
    joined(names.map(label).collect())


result = fan_out.execute_in_process()
show_run("fan out", result)
print("total =", result.output_for_node("total"))
print("joined =", result.output_for_node("joined"))
print("size per key =", dict(sorted(result.output_for_node("size").items())))


# mapping a nested chain with a lambda, and an empty fan-out
@dg.op(out=dg.DynamicOut(int))
def maybe_none(context: dg.OpExecutionContext):
    for i in range(context.op_config["n"]):
        yield dg.DynamicOutput(i, mapping_key=str(i))


@dg.op
def plus_one(x: int) -> int:
    return x + 1


@dg.op
def square(x: int) -> int:
    return x * x


@dg.op
def summed(values: list[int]) -> int:
    return sum(values)


maybe_none = maybe_none.configured({"n": 3}, name="three")


@dg.job
def chain():
    summed(maybe_none().map(lambda x: square(plus_one(x))).collect())


r2 = chain.execute_in_process()
show_run("chain", r2)
print("summed =", r2.output_for_node("summed"))
