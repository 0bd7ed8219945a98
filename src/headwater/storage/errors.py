"""Storage errors (subclasses of ``headwater.errors.StorageError``)."""

from __future__ import annotations

from headwater.errors import HeadwaterError, StorageError


class DuplicateRunError(StorageError):
    """A run with this id is already stored."""


class StorageConfigError(HeadwaterError):
    """The storage section of ``headwater.yaml`` (or a storage URL) is invalid."""


class StorageUnavailableError(StorageError):
    """The database server could not be reached."""


class SchemaMismatchError(StorageError):
    """The database schema is older or newer than this version of Headwater expects."""
