"""Code locations: the loader and server (user-code side), the client (server side)."""
