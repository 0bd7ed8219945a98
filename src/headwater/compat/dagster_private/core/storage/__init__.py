"""``dagster._core.storage`` (a package only: see ``headwater.compat.dagster_private``)."""
