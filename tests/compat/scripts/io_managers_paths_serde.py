"""UPathIOManager subclasses and custom_path_fs_io_manager; code references of assets; serialize_value."""

import json
import os
import tempfile
from pathlib import Path

import dagster as dg
from _report import show_error, show_run
from upath import UPath

BASE = tempfile.mkdtemp()


class JsonIOManager(dg.UPathIOManager):
    extension = ".json"

    def dump_to_path(self, context, obj, path):
        path.write_text(json.dumps(obj))

    def load_from_path(self, context, path):
        return json.loads(path.read_text())


@dg.io_manager(config_schema={"base_path": str})
def json_io(init_context):
    return JsonIOManager(base_path=UPath(init_context.resource_config["base_path"]))


@dg.asset
def up():
    return [1, 2]


@dg.asset
def down(up):
    return [*up, 3]


@dg.asset(key_prefix=["pre"])
def prefixed():
    return {"k": 1}


@dg.op
def produce_op():
    return 5


@dg.op
def consume_op(x):
    return x


@dg.job(resource_defs={"io_manager": json_io.configured({"base_path": BASE})})
def op_job():
    consume_op(produce_op())


@dg.asset(metadata={"path": "sub/produced.pkl"})
def produced():
    return {"a": 1}


@dg.asset(metadata={"path": "sub/consumed.pkl"})
def consumed(produced):
    return produced["a"] + 1


def files(run_id=None):
    out = []
    for root, _dirs, names in os.walk(BASE):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), BASE)
            out.append(rel.replace(run_id, "RUN") if run_id else rel)
    return sorted(out)


if __name__ == "__main__":
    result = dg.materialize(
        [up, down, prefixed], resources={"io_manager": json_io.configured({"base_path": BASE})}
    )
    show_run("upath assets", result)
    print("value", result.output_for_node("down"), files())
    mat = next(
        e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("up")
    ).materialization
    print(
        "path metadata",
        type(mat.metadata["path"]).__name__,
        mat.metadata["path"].value == os.path.join(BASE, "up.json"),
    )
    done = op_job.execute_in_process()
    print(
        "op outputs",
        done.output_for_node("consume_op"),
        [f for f in files(done.run_id) if f.startswith("RUN")],
    )

    custom = dg.custom_path_fs_io_manager.configured({"base_dir": BASE})
    result = dg.materialize([produced, consumed], resources={"io_manager": custom})
    show_run("custom path", result)
    print(
        "custom value",
        result.output_for_node("consumed"),
        os.path.exists(os.path.join(BASE, "sub/produced.pkl")),
    )
    print(
        "materialized",
        sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()),
    )

    referenced = dg.with_source_code_references([up, dg.SourceAsset("src")])
    refs = referenced[0].specs_by_key[dg.AssetKey("up")].metadata["dagster/code_references"].code_references
    print("local reference", type(refs[0]).__name__, os.path.basename(refs[0].file_path), refs[0].line_number)
    print("source asset unchanged", referenced[1] is not None and not hasattr(referenced[1], "specs_by_key"))
    linked = dg.link_code_references_to_git(
        referenced,
        git_url="https://github.com/acme/repo",
        git_branch="main",
        file_path_mapping=dg.AnchorBasedFilePathMapping(
            local_file_anchor=Path(__file__), file_anchor_path_in_repository="pkg/io_managers_paths_serde.py"
        ),
    )
    url = linked[0].specs_by_key[dg.AssetKey("up")].metadata["dagster/code_references"].code_references[0]
    print("git reference", type(url).__name__, url.url)
    show_error(
        "no platform",
        lambda: dg.link_code_references_to_git(
            referenced, "https://example.com/x", "main", dg.AnchorBasedFilePathMapping(Path(__file__), "a.py")
        ),
    )

    for value in (
        {"a": [1, 2]},
        dg.AssetKey(["a", "b"]),
        dg.AssetMaterialization("x", metadata={"n": 1}),
        None,
        1.5,
    ):
        text = dg.serialize_value(value)
        print("round trip", type(value).__name__, dg.deserialize_value(text) == value, isinstance(text, str))
    print("as type", dg.deserialize_value(dg.serialize_value(dg.AssetKey("k")), dg.AssetKey))
    # Dagster's serdes errors are not DagsterErrors; Headwater's are (HeadwaterError): print the class name
    for label, fn in [
        ("unserializable", lambda: dg.serialize_value(object())),
        (
            "wrong type",
            lambda: dg.deserialize_value(dg.serialize_value(dg.AssetKey("k")), dg.AssetMaterialization),
        ),
    ]:
        try:
            fn()
        except Exception as exc:
            print(label, "raised", type(exc).__name__)
