"""Password hashing for production: Django's argon2 hasher, at most one hash at a time per process.

Same algorithm name, same parameters, same stored hashes as
``django.contrib.auth.hashers.Argon2PasswordHasher`` (existing passwords verify unchanged). What it
adds is a limit: gunicorn's threaded workers (config/gunicorn.conf.py) would otherwise run one argon2
hash per thread during a sign-in storm — each hash takes 100 MiB and, with Django's 8 lanes, every
core of a small server — so four sign-ins in one worker meant 400 MiB more and the autosaves in the
other threads starved of CPU. One at a time per process is what a sync worker did; the other threads
keep serving pages meanwhile. docs/decisions.md, "Serving: threaded gunicorn workers".
"""

from __future__ import annotations

import threading

from django.contrib.auth.hashers import Argon2PasswordHasher

# One per process: the hash uses every core by itself (parallelism 8 on 2 cores).
HASHING = threading.BoundedSemaphore(1)


class OneAtATimeArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2PasswordHasher whose hashing (setting a password, checking one, and the hash Django
    computes for an unknown username so that it takes as long) runs in one thread at a time."""

    def encode(self, password: str, salt: str) -> str:
        with HASHING:
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with HASHING:
            return super().verify(password, encoded)
