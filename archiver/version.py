"""The extractor version stamped on every article row.

It is derived from the source of archiver/extract and archiver/normalize, so any change to
extraction or normalization gives a new version without anyone having to remember to bump it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

from archiver import __version__


@cache
def extractor_version() -> str:
    digest = hashlib.sha256()
    for package in ("archiver.extract", "archiver.normalize"):
        files = sorted(
            (f for f in resources.files(package).iterdir() if f.name.endswith(".py")),
            key=lambda f: f.name,
        )
        for source in files:
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"
