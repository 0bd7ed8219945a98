"""Instance.get(), Instance.local_temp() and headwater.yaml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.storage.databases import MYSQL_URL, POSTGRES_URL
from headwater.instance import Instance
from headwater.instance.config import storage_url
from headwater.storage.errors import StorageConfigError
from headwater.storage.sql import SqlStorage


def _url(instance: Instance) -> str:
    storage = instance.storage
    assert isinstance(storage, SqlStorage)
    return storage.database.describe()


def test_get_defaults_to_sqlite_in_headwater_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    with Instance.get() as instance:
        run = instance.create_run(job_name="job")
        assert _url(instance) == f"sqlite:///{tmp_path / 'home' / 'headwater.db'}"
        assert instance.root_directory == str(tmp_path / "home")
    with Instance.get() as again:
        assert again.get_run_by_id(run.run_id) == run


def test_get_without_headwater_home_uses_dot_headwater(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEADWATER_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    with Instance.get() as instance:
        assert _url(instance) == f"sqlite:///{tmp_path / '.headwater' / 'headwater.db'}"


def test_get_reads_headwater_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    (tmp_path / "headwater.yaml").write_text("storage:\n  sqlite:\n    base_dir: data\n")
    with Instance.get() as instance:
        assert _url(instance) == f"sqlite:///{tmp_path / 'data' / 'headwater.db'}"
    assert (tmp_path / "data" / "headwater.db").is_file()


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
    (tmp_path / "headwater.yaml").write_text("storage:\n  postgres:\n    postgres_ulr: x\n")
    with pytest.raises(
        StorageConfigError, match=r"'postgres_ulr' at storage\.postgres .*Did you mean 'postgres_url'"
    ):
        Instance.get()
    (tmp_path / "headwater.yaml").write_text("storag: {}\n")
    with pytest.raises(StorageConfigError, match=r"'storag' at the top level.*Did you mean 'storage'"):
        Instance.get()
    (tmp_path / "headwater.yaml").write_text("storage:\n  oracle: {}\n")
    with pytest.raises(StorageConfigError, match="Allowed here: sqlite, postgres, mysql"):
        Instance.get()
    (tmp_path / "headwater.yaml").write_text("storage: [1\n")
    with pytest.raises(StorageConfigError, match="not valid YAML"):
        Instance.get()


def test_url_from_parts_and_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HW_PASSWORD", "p@ss/word")
    config = {
        "storage": {
            "postgres": {
                "postgres_db": {
                    "hostname": "db.local",
                    "username": "hw",
                    "password": {"env": "HW_PASSWORD"},
                    "db_name": "headwater",
                    "params": {"sslmode": "require"},
                }
            }
        }
    }
    url = storage_url(config, tmp_path)
    assert url == "postgresql+psycopg://hw:p%40ss%2Fword@db.local:5432/headwater?sslmode=require"
    assert sa.make_url(url).password == "p@ss/word"
    mysql = storage_url(
        {"storage": {"mysql": {"mysql_db": {"hostname": "h", "username": "u", "db_name": "d"}}}}, tmp_path
    )
    assert mysql == "mysql+pymysql://u@h:3306/d"
    with pytest.raises(StorageConfigError, match="HW_MISSING, which is not set"):
        storage_url({"storage": {"postgres": {"postgres_url": {"env": "HW_MISSING"}}}}, tmp_path)
    with pytest.raises(StorageConfigError, match="exactly one of postgres_url or postgres_db"):
        storage_url({"storage": {"postgres": {}}}, tmp_path)
    with pytest.raises(StorageConfigError, match=r"postgres_db\.hostname is required"):
        storage_url({"storage": {"postgres": {"postgres_db": {"username": "u", "db_name": "d"}}}}, tmp_path)


@pytest.mark.parametrize("backend", ["postgres", "mysql"])
def test_server_backends_from_yaml(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from contracts.storage.databases import mysql_url, postgres_url

    with postgres_url() if backend == "postgres" else mysql_url() as url:
        monkeypatch.setenv("HW_TEST_URL", url)
        monkeypatch.setenv("HEADWATER_HOME", str(tmp_path))
        (tmp_path / "headwater.yaml").write_text(
            f"storage:\n  {backend}:\n    {backend}_url: {{env: HW_TEST_URL}}\n"
        )
        with Instance.get() as instance:
            run = instance.create_run(job_name="job")
            assert instance.get_run_by_id(run.run_id) == run
    assert POSTGRES_URL and MYSQL_URL


def test_local_temp_is_sqlite_and_cleans_up() -> None:
    instance = Instance.local_temp()
    root = instance.root_directory
    assert _url(instance) == f"sqlite:///{Path(root).resolve() / 'headwater.db'}"
    instance.create_run(job_name="job")
    instance.dispose()
    assert not os.path.exists(root)


def test_local_temp_in_a_given_directory(tmp_path: Path) -> None:
    with Instance.local_temp(tmp_path) as instance:
        instance.create_run(job_name="job")
    assert (tmp_path / "headwater.db").is_file()


def test_storage_directory_is_under_headwater_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    with Instance.get() as instance:
        assert instance.storage_directory() == str(tmp_path / "home" / "storage")
        from headwater.definitions.fs_io_manager import default_storage_dir

        assert default_storage_dir(instance) == str(tmp_path / "home" / "storage")


def test_storage_retry_from_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from headwater.instance.config import retry_policy
    from headwater.storage.retry import RetryPolicy

    assert retry_policy({}) == RetryPolicy()
    assert list(RetryPolicy().delays()) == [0.6, 1.2, 2.4, 4.8] and RetryPolicy().total_delay == 9.0
    monkeypatch.setenv("HW_ATTEMPTS", "2")
    policy = retry_policy({"storage_retry": {"attempts": {"env": "HW_ATTEMPTS"}, "first_delay": 0.5}})
    assert (policy.attempts, policy.first_delay, list(policy.delays())) == (2, 0.5, [0.5])
    with pytest.raises(StorageConfigError, match=r"Unknown key 'tries' at storage_retry"):
        retry_policy({"storage_retry": {"tries": 3}})
    with pytest.raises(StorageConfigError, match="at least 1"):
        retry_policy({"storage_retry": {"attempts": 0}})
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "headwater.yaml").write_text("storage_retry:\n  attempts: 3\n")
    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    with Instance.get() as instance:
        storage = instance.storage
        assert isinstance(storage, SqlStorage) and storage.database.retry_policy.attempts == 3
