"""What every resolver can reach: the request's session, the caller, the settings and the shared services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import OperationType
from sqlalchemy.orm import Session

from federation.auth.models import Role
from federation.auth.tokens import Principal, require_role
from federation.db import Database
from federation.errors import Forbidden
from federation.scores.cache import ServiceCache
from federation.settings import Settings
from schema.graphql.loaders import BatchLoader

if TYPE_CHECKING:
    from federation.ratings.citizen import CitizenRuntime
    from federation.ratings.ingest import Protector


@dataclass
class Services:
    """Long-lived collaborators shared by every request of one process."""

    settings: Settings
    protector: Protector
    public_scores: ServiceCache[object] = field(default_factory=ServiceCache)
    citizen: CitizenRuntime | None = None
    """Draws, exposure counts and the key ring of the citizen flow (``schema.graphql.ratings.widget``)."""
    database: Database | None = None
    """For short write transactions beside a read request (audit of reads, research ledger)."""


class Context:
    """The per-request context handed to strawberry. The request owns the session's transaction.

    The session is given, or opened on first use by ``open_session``: a request that never touches the database (an
    anonymous ``publicScore`` served from the cache) then costs no session at all (a third of its time in process,
    cProfile of ``execute_in_process``).
    """

    def __init__(self, session: Session | None = None, principal: Principal | None = None, *,
                 services: Services, now: dt.datetime, open_session: Callable[[], Session] | None = None) -> None:
        if session is None and open_session is None:
            raise ValueError("give the request's session or a way to open it")
        self._session = session
        self._open_session = open_session
        self.principal = principal
        self.services = services
        self.now = now
        self.touched_services: set[str] = set()
        self.loaders: dict[str, BatchLoader[Any, Any]] = {}
        self.executed: OperationType | None = None
        """The type of the operation strawberry executed (set by ``schema.graphql.validation.Limits``); the request
        commits only a MUTATION."""
        self.ingested: tuple[int, int, int] | None = None
        """Items this request's submitRatings accepted, found duplicate and rejected (counted in the metrics once
        the request commits)."""

    @property
    def session(self) -> Session:
        """The request's session (opened now if it was not yet)."""
        if self._session is None:
            assert self._open_session is not None
            self._session = self._open_session()
        return self._session

    @property
    def opened(self) -> Session | None:
        """The session if the request has one open, else None (nothing to commit, roll back or close)."""
        return self._session

    def loader(self, name: str, load_many: Callable[[list[Any]], dict[Any, Any]],
               default: Callable[[], Any]) -> BatchLoader[Any, Any]:
        """This request's batch loader called ``name`` (created on first use)."""
        found = self.loaders.get(name)
        if found is None:
            found = self.loaders[name] = BatchLoader(load_many, default)
        return found

    @property
    def settings(self) -> Settings:
        """The process settings."""
        return self.services.settings

    def write_transaction(self) -> AbstractContextManager[Session]:
        """A separate short write transaction that commits on its own, whatever happens to the request's session:
        for what a *read* must keep (the audit of who read free texts, the research budget debit)."""
        if self.services.database is None:
            raise RuntimeError("no database configured for write transactions; build the app with schema.wiring")
        return self.services.database.transaction()

    def require(self, *roles: Role) -> Principal:
        """The caller, if it holds one of ``roles``."""
        return require_role(self.principal, *roles)

    def may_see_unpublished(self, service_owners: list[str]) -> bool:
        """Admins, and organisations registered for the service, may see scores below the threshold."""
        principal = self.principal
        if principal is None:
            return False
        if principal.role is Role.ADMIN:
            return True
        return principal.role is Role.ORGANISATION and principal.organisation_id in service_owners

    def require_organisation(self) -> str:
        """The business ID of an ORGANISATION caller."""
        principal = self.require(Role.ORGANISATION)
        if principal.organisation_id is None:
            raise Forbidden("This token is not bound to an organisation.")
        return principal.organisation_id
