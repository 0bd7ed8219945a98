"""Legacy projects: @repository returning a list or a dict of definitions."""

import dagster as dg
from _report import show_error, show_run


@dg.asset
def a():
    return 1


@dg.asset
def b(a):
    return a + 1


@dg.op
def o():
    return 2


@dg.job
def j():
    o()


@dg.repository
def my_repo():
    return [a, b, j, dg.define_asset_job("all_assets")]


@dg.repository(name="dict_repo", description="by name")
def dict_repo():
    return {"jobs": {"j": lambda: j}}


@dg.repository(default_executor_def=dg.in_process_executor, metadata={"team": "x"})
def with_metadata():
    return [j]


def bad_element():
    @dg.repository
    def bad():
        return [1]


def bad_value():
    @dg.repository
    def bad():
        return 5


def bad_key():
    @dg.repository
    def bad():
        return {"jobz": {}}


if __name__ == "__main__":
    print(type(my_repo).__name__, my_repo.name, isinstance(my_repo, dg.RepositoryDefinition))
    print("jobs", sorted(x.name for x in my_repo.get_all_jobs()))
    print("has j", my_repo.has_job("j"), my_repo.get_job("j").name)
    print("assets", sorted(k.to_user_string() for k in my_repo.assets_defs_by_key))
    show_run("asset job", my_repo.get_job("all_assets").execute_in_process())
    print(dict_repo.name, dict_repo.description, sorted(x.name for x in dict_repo.get_all_jobs()))
    print(with_metadata.name, sorted(with_metadata.metadata))
    show_error("list of non-definitions", bad_element)
    show_error("not a list or dict", bad_value)
    show_error("unknown dict key", bad_key)
