"""Custom IO managers: ConfigurableIOManager, @io_manager, per-asset io_manager_key, contexts."""

import dagster as dg
from _report import show_run

STORE: dict[str, object] = {}
LOG: list[str] = []


class DictIOManager(dg.ConfigurableIOManager):
    prefix: str

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        key = self.prefix + "/".join(context.asset_key.path)
        LOG.append(f"write {key}")
        STORE[key] = obj

    def load_input(self, context: dg.InputContext) -> object:
        key = self.prefix + "/".join(context.asset_key.path)
        LOG.append(f"read {key}")
        return STORE[key]


class Recorder(dg.IOManager):
    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.values: dict[str, object] = {}

    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        LOG.append(f"{self.tag} out {context.step_key}.{context.name}")
        self.values[f"{context.step_key}.{context.name}"] = obj

    def load_input(self, context: dg.InputContext) -> object:
        up = context.upstream_output
        LOG.append(f"{self.tag} in {context.name} from {up.step_key}.{up.name}")
        return self.values[f"{up.step_key}.{up.name}"]


@dg.io_manager(config_schema={"tag": str})
def recorder(init_context: dg.InitResourceContext) -> Recorder:
    return Recorder(init_context.resource_config["tag"])


@dg.asset(key_prefix=["lake"])
def source() -> list[int]:
    return [1, 2, 3]


@dg.asset(io_manager_key="other", ins={"source": dg.AssetIn(key_prefix="lake")})
def summary(source: list[int]) -> int:
    return sum(source)


@dg.asset
def final(summary: int) -> str:
    return f"total={summary}"


result = dg.materialize(
    [source, summary, final],
    resources={"io_manager": DictIOManager(prefix="mem://"), "other": DictIOManager(prefix="other://")},
)
show_run("assets", result)
print("final =", result.output_for_node("final"))
print("log:", LOG)
print("store keys:", sorted(STORE))
LOG.clear()


@dg.op
def make() -> int:
    return 7


@dg.op(out={"doubled": dg.Out(), "tripled": dg.Out()})
def fan(x: int):
    return x * 2, x * 3


@dg.op
def add(a: int, b: int) -> int:
    return a + b


@dg.job(resource_defs={"io_manager": recorder})
def op_job():
    d, t = fan(make())
    add(d, t)


r2 = op_job.execute_in_process(run_config={"resources": {"io_manager": {"config": {"tag": "rec"}}}})
show_run("ops", r2)
print("add =", r2.output_for_node("add"))
print("log:", LOG)

# mem_io_manager and materialize_to_memory
r3 = dg.materialize_to_memory([dg.AssetSpec("external"), source, summary])
print("to_memory summary =", r3.output_for_node("summary"), "success =", r3.success)
