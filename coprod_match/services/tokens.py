"""How a secret token is kept: only its hash, so a leaked table cannot be replayed.

One function for every kind of token (invitation links, personal API tokens).
"""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
