"""The daemon's tick loops: each a small class with ``name``, ``interval_seconds`` and
``tick(now)``, built from the storage and the run lifecycle it needs (never the whole instance)."""
