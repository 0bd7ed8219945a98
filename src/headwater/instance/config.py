"""``headwater.yaml``: where an instance keeps its data.

```yaml
storage:
  sqlite:                    # the default: $HEADWATER_HOME/headwater.db
    base_dir: data           # relative to $HEADWATER_HOME; the file is base_dir/headwater.db
# or
storage:
  postgres:
    postgres_url: {env: HEADWATER_PG_URL}
    # or postgres_db: {hostname, port: 5432, username, password: {env: PGPASSWORD}, db_name, params: {}}
# or
storage:
  mysql:
    mysql_url: mysql://root@localhost/headwater
    # or mysql_db: {hostname, port: 3306, username, password, db_name, params: {}}

storage_retry:               # optional: how long writes keep trying while the database is away
  attempts: 5                # (the defaults: about 10 s in all)
  first_delay: 0.6           # seconds, doubled after each attempt
  max_delay: 5
```

Any string value may be written ``{env: VAR}`` to read it from the environment. Unknown keys are
errors that name the key, where it is, and what is allowed.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from headwater.storage.errors import StorageConfigError
from headwater.storage.retry import RetryPolicy

HOME_ENV = "HEADWATER_HOME"
DEFAULT_HOME = ".headwater"
CONFIG_FILE = "headwater.yaml"
SQLITE_FILE = "headwater.db"

# run_coordinator, run_launcher, run_monitoring: validated by headwater.runs.settings (runs package).
_SECTIONS = ("storage", "storage_retry", "run_coordinator", "run_launcher", "run_monitoring")
_BACKENDS = {
    "sqlite": ("base_dir",),
    "postgres": ("postgres_url", "postgres_db"),
    "mysql": ("mysql_url", "mysql_db"),
}
_DB_FIELDS = ("hostname", "port", "username", "password", "db_name", "params")
_DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306}
_SCHEMES = {"postgres": "postgresql+psycopg", "mysql": "mysql+pymysql"}


def home_directory() -> Path:
    """``$HEADWATER_HOME``, or ``./.headwater``, as an absolute path."""
    return Path(os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser().resolve()


def _unknown(key: object, where: str, allowed: tuple[str, ...], path: Path | None) -> StorageConfigError:
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    source = f" in {path}" if path else ""
    return StorageConfigError(
        f"Unknown key {key!r} at {where}{source}.{hint} Allowed here: {', '.join(allowed)}."
    )


def _check_keys(section: Mapping[str, Any], where: str, allowed: tuple[str, ...], path: Path | None) -> None:
    if not isinstance(section, Mapping):
        raise StorageConfigError(
            f"{where} must be a mapping; got {section!r}" + (f" in {path}." if path else ".")
        )
    for key in section:
        if key not in allowed:
            raise _unknown(key, where, allowed, path)


def resolve_value(value: Any, where: str) -> Any:
    """``{env: VAR}`` -> the variable's value; anything else unchanged."""
    if isinstance(value, Mapping) and set(value) == {"env"}:
        var = value["env"]
        resolved = os.environ.get(str(var))
        if resolved is None:
            raise StorageConfigError(f"{where} reads the environment variable {var}, which is not set.")
        return resolved
    return value


def read_config_file(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise StorageConfigError(f"{path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StorageConfigError(
            f"{path} must hold a mapping (e.g. `storage: ...`); got {type(data).__name__}."
        )
    return data


def retry_policy(config: Mapping[str, Any]) -> RetryPolicy:
    """The ``storage_retry`` section as a ``RetryPolicy`` (the default when absent)."""
    section = config.get("storage_retry")
    if section is not None:
        section = {k: resolve_value(v, f"storage_retry.{k}") for k, v in dict(section).items()}
    return RetryPolicy.from_config(section, "storage_retry")


def storage_url(config: Mapping[str, Any], home: Path, path: Path | None = None) -> str:
    """The database URL the ``storage`` section of ``config`` describes (SQLite in ``home`` by default)."""
    _check_keys(config, "the top level", _SECTIONS, path)
    storage = config.get("storage")
    if storage is None:
        return f"sqlite:///{home / SQLITE_FILE}"
    _check_keys(storage, "storage", tuple(_BACKENDS), path)
    if len(storage) != 1:
        got = ", ".join(storage) or "none"
        raise StorageConfigError(
            f"storage must name exactly one backend ({', '.join(_BACKENDS)}); got {got}."
        )
    [(backend, settings)] = storage.items()
    settings = settings or {}
    where = f"storage.{backend}"
    _check_keys(settings, where, _BACKENDS[backend], path)
    if backend == "sqlite":
        base_dir = resolve_value(settings.get("base_dir"), f"{where}.base_dir")
        directory = home if base_dir is None else (home / Path(str(base_dir)).expanduser())
        return f"sqlite:///{directory.resolve() / SQLITE_FILE}"
    url_key, db_key = _BACKENDS[backend]
    if (url_key in settings) == (db_key in settings):
        raise StorageConfigError(f"{where} needs exactly one of {url_key} or {db_key}.")
    if url_key in settings:
        return str(resolve_value(settings[url_key], f"{where}.{url_key}"))
    return _url_from_parts(backend, settings[db_key], f"{where}.{db_key}", path)


def _url_from_parts(backend: str, parts: Mapping[str, Any], where: str, path: Path | None) -> str:
    from urllib.parse import quote

    _check_keys(parts, where, _DB_FIELDS, path)
    values = {k: resolve_value(v, f"{where}.{k}") for k, v in parts.items() if k != "params"}
    for required in ("hostname", "username", "db_name"):
        if not values.get(required):
            raise StorageConfigError(f"{where}.{required} is required.")
    password = values.get("password")
    auth = quote(str(values["username"]), safe="")
    if password:
        auth += ":" + quote(str(password), safe="")
    port = values.get("port") or _DEFAULT_PORTS[backend]
    url = f"{_SCHEMES[backend]}://{auth}@{values['hostname']}:{port}/{quote(str(values['db_name']), safe='')}"
    params = parts.get("params") or {}
    if params:
        query = "&".join(
            f"{quote(str(k))}={quote(str(resolve_value(v, f'{where}.params.{k}')))}"
            for k, v in params.items()
        )
        url += "?" + query
    return url
