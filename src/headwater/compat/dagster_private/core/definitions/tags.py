"""``dagster._core.definitions.tags``: asset kind tags. (``NamespacedTagSet`` is not provided.)"""

from headwater.definitions.tags import KIND_PREFIX, build_kind_tag, build_kind_tag_key, has_kind

__all__ = ["KIND_PREFIX", "build_kind_tag", "build_kind_tag_key", "has_kind"]
