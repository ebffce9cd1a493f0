"""Where the master key ring comes from: the key file or ``ARVIO_MASTER_KEY``, never the database."""

from __future__ import annotations

import logging
from pathlib import Path

from federation.settings import Settings
from pseudonymize.keys import KeyRing, MasterKey, load_key_ring, new_secret, save_key_ring

log = logging.getLogger("arvio.keys")

DEVELOPMENT_KEY_FILE = Path("arvio-keys.json")


def key_file_path(settings: Settings) -> Path | None:
    """The key file in use: ``ARVIO_KEY_FILE``, or in development ``./arvio-keys.json`` when nothing is set."""
    if settings.key_file is not None:
        return settings.key_file
    if settings.master_key:
        return None
    if settings.environment != "production":
        return DEVELOPMENT_KEY_FILE
    return None


def open_key_ring(settings: Settings) -> KeyRing:
    """The configured key ring. Outside production a missing key file is created (with a warning)."""
    path = key_file_path(settings)
    if path is not None and not path.exists() and settings.environment != "production":
        log.warning("no key file at %s: creating a new master key (development only; production must "
                    "configure ARVIO_KEY_FILE or ARVIO_MASTER_KEY)", path)
        save_key_ring(path, KeyRing((MasterKey(1, new_secret()),)))
    return load_key_ring(path, settings.master_key)


def rotate_keys(settings: Settings) -> KeyRing:
    """Add a new current master key version to the key file; older versions stay for reading and dedup."""
    path = key_file_path(settings)
    if path is None:
        raise ValueError("keys in ARVIO_MASTER_KEY cannot be rotated in place; move them to a key file "
                         "(ARVIO_KEY_FILE) first.")
    ring = open_key_ring(settings).with_new_key(new_secret())
    save_key_ring(path, ring)
    return ring
