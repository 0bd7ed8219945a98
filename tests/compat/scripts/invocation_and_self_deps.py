"""Calling assets and ops directly with resources (by keyword, by position, on the context), and the
error for an asset that depends on itself."""

import dagster as dg
from _report import show_error


class Db(dg.ConfigurableResource):
    url: str = "default"

    def get(self) -> str:
        return self.url


@dg.asset
def uses_db(db: Db) -> str:
    return db.get()


@dg.asset
def uses_db_and_context(context: dg.AssetExecutionContext, db: Db) -> str:
    # resources passed as arguments are the context's resources too
    return f"{db.get()} / {context.resources.db.get()}"


@dg.asset
def upstream_and_db(upstream: int, db: Db) -> str:
    return f"{upstream}-{db.get()}"


@dg.op
def op_db(db: Db) -> str:
    return db.get()


@dg.op(required_resource_keys={"r"})
def op_required(context) -> str:
    return context.resources.r


print("asset, keyword:", uses_db(db=Db(url="kw")))
print("asset with context, keyword:", uses_db_and_context(dg.build_asset_context(), db=Db(url="kw")))
print(
    "asset, context resources:", uses_db_and_context(dg.build_asset_context(resources={"db": Db(url="ctx")}))
)
print(
    "asset without context param, context resources:", uses_db(dg.build_asset_context(resources={"db": Db()}))
)
print("op, keyword:", op_db(db=Db(url="kw")))
print("op, positional:", op_db(Db(url="pos")))
print("input then resource:", upstream_and_db(1, Db(url="pos")), upstream_and_db(2, db=Db(url="kw")))
print("op, required key on context:", op_required(dg.build_op_context(resources={"r": "value"})))
show_error(
    "resources on the context and as arguments",
    lambda: uses_db_and_context(dg.build_asset_context(resources={"db": Db()}), db=Db()),
)
show_error("required resource key given as keyword", lambda: op_required(dg.build_op_context(), r="value"))


def self_dep_by_deps():
    @dg.asset(deps=["me"])
    def me():
        return 1


def self_dep_by_param():
    @dg.asset
    def me2(me2):
        return me2


def self_dep_by_asset_in():
    @dg.asset(ins={"x": dg.AssetIn("me3")})
    def me3(x):
        return x


def self_dep_spec():
    dg.Definitions.validate_loadable(dg.Definitions(assets=[dg.AssetSpec("spec", deps=["spec"])]))


for label, fn in [
    ("deps=", self_dep_by_deps),
    ("parameter", self_dep_by_param),
    ("AssetIn", self_dep_by_asset_in),
    ("AssetSpec", self_dep_spec),
]:
    try:
        fn()
    except dg.DagsterInvalidDefinitionError as exc:
        print(f"self dependency ({label}):", str(exc).replace("\n", " | "))
