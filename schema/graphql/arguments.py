"""Arguments several queries take alike, declared once (their SDL names and descriptions are part of the contract)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

ServiceFilter = Annotated[strawberry.ID | None, strawberry.argument(description="Only this service.")]
WindowFrom = Annotated[dt.datetime | None, strawberry.argument(name="from", description="Answered at or after "
                                                                                       "(inclusive).")]
WindowTo = Annotated[dt.datetime | None, strawberry.argument(name="to", description="Answered before (exclusive).")]
