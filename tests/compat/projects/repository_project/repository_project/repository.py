"""A legacy Dagster project: one @repository returning its definitions."""

from dagster import asset, define_asset_job, job, op, repository


@asset
def raw_numbers():
    return [3, 1, 2]


@asset
def sorted_numbers(raw_numbers):
    return sorted(raw_numbers)


@op
def say_hello(context):
    context.log.info("hello")


@job
def hello_job():
    say_hello()


@repository
def legacy_repo():
    return [raw_numbers, sorted_numbers, hello_job, define_asset_job("numbers_job")]
