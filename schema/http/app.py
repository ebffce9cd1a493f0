"""The ASGI application: every route of arvio, its middleware and its lifespan, assembled for one process.

Routes live in their own modules (``/graphql`` in :mod:`schema.http.graphql_endpoint`, the widget, exports,
public score, NDJSON upload, dashboard, privacy notice and accessibility statement beside it); they share the
process state (:class:`schema.http.state.App`) and the request helpers of :mod:`schema.http.requests`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from federation.db import Database, utcnow
from federation.ratings.ingest import Protector
from federation.settings import Settings
from pseudonymize.keys import KeyRing
from schema.graphql.api import build_schema
from schema.graphql.context import Services
from schema.http.accessibility import accessibility_routes
from schema.http.bulk import bulk_endpoint
from schema.http.dashboard import dashboard_routes
from schema.http.exports import publication_routes
from schema.http.exposure_commits import ExposureCommits
from schema.http.graphiql import graphiql_routes
from schema.http.graphql_endpoint import graphql_endpoint
from schema.http.health import health_routes
from schema.http.i18n import i18n_routes
from schema.http.lifespan import flush_exposures, lifespan
from schema.http.limits import limiter_for
from schema.http.observe import Observe
from schema.http.pages import page_routes
from schema.http.privacy import privacy_endpoint
from schema.http.public import public_routes
from schema.http.receipt import receipt_routes
from schema.http.request_ids import RequestIds
from schema.http.state import App
from schema.http.widget import citizen_runtime, widget_routes


def create_app(settings: Settings, database: Database, protector: Protector, *,
               clock: Callable[[], dt.datetime] = utcnow, ring: KeyRing | None = None) -> Starlette:
    """The ASGI app. ``clock`` is injectable so tests can move time; ``ring`` defaults to the protector's."""
    services = Services(settings, protector, citizen=citizen_runtime(protector, ring), database=database)
    limiter = limiter_for(settings.rate_limit_per_minute, database)
    state = App(settings, database, build_schema(settings), services, limiter, clock)
    if settings.exposure_commit == "durable":
        state.exposure_commits = ExposureCommits(functools.partial(flush_exposures, state))
    routes = [
        # The most frequent requests first (Starlette matches routes one by one, each a regular expression):
        # GET /public/score (every embedded score) and GET /widget/draw (every widget shown), then /graphql.
        *public_routes(state),
        *widget_routes(state),
        Route("/graphql", functools.partial(graphql_endpoint, state), methods=["GET", "POST"]),
        *health_routes(state),
        Route("/privacy", functools.partial(privacy_endpoint, settings), methods=["GET"]),
        Route("/ingest/ratings", functools.partial(bulk_endpoint, state), methods=["POST"]),
        *publication_routes(state),
        *dashboard_routes(),
        *graphiql_routes(settings),
        *receipt_routes(state),
        *accessibility_routes(settings),
        *page_routes(state),
        *i18n_routes(),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(RequestIds), Middleware(Observe)],
                    lifespan=functools.partial(lifespan, state))
    app.state.arvio = state
    return app

