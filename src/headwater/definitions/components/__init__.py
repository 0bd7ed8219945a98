"""Components: reusable pieces of definitions configured by ``defs.yaml`` files in a ``defs/`` folder."""
