"""Secrets kept only as memory-hard hashes (hashlib.scrypt): staff passwords and the kiosk's exit PIN."""

from __future__ import annotations

import hashlib
import hmac
import os

# scrypt's cost: about 50 ms and 16 MiB here. A login or a kiosk exit pays it once; a brute force of a
# stolen database pays it for every guess (days for a 6-digit PIN instead of seconds).
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """'scrypt$n$r$p$salt_hex$hash_hex' — the parameters travel with the hash so they can be raised later."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(digest.hex(), expected)
