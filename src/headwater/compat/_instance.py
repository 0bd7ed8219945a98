"""``DagsterInstance``: ``Instance`` as Dagster users name it, finding its home the way Dagster does.

``DagsterInstance.get()`` reads ``$HEADWATER_HOME`` and, when that is unset, ``$DAGSTER_HOME`` (then
``./.headwater``). In either home the configuration file is ``headwater.yaml`` (a ``dagster.yaml`` there
is not read: its other sections mean nothing to Headwater).

Every ``Instance`` counts as a ``DagsterInstance`` for ``isinstance``/``issubclass``, so an instance the
engine made (``context.instance``, ``result.instance``) passes Dagster-style checks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.instance import Instance
from headwater.instance.config import CONFIG_FILE, HOME_ENV, read_config_file

DAGSTER_HOME_ENV = "DAGSTER_HOME"


class _InstanceView(type):
    """Metaclass: ``isinstance(x, DagsterInstance)`` is ``isinstance(x, Instance)``."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, Instance)


def dagster_home_instance(**kwargs: Any) -> Instance:
    """The instance of ``$HEADWATER_HOME``, else of ``$DAGSTER_HOME``, else of ``./.headwater``.

    Keyword arguments are ``Instance.get``'s (passed on to ``Instance.from_config``)."""
    if os.environ.get(HOME_ENV) or not os.environ.get(DAGSTER_HOME_ENV):
        return Instance.get(**kwargs)
    home = Path(os.environ[DAGSTER_HOME_ENV]).expanduser().resolve()
    path = home / CONFIG_FILE
    config = read_config_file(path) if path.is_file() else {}
    return Instance.from_config(config, home, config_path=path, **kwargs)


if TYPE_CHECKING:
    # For type checkers DagsterInstance *is* Instance, as isinstance() says at run time: a parameter
    # annotated ``dg.DagsterInstance`` accepts ``context.instance``, and ``DagsterInstance.ephemeral()``
    # is a ``DagsterInstance``.
    DagsterInstance = Instance
else:

    class DagsterInstance(Instance, metaclass=_InstanceView):
        """Dagster's name for :class:`headwater.Instance`; ``get()`` also honours ``$DAGSTER_HOME``."""

        get = staticmethod(dagster_home_instance)
