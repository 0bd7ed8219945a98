"""The webserver: a Starlette app serving the GraphQL API (``/graphql``, with GraphiQL), live run
events (GraphQL subscriptions over graphql-ws, and Server-Sent Events) and the web UI (``static/``).

It never imports user code: it reads the instance's storage and the code locations' specs, and asks a
location's code server for anything that needs the code (``context``). ``app.create_app`` builds the
app; ``server.serve`` runs it with uvicorn; ``headwater dev`` (``dev``) starts the code servers, the
webserver and (once it exists) the daemon together.
"""
