"""workspace.yaml: the code locations of a deployment, one entry each.

    load_from:                            # or the list itself at the top level
      - python_module: pkg.defs           # started as a code server (a subprocess)
      - python_file: jobs/etl.py          # relative to the workspace file's directory
        location_name: etl
        executable_path: /opt/etl/.venv/bin/python   # that environment's Python (it needs headwater)
      - python_module:                    # Dagster's long form works too
          module_name: pkg.other
          attribute: defs
          working_directory: src
      - server: {host: 127.0.0.1, port: 4266, location_name: shared}   # already running (`grpc_server:` too)
      - server: {socket: /run/headwater/etl.sock}

Per entry: ``location_name``, ``attribute``, ``working_directory``, ``executable_path`` may sit beside
the kind key or inside its mapping.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from headwater.errors import InvalidDefinitionError
from headwater.locations.client.address import LocationAddress
from headwater.locations.client.errors import LocationAddressError

_KINDS = ("python_module", "python_file", "server", "grpc_server")
_OPTIONS = ("location_name", "attribute", "working_directory", "executable_path")
_INNER = {
    "python_module": ("module_name", *_OPTIONS),
    "python_file": ("relative_path", *_OPTIONS),
    "server": ("host", "port", "socket", "location_name"),
    "grpc_server": ("host", "port", "socket", "location_name"),
}


class WorkspaceFileError(InvalidDefinitionError):
    """workspace.yaml is malformed; the message names the entry and the fix."""


@dataclass(frozen=True, slots=True)
class LocationEntry:
    """One code location: code to start a server for (module or file), or a running server's address."""

    name: str
    module_name: str | None = None
    python_file: str | None = None
    attribute: str | None = None
    working_directory: str | None = None
    executable_path: str | None = None
    address: LocationAddress | None = None

    @property
    def is_managed(self) -> bool:
        """True when the workspace starts (and stops) this location's server."""
        return self.address is None


def read_workspace_file(path: str | Path) -> list[LocationEntry]:
    import yaml

    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WorkspaceFileError(f"Cannot read workspace file {file}: {exc}") from exc
    return parse_workspace(data, base_dir=file.resolve().parent, source=str(file))


def parse_workspace(data: Any, *, base_dir: Path, source: str = "workspace") -> list[LocationEntry]:
    if isinstance(data, Mapping):
        extra = set(data) - {"load_from"}
        if extra:
            raise WorkspaceFileError(
                f"{source}: unknown top-level keys {sorted(extra)}; expected `load_from:`."
            )
        data = data.get("load_from")
    if not isinstance(data, list) or not data:
        raise WorkspaceFileError(f"{source}: list the code locations under `load_from:` (a non-empty list).")
    entries = [_entry(item, i, base_dir, source) for i, item in enumerate(data)]
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            raise WorkspaceFileError(
                f"{source}: two code locations are named {entry.name!r}; give one a `location_name:`."
            )
        seen.add(entry.name)
    return entries


def _entry(item: Any, index: int, base_dir: Path, source: str) -> LocationEntry:
    where = f"{source}, entry {index + 1}"
    if not isinstance(item, Mapping):
        raise WorkspaceFileError(
            f"{where}: expected a mapping such as `- python_module: pkg.defs`; got {item!r}."
        )
    kinds = [k for k in item if k in _KINDS]
    if len(kinds) != 1:
        unknown = [k for k in item if k not in _KINDS and k not in _OPTIONS]
        hint = _did_you_mean(unknown[0], _KINDS) if unknown else ""
        raise WorkspaceFileError(f"{where}: say one of {', '.join(_KINDS)} (found {sorted(item)}).{hint}")
    kind = kinds[0]
    options: dict[str, Any] = {}
    for key, value in item.items():
        if key == kind:
            continue
        if key not in _OPTIONS:
            raise WorkspaceFileError(f"{where}: unknown key {key!r}.{_did_you_mean(key, _OPTIONS)}")
        options[key] = value
    raw = item[kind]
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            if key not in _INNER[kind]:
                raise WorkspaceFileError(
                    f"{where}: unknown key {key!r} under {kind}.{_did_you_mean(key, _INNER[kind])}"
                )
            options[key] = value
    elif kind in ("python_module", "python_file") and isinstance(raw, str):
        options["module_name" if kind == "python_module" else "relative_path"] = raw
    else:
        raise WorkspaceFileError(
            f"{where}: {kind} needs a {'mapping' if 'server' in kind else 'name or mapping'}."
        )
    for key, value in options.items():
        if key != "port" and not isinstance(value, str):
            raise WorkspaceFileError(f"{where}: {key} must be a string; got {value!r}.")
    name = options.get("location_name")
    if kind in ("server", "grpc_server"):
        return _server_entry(options, name, where, base_dir)
    wd = options.get("working_directory")
    working_directory = str((base_dir / wd).resolve()) if wd else str(base_dir)
    executable = options.get("executable_path")
    if executable and ("/" in executable or "\\" in executable):
        executable = str((base_dir / executable).absolute())
    if kind == "python_module":
        module = options.get("module_name")
        if not module:
            raise WorkspaceFileError(f"{where}: python_module needs a module name.")
        return LocationEntry(
            name or module,
            module_name=module,
            attribute=options.get("attribute"),
            working_directory=working_directory,
            executable_path=executable,
        )
    rel = options.get("relative_path")
    if not rel:
        raise WorkspaceFileError(f"{where}: python_file needs a path (relative_path).")
    path = (base_dir / rel).resolve()
    return LocationEntry(
        name or path.stem,
        python_file=str(path),
        attribute=options.get("attribute"),
        working_directory=working_directory,
        executable_path=executable,
    )


def _server_entry(options: dict[str, Any], name: str | None, where: str, base_dir: Path) -> LocationEntry:
    try:
        if options.get("socket"):
            address = LocationAddress.unix(str((base_dir / options["socket"]).resolve()))
        else:
            port = options.get("port")
            if not isinstance(port, int):
                raise WorkspaceFileError(f"{where}: server needs `port:` (an integer) or `socket:` (a path).")
            address = LocationAddress.tcp(options.get("host") or "127.0.0.1", port)
    except LocationAddressError as exc:
        raise WorkspaceFileError(f"{where}: {exc}") from None
    return LocationEntry(name or str(address), address=address)


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""
