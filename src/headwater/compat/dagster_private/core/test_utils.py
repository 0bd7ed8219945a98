"""``dagster._core.test_utils``: ``instance_for_test``, the one name of Dagster's module Headwater has."""

from headwater.instance.testing import instance_for_test

__all__ = ["instance_for_test"]
