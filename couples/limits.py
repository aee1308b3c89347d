"""How often someone may do something that costs someone else: counters in Django's cache.

Each limit counts in fixed windows of its length, aligned to the clock (an hourly limit
starts again on the hour), so the count is read from the window's own key and never
depends on a key's expiry. The cache is shared by every web process and worker: Redis in
production (atomic there), Django's database cache on the embedded defaults (where an
increment is a read then a write, so two requests at the very same moment may count once).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    def _key(self, who: object) -> str:
        window = int(time.time() // self.seconds)
        # Hashed: the cache never holds the email addresses some limits are keyed on.
        who_hash = hashlib.sha256(str(who).encode()).hexdigest()[:32]
        return f"limit:{self.name}:{window}:{who_hash}"

    def left(self, who: object) -> int:
        return max(0, self.count - cache.get(self._key(who), 0))

    def hit(self, who: object) -> int:
        """Count one more; returns how many there have been in this window."""
        key = self._key(who)
        cache.add(key, 0, self.seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: count afresh
            cache.add(key, 1, self.seconds)
            return 1
        # The database cache's incr() is a get and a set with the default timeout (five
        # minutes): without this the count would vanish long before its window ends.
        cache.touch(key, self.seconds)
        return count

    def take(self, who: object) -> bool:
        """Count one more and say whether it is within the limit. Counting first, then
        comparing, means two requests at the same moment cannot both take the last one."""
        return self.hit(who) <= self.count
