"""``dagster._core.definitions`` (a package only: see ``headwater.compat.dagster_private``)."""
