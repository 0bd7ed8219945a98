"""Dagster's API on Headwater: ``headwater.compat.dagster`` (Dagster's public names) and
``headwater.compat.dagster_private`` (the private module paths real projects import).

``install_dagster_aliases()`` makes ``import dagster`` (and ``import dagster._core.errors``...) give these
modules in the current process, as Headwater does in every process that loads user code.
"""


def install_dagster_aliases() -> None:
    """Let ``import dagster`` (and its private modules listed in ``DAGSTER_ALIASES`` of
    ``headwater.locations.server.loader``) give Headwater's modules in this process."""
    from headwater.locations.server.loader import install_dagster_aliases as install

    install()


__all__ = ["install_dagster_aliases"]
