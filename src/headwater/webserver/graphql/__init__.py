"""The GraphQL schema: thin Strawberry types over Headwater's own specs and records, a module per noun.

``schema.build_schema()`` assembles it; ``schema.graphql`` beside the package is its printed form,
checked in (``python -m headwater.webserver.graphql.schema --write`` regenerates it; a test fails when
it drifts). Type and field names follow Dagster's GraphQL API where the concept is the same, so scripts
written against Dagster's (``DagsterGraphQLClient``) work here; the differences are listed in
docs/guide.md.
"""
