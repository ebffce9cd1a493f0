"""An organisation's client of arvio over HTTP: ``ArvioClient`` (``api.py``) pushes ratings and volumes from CSV or
NDJSON files with retries (``transport.py``) and reads the organisation's own scores; ``cli.py`` is its face in the
``arvio push …`` and ``arvio scores`` commands. It speaks only the public API, so it needs no database."""

from schema.client.api import ArvioClient, Problem, PushSummary, ServiceScore
from schema.client.records import FileFormat, FileProblem
from schema.client.transport import ClientError, RetryPolicy

__all__ = ["ArvioClient", "ClientError", "FileFormat", "FileProblem", "Problem", "PushSummary", "RetryPolicy",
           "ServiceScore"]
