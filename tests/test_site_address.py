"""One address for the site: what `make run` prints is what it puts in email links."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
@pytest.mark.parametrize(
    ("env", "args", "address"),
    [
        ({}, ["PORT=8101"], "http://localhost:8101"),
        ({"SITE_URL": "http://127.0.0.1:9000"}, [], "http://127.0.0.1:9000"),
    ],
)
def test_make_run_prints_the_address_it_puts_in_emails(env, args, address, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    plan = subprocess.run(
        ["make", "--dry-run", "run", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"open {address}/" in plan
    assert re.findall(r'SITE_URL="([^"]*)"', plan) == [address]
