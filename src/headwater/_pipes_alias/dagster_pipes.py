"""``import dagster_pipes`` in a process started through Pipes: Headwater's standalone ``headwater.pipes``.

``PipesSubprocessClient`` puts this folder on the child's ``PYTHONPATH``; the code below loads the
``headwater/pipes`` package (standard library only) from the folder beside this one by its path, under
the name ``dagster_pipes``, so the child needs neither Headwater installed nor any of its dependencies.
"""

import importlib.util as _util
import os as _os
import sys as _sys

_folder = _os.path.join(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))), "pipes")
_spec = _util.spec_from_file_location(
    __name__, _os.path.join(_folder, "__init__.py"), submodule_search_locations=[_folder]
)
if _spec is None or _spec.loader is None:  # pragma: no cover - the package ships beside this file
    raise ImportError(f"dagster_pipes: cannot load {_folder}")
_module = _util.module_from_spec(_spec)
_sys.modules[__name__] = _module
_spec.loader.exec_module(_module)
