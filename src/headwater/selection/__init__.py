"""Asset selection: the ``AssetSelection`` tree and Dagster's selection syntax, resolved over a
spec-level ``AssetGraph``. Pure and below ``definitions``, so definitions, the webserver and the
daemon all resolve selections without importing user code.

``asset_selection`` is the public class; ``syntax`` (over ``lexer``) parses the string form into
the node tree of ``nodes``, ``filters`` and ``traversals``; ``context`` resolves a tree against one
graph; ``arguments`` checks what the constructors accept.
"""
