"""``dagster._utils`` (a package only: see ``headwater.compat.dagster_private``)."""
