"""The HTTP face of arvio: the Starlette app, its lifespan and routes, and their static files."""
