"""The web container's health check: `python config/healthcheck.py`, exit 0 when /healthz
answers 200.

It asks for the site by one of its own host names, because Django answers 400 to any Host
outside DJANGO_ALLOWED_HOSTS. Runs as a plain script: no Django, no Celery to import.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def host_for(allowed_hosts: str) -> str:
    """A host name that DJANGO_ALLOWED_HOSTS accepts: the first one, with a leading dot
    (".example.org", any subdomain) standing for the domain itself."""
    first = next((h.strip() for h in allowed_hosts.split(",") if h.strip()), "localhost")
    return "localhost" if first == "*" else first.lstrip(".")


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": host_for(os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost"))},
    )
    try:
        # A fixed http URL on the loopback, not a user-supplied one.
        with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"healthcheck failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
