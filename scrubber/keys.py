"""Keys for keyed fingerprints (and, later, surrogates and date shifts).

A key comes from a file (``--key-file``), the ``SCRUBBER_KEY`` environment
variable, or is drawn at random for one run; the source is recorded, the key
never is.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from scrubber.errors import ScrubberError
from scrubber.normalize import fold_value

ENV_VAR = "SCRUBBER_KEY"
MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class Key:
    """Secret key material plus where it came from (``file``, ``env``, ``argument`` or ``random``)."""

    secret: bytes
    source: str

    def __repr__(self) -> str:  # never print the secret
        return f"Key(source={self.source!r})"

    def derive(self, purpose: str) -> "Key":
        """A sub-key for one purpose (HMAC of the purpose), so outputs of different operators cannot be matched.

        Example:
            >>> k = Key(b"k" * 32, "argument")
            >>> k.derive("hash").secret != k.secret
            True
        """
        return Key(hmac.new(self.secret, purpose.encode("utf-8"), hashlib.sha256).digest(), self.source)

    def fingerprint(self, value: str) -> str:
        """HMAC-SHA256 of the normalized value, 32 hex characters (128 bits).

        Example:
            >>> k = Key(b"k" * 32, "argument")
            >>> k.fingerprint("John  SMITH") == k.fingerprint("john smith")
            True
        """
        return hmac.new(self.secret, fold_value(value).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def make_key(secret: bytes | str | Key | None, source: str = "argument") -> Key:
    """Wrap key material; ``None`` draws a random per-run key."""
    if isinstance(secret, Key):
        return secret
    if secret is None:
        return Key(secrets.token_bytes(32), "random")
    raw = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if len(raw) < MIN_KEY_BYTES:
        raise ScrubberError("E220", f"key is shorter than {MIN_KEY_BYTES} bytes", "use at least 32 random bytes, e.g. `openssl rand -hex 32`")
    if (why := weakness(raw)) is not None:
        raise ScrubberError("E227", f"the {source} key is too weak ({why})", "use 32 random bytes, e.g. `openssl rand -hex 32 > scrubber.key` and --key-file scrubber.key")
    return Key(raw, source)


def weakness(raw: bytes) -> str | None:
    """Why ``raw`` is an obviously guessable key, or ``None``.

    A heuristic for typed-in keys, not an entropy measurement: fewer than 8 distinct bytes, a
    short unit repeated, or a run of consecutive bytes (``abcdefghijklmnop``). Random keys
    (``openssl rand -hex 32``: 64 hex digits) never match it in practice.

    Example:
        >>> weakness(b"aaaaaaaaaaaaaaaa"), weakness(b"abcdefghijklmnopqrst"), weakness(b"abcdefghabcdefghabcd")
        ('fewer than 8 distinct characters', 'a run of consecutive characters', 'a repeated 8-character unit')
        >>> weakness(b"3f9c2a7be01d45c8a6f2b9e4d7c10a53") is None
        True
    """
    if len(set(raw)) < 8:
        return "fewer than 8 distinct characters"
    steps = {b - a for a, b in zip(raw, raw[1:])}
    if steps <= {1} or steps <= {-1}:
        return "a run of consecutive characters"
    for period in range(1, len(raw) // 2 + 1):
        if all(raw[i] == raw[i - period] for i in range(period, len(raw))):
            return f"a repeated {period}-character unit"
    return None


def load_key(key_file: Path | None = None, *, environ: dict[str, str] | None = None) -> Key:
    """Key from ``key_file``, else ``$SCRUBBER_KEY``, else a random run key."""
    env = os.environ if environ is None else environ
    if key_file is not None:
        try:
            raw = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise ScrubberError("E221", f"cannot read key file {key_file} ({exc.strerror})", "check the path and permissions") from None
        return make_key(raw, "file")
    if env.get(ENV_VAR):
        return make_key(env[ENV_VAR], "env")
    return make_key(None)
