"""Rooms: a presenter's slide number, shared with the windows that follow it (issue 22). Pure: no Streamlit.

A room is a short code (``room=`` in a link; not a secret) and a secret that only the presenter's session holds (it
is never written into a link, a page, a preview or a log; the store keeps only its SHA-256). Anyone with the code can
read one thing, the slide number; only the secret moves it. A room no presenter has touched for ``IDLE_SECONDS`` is
gone.

Where rooms live: Redis when ``POLICYLENS_REDIS_URL`` is set (every replica behind nginx sees the same rooms), else a
dictionary in this process (one server). ``RoomsOffline`` is raised when Redis cannot be reached; callers keep
working locally (the presenter view says so in one sentence, followers keep their slide) and try again later.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass

# Letters and digits nobody confuses when reading a code off a screen (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
IDLE_SECONDS = 6 * 3600  # a room nobody moved or touched for six hours is gone
MAX_ROOMS = 10_000  # in one process: the oldest go first beyond this
RETRY_AFTER = 1.0  # seconds between attempts to reach Redis once it failed
REDIS_TIMEOUT = 0.3  # seconds: a lost Redis costs a follower's poll this much at most, once a second
KEY = "policylens:room:"


class RoomsOffline(Exception):
    """The rooms' store (Redis) cannot be reached."""


def normal_code(text: str) -> str | None:
    """``text`` as a room code (upper case), or None when it is not one."""
    code = text.strip().upper()
    if len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code):
        return code
    return None


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass
class _Room:
    slide: int
    digest: str
    touched: float


class MemoryRooms:
    """Rooms in this process (one server, no Redis)."""

    def __init__(self, clock=time.monotonic):
        self._rooms: dict[str, _Room] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _live(self, code: str) -> _Room | None:
        room = self._rooms.get(code)
        if room is not None and self._clock() - room.touched > IDLE_SECONDS:
            del self._rooms[code]
            return None
        return room

    def create(self, slide: int = 1) -> tuple[str, str]:
        """A new room at ``slide``: its (code, secret)."""
        secret = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            for code in [c for c, r in self._rooms.items() if now - r.touched > IDLE_SECONDS]:
                del self._rooms[code]
            while len(self._rooms) >= MAX_ROOMS:
                del self._rooms[min(self._rooms, key=lambda c: self._rooms[c].touched)]
            code = new_code()
            while code in self._rooms:
                code = new_code()
            self._rooms[code] = _Room(slide, _digest(secret), now)
        return code, secret

    def move(self, code: str, secret: str, slide: int) -> bool:
        """Set the room's slide (and keep it alive); False when ``secret`` is not the room's. A room that expired
        (or a store that lost it) is made again for the secret's holder."""
        digest = _digest(secret)
        with self._lock:
            room = self._live(code)
            if room is None:
                self._rooms[code] = _Room(slide, digest, self._clock())
                return True
            if not hmac.compare_digest(room.digest, digest):
                return False
            room.slide, room.touched = slide, self._clock()
            return True

    def slide(self, code: str) -> int | None:
        """The room's slide number, or None when there is no such room. Reading does not keep a room alive."""
        with self._lock:
            room = self._live(code)
            return room.slide if room else None


class RedisRooms:
    """Rooms in Redis: one hash per room (``slide``, ``digest``), expiring after ``IDLE_SECONDS`` untouched."""

    # Set the slide when the digest matches (or the room is gone: made again for the secret's holder); refresh the
    # expiry. One script, so a move is atomic whatever the number of replicas.
    _MOVE = """
local digest = redis.call('HGET', KEYS[1], 'digest')
if digest and digest ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'slide', ARGV[2], 'digest', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT, retry_on_timeout=False
        )
        self._errors = (redis.RedisError, OSError)
        self._move = self._redis.register_script(self._MOVE)
        self._failed_at = 0.0
        self._lock = threading.Lock()

    def _call(self, action):
        """``action()`` against Redis; ``RoomsOffline`` when it fails, at once for a second after a failure."""
        if time.monotonic() - self._failed_at < RETRY_AFTER:
            raise RoomsOffline("Redis was unreachable a moment ago")
        try:
            return action()
        except self._errors as err:
            self._failed_at = time.monotonic()
            raise RoomsOffline(type(err).__name__) from None

    def create(self, slide: int = 1) -> tuple[str, str]:
        secret = secrets.token_urlsafe(24)
        digest = _digest(secret)

        def make() -> str:
            while True:
                code = new_code()
                if self._redis.hsetnx(KEY + code, "digest", digest):
                    self._redis.hset(KEY + code, "slide", slide)
                    self._redis.expire(KEY + code, IDLE_SECONDS)
                    return code

        return self._call(make), secret

    def move(self, code: str, secret: str, slide: int) -> bool:
        return bool(self._call(lambda: self._move(keys=[KEY + code], args=[_digest(secret), slide, IDLE_SECONDS])))

    def slide(self, code: str) -> int | None:
        value = self._call(lambda: self._redis.hget(KEY + code, "slide"))
        return int(value) if value is not None else None


_store: MemoryRooms | RedisRooms | None = None
_store_lock = threading.Lock()


def store() -> MemoryRooms | RedisRooms:
    """The rooms of this server: in Redis when ``POLICYLENS_REDIS_URL`` is set, else in this process."""
    global _store
    with _store_lock:
        if _store is None:
            url = os.environ.get("POLICYLENS_REDIS_URL", "").strip()
            _store = RedisRooms(url) if url else MemoryRooms()
        return _store


def where() -> str:
    """Where the rooms live, in words (never the address of the store, which may carry a password)."""
    return "Redis" if isinstance(store(), RedisRooms) else "this server"
