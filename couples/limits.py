"""How often someone may do something that costs someone else: counters in Django's cache.

Each limit counts in a fixed window that starts at the first hit. The cache is Redis in
production, shared by every web process and worker (and atomic there); under `make run`
it is the local-memory cache of each process, which is enough for one person trying.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    def _key(self, who: object) -> str:
        # Hashed: the cache never holds the email addresses some limits are keyed on.
        return f"limit:{self.name}:{hashlib.sha256(str(who).encode()).hexdigest()[:32]}"

    def left(self, who: object) -> int:
        return max(0, self.count - cache.get(self._key(who), 0))

    def hit(self, who: object) -> int:
        """Count one more; returns how many there have been in this window."""
        key = self._key(who)
        cache.add(key, 0, self.seconds)
        try:
            return cache.incr(key)
        except ValueError:  # the window ran out between add and incr: a new one starts
            cache.add(key, 1, self.seconds)
            return 1

    def take(self, who: object) -> bool:
        """Count one more and say whether it is within the limit. Counting first, then
        comparing, means two requests at the same moment cannot both take the last one."""
        return self.hit(who) <= self.count
