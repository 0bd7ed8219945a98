"""The Starlette app: ``/graphql`` (queries and mutations over HTTP, GraphiQL on a browser's GET,
subscriptions over WebSocket: graphql-transport-ws and graphql-ws), ``/runs/{run_id}/events``
(Server-Sent Events), ``/server_info``, and the web UI (``static/``) or a page saying how to build it.

Over HTTP a query runs in a worker thread (``schema.execute_sync``): resolvers read storage
synchronously and never block the event loop that streams events. Before it runs, an operation is
checked: mutations only in a POST with a JSON body, no subscriptions over HTTP, at most ``MAX_COST``
estimated fields (``graphql.limits``); depth, tokens and aliases are bounded by the schema's
extensions. Errors are GraphQL errors with a message, never a stack trace or a 500.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import msgspec
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.extensions import SchemaExtension
from strawberry.http.ides import get_graphql_ide_html
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from headwater.webserver.context import RequestContext, WebserverContext
from headwater.webserver.graphql.events import event_dict
from headwater.webserver.graphql.limits import MAX_COST, estimate_cost
from headwater.webserver.graphql.subscriptions import follow_run
from headwater.webserver.security import RequestGuard

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY = 1 << 20

_NO_UI = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Headwater</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:4rem auto;padding:0 1rem}
code,pre{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>Headwater</h1>
<p>The web UI is not built into this installation.</p>
<p>Build it from a checkout (it writes <code>src/headwater/webserver/static/</code>):</p>
<pre>cd ui &amp;&amp; npm ci &amp;&amp; npm run build</pre>
<p>Meanwhile the GraphQL API answers at <a href="/graphql">/graphql</a> (GraphiQL in a browser), and
run events stream from <code>/runs/RUN_ID/events</code>.</p>
</body></html>
"""


def _errors(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message}]}, status_code=status)


class _Transport(SchemaExtension):
    """Mutations run only from a POST over HTTP: over WebSocket, subscriptions and queries only."""

    def on_execute(self):  # type: ignore[no-untyped-def]
        ec = self.execution_context
        context = ec.context
        if (
            ec.operation_type is StrawberryOperationType.MUTATION
            and getattr(context, "transport", "post") != "post"
        ):
            ec.result = ExecutionResult(
                data=None,
                errors=[GraphQLError("Mutations are accepted only in a POST request with a JSON body.")],
            )
        yield


class _WebSocketGraphQL(GraphQL):  # type: ignore[type-arg]
    """Strawberry's ASGI app, for the WebSocket transports only (the HTTP side is ``graphql_http``)."""

    def __init__(self, server: WebserverContext, schema: Any) -> None:
        super().__init__(
            schema, graphql_ide=None, allow_queries_via_get=False, keep_alive=True, keep_alive_interval=15
        )
        self.server = server

    async def get_context(self, request: Any, response: Any) -> RequestContext:  # type: ignore[override]
        context = self.server.request()
        context.transport = "websocket"
        return context


def create_app(
    server: WebserverContext, *, allowed_hosts: list[str] | None = None, static_dir: Path | None = None
) -> Any:
    """The webserver's ASGI app (wrapped in the Host/Origin guard)."""
    from headwater.webserver.graphql.schema import build_schema

    schema = build_schema((_Transport,))
    ws_app = _WebSocketGraphQL(server, schema)
    ide = get_graphql_ide_html("graphiql")

    async def graphql_http(request: Request) -> Response:
        if request.method == "GET":
            params = dict(request.query_params)
            if "query" not in params:
                if "text/html" in request.headers.get("accept", ""):
                    return HTMLResponse(ide.replace("{{ SUBSCRIPTION_ENABLED }}", "true"))
                return _errors(
                    400, 'Send a query: POST a JSON body {"query": ...} (or GET ?query=... for queries).'
                )
            query = params["query"]
            try:
                variables = json.loads(params["variables"]) if params.get("variables") else None
            except ValueError:
                return _errors(400, "The variables parameter is not JSON.")
            operation_name = params.get("operationName") or None
        else:
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in ("application/json", "application/graphql-response+json"):
                return _errors(
                    415,
                    "POST a JSON body with Content-Type: application/json "
                    '({"query": ..., "variables": ...}).',
                )
            body = await request.body()
            if len(body) > MAX_BODY:
                return _errors(413, f"The request body is over {MAX_BODY} bytes.")
            try:
                data = json.loads(body)
            except ValueError as exc:
                return _errors(400, f"The body is not JSON: {exc}.")
            if not isinstance(data, dict) or not isinstance(data.get("query"), str):
                return _errors(400, 'The body must be one JSON object with a "query" string (no batches).')
            query, variables = data["query"], data.get("variables")
            operation_name = data.get("operationName") or None
        if variables is not None and not isinstance(variables, dict):
            return _errors(400, "variables must be a JSON object.")
        try:
            document = parse(query, max_tokens=20_000)
        except GraphQLError as exc:
            return JSONResponse({"errors": [exc.formatted]}, status_code=400)
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return _errors(
                400, "No operation of that name in the document (or several and no operationName)."
            )
        if operation.operation is OperationType.MUTATION and request.method != "POST":
            return _errors(405, "Mutations are accepted only in a POST request with a JSON body.")
        if operation.operation is OperationType.SUBSCRIPTION:
            return _errors(
                400, "Subscribe over WebSocket (graphql-transport-ws) or read /runs/RUN_ID/events (SSE)."
            )
        cost = estimate_cost(schema._schema, document, variables)
        if cost > MAX_COST:
            return _errors(
                400,
                f"This query could resolve about {cost:,} fields (the limit is {MAX_COST:,}): "
                "ask for smaller pages.",
            )
        context = server.request()
        context.transport = "post" if request.method == "POST" else "get"

        def run() -> Any:
            return schema.execute_sync(
                query, variable_values=variables, context_value=context, operation_name=operation_name
            )

        result = await anyio.to_thread.run_sync(run)
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [_format(e) for e in result.errors]
        return Response(_encode(payload), media_type="application/json")

    async def run_events(request: Request) -> Response:
        run_id = request.path_params["run_id"]
        cursor = request.query_params.get("cursor") or request.headers.get("last-event-id") or None
        storage = server.storage
        if not await anyio.to_thread.run_sync(storage.run_store.has_run, run_id):
            return _errors(404, f"No run {run_id} in this instance.")

        async def stream() -> Any:
            async for batch in follow_run(storage, run_id, cursor):
                if batch is None:
                    return
                records, position, _, finished = batch
                for record in records:
                    data = json.dumps(event_dict(record), default=str)
                    yield f"id: {record.storage_id}\nevent: run-event\ndata: {data}\n\n"
                if finished:
                    yield f"event: end\ndata: {json.dumps({'runId': run_id, 'cursor': position})}\n\n"

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def server_info(request: Request) -> Response:
        from importlib.metadata import version

        return JSONResponse(
            {"headwater_version": version("headwater"), "locations": server.workspace.location_names}
        )

    routes: list[Any] = [
        Route("/graphql", graphql_http, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", ws_app),
        Route("/runs/{run_id}/events", run_events, methods=["GET"]),
        Route("/server_info", server_info, methods=["GET"]),
    ]
    ui = static_dir or STATIC_DIR
    if (ui / "index.html").is_file():
        routes.append(Mount("/", app=_SinglePageApp(ui)))
    else:

        async def no_ui(request: Request) -> Response:
            return HTMLResponse(_NO_UI)

        routes.append(Route("/{path:path}", no_ui, methods=["GET"]))
    app = Starlette(routes=routes)
    hosts = list(allowed_hosts or [])
    return RequestGuard(app, hosts)


def _encode(payload: dict[str, Any]) -> bytes:
    """The response as JSON (msgspec: a 10,000-asset catalog encodes in a few milliseconds)."""
    try:
        return msgspec.json.encode(payload)
    except (TypeError, ValueError, OverflowError):
        return json.dumps(payload, default=str).encode()


def _format(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        formatted["path"] = list(error.path)
    return formatted


class _SinglePageApp(StaticFiles):
    """The built UI: its files, and index.html for any other path (the UI routes in the browser)."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory=str(directory), html=True)

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:  # Starlette raises 404 for a missing file
            if exc.status_code != 404:
                raise
            response = None
        if response is None or response.status_code == 404:
            if path.startswith("_ui/") or path == "favicon.ico":
                return Response("Not Found", status_code=404, media_type="text/plain")
            response = await super().get_response("index.html", scope)
            # The page itself changes with each build: never serve a stale one from the cache.
            response.headers["Cache-Control"] = "no-cache"
        elif path.startswith("_ui/"):
            # Built files carry a content hash in their name: cache them for good.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)
