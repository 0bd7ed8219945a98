"""``dagster._core`` (a package only: see ``headwater.compat.dagster_private``)."""
