"""Rendered whole-catalogue exports kept on disk for reuse, one render per change of the answers.

A national catalogue's export is tens of megabytes and takes seconds to render (every published cell's statistics);
catalogue publishers pull the same document again and again. An entry is keyed by the figures' source (``live`` and
its hour window, or a publication number) and the format, and is reused while

* the answers are unchanged: every answer added or erased bumps a service's score stamp, and the entry remembers
  :func:`federation.shared.stamps.catalogue_version` read in the same snapshot it was rendered from; and
* it is younger than ``ARVIO_EXPORT_CACHE_SECONDS`` (default 300, the ``max-age`` the responses already carry):
  changes that stamp no answer (catalogue names from PTV, reported volumes behind the KPIs) show within that time.

Entries are files in a private temporary directory (memory stays flat whatever the catalogue's size), written
completely before they are listed, read by any number of requests at once, and deleted when replaced, expired or
pushed out (at most ``capacity`` entries). Concurrent requests for a missing entry render it once: the others wait
for it (``flight``). Single-service exports are small and not kept. Each worker process keeps its own entries.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from exporters.publications import Source
from exporters.signing import Digest

Version = tuple[int, int]


@dataclass(frozen=True)
class Entry:
    """A rendered export on disk, with its digest and the figures' source."""

    path: Path
    digest: Digest
    source: Source
    version: Version
    expires: float

    def open(self) -> IO[bytes]:
        """A new reader of the body (the file stays readable after the entry is dropped)."""
        return self.path.open("rb")


class ExportCache:
    """See the module docstring. ``seconds`` 0 keeps nothing."""

    def __init__(self, seconds: int, *, capacity: int = 16, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._capacity = capacity
        self._clock = clock
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._flights: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._directory: tempfile.TemporaryDirectory[str] | None = None

    @property
    def enabled(self) -> bool:
        """Whether entries are kept at all."""
        return self.seconds > 0

    def get(self, key: Hashable, version: Version) -> Entry | None:
        """The entry of ``key`` rendered at ``version`` and not expired, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.version != version or entry.expires <= self._clock():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    @contextlib.contextmanager
    def flight(self, key: Hashable) -> Iterator[None]:
        """Hold ``key``'s render lock: one request renders a missing entry while the others wait for it."""
        with self._lock:
            lock = self._flights.setdefault(key, threading.Lock())
        with lock:
            yield

    def store(self, key: Hashable, version: Version, source: Source,
              write: Callable[[IO[bytes]], Digest]) -> Entry:
        """Render into a new file with ``write`` (which returns the body's digest) and list it under ``key``."""
        handle, name = tempfile.mkstemp(prefix="export-", dir=self._dir())
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                digest = write(out)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        entry = Entry(path, digest, source, version, self._clock() + self.seconds)
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            while len(self._entries) > self._capacity:
                self._drop(next(iter(self._entries)))
        return entry

    def clear(self) -> None:
        """Drop every entry and the directory (at shutdown)."""
        with self._lock:
            for key in list(self._entries):
                self._drop(key)
            if self._directory is not None:
                self._directory.cleanup()
                self._directory = None

    def _dir(self) -> str:
        with self._lock:
            if self._directory is None:
                self._directory = tempfile.TemporaryDirectory(prefix="arvio-exports-")
            return self._directory.name

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            entry.path.unlink(missing_ok=True)  # readers that opened it keep reading (POSIX)
