"""Resources: ConfigurableResource, nested resources, @resource with config, EnvVar, ResourceParam."""

import os

import dagster as dg
from _report import show_run

os.environ["COMPAT_TEST_TOKEN"] = "s3cret"


class Credentials(dg.ConfigurableResource):
    token: str


class Api(dg.ConfigurableResource):
    base_url: str
    credentials: Credentials

    def fetch(self, path: str) -> str:
        return f"{self.base_url}/{path}?auth={len(self.credentials.token)}"


@dg.resource(config_schema={"prefix": str})
def namer(context: dg.InitResourceContext) -> str:
    return context.resource_config["prefix"]


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def bump(self) -> int:
        self.calls += 1
        return self.calls


counter = Counter()


@dg.asset
def page(api: Api) -> str:
    return api.fetch("users")


@dg.asset(required_resource_keys={"namer"})
def labelled(context: dg.AssetExecutionContext, page: str) -> str:
    return context.resources.namer + page


@dg.asset
def counted(labelled: str, counter: dg.ResourceParam[Counter]) -> int:
    return counter.bump()


resources = {
    "api": Api(base_url="https://example.com", credentials=Credentials(token=dg.EnvVar("COMPAT_TEST_TOKEN"))),
    "namer": namer.configured({"prefix": "v1:"}),
    "counter": counter,
}
result = dg.materialize([page, labelled, counted], resources=resources)
show_run("materialize with resources", result)
print("page =", result.output_for_node("page"))
print("labelled =", result.output_for_node("labelled"))
print("counted =", result.output_for_node("counted"), "calls =", counter.calls)


# ops with resources, and a resource configured through run config
@dg.op
def use_api(api: Api) -> str:
    return api.fetch("ops")


@dg.op(required_resource_keys={"namer"})
def use_namer(context: dg.OpExecutionContext, text: str) -> str:
    return context.resources.namer + text


@dg.job(
    resource_defs={"api": Api(base_url="http://local", credentials=Credentials(token="abc")), "namer": namer}
)
def resource_job():
    use_namer(use_api())


r2 = resource_job.execute_in_process(run_config={"resources": {"namer": {"config": {"prefix": "rc:"}}}})
show_run("job", r2)
print("use_namer =", r2.output_for_node("use_namer"))

# a resource used directly, outside a run
with dg.build_resources({"api": Api(base_url="b", credentials=Credentials(token="t"))}) as built:
    print("direct:", built.api.fetch("x"))
