"""The cast: alice and bob are a couple; charlie is a stranger who must get 404 everywhere."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from config.celery import app as celery_app

from .factories import UserFactory, link

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL (row locks, concurrent connections): set DATABASE_URL=postgres://...",
)


def pytest_configure(config):
    """The translation catalogs compiled, as `make` does, for a run started without it."""
    from config.messages import compile_all

    compile_all()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped prompts and date ideas, loaded as on a real install (`manage.py
    load_content` after migrating). Transactional tests empty every table when they end;
    pytest-django runs them last, and those that need the library load it again."""
    from practices.library import load_added_content, load_content

    with django_db_blocker.unblock():
        load_content()
        load_added_content()


@pytest.fixture
def shipped_library(transactional_db) -> None:
    """For transactional tests: the tests before them emptied every table, the library
    included. (Not serialized_rollback: its snapshot is taken before the library loads,
    and it clashes with the content types a flush recreates.)"""
    from practices.library import load_added_content, load_content

    load_content()
    load_added_content()


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English: a request as a German speaker leaves German active in
    the thread (LocaleMiddleware activates a language and never deactivates it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(items):
    """The slow tests first within each group pytest-django made (tests that roll back,
    then the transactional ones, which empty every table): pytest-xdist hands tests out in
    this order, so the long browser journeys and real-worker runs spread over the
    processes instead of one of them finishing alone at the end."""

    def transactional(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
            or (marker and marker.kwargs.get("transaction"))
        )

    def rank(item) -> int:
        for number, name in enumerate(("real_worker", "browser")):
            if item.get_closest_marker(name):
                return number
        return 2

    # Stable: pytest-django's order holds wherever this key ties.
    items.sort(key=lambda item: (transactional(item), rank(item)))


@pytest.fixture(scope="session", autouse=True)
def _own_cache_keys():
    """With several pytest-xdist processes on one Redis database, each keeps its cache
    keys under its own prefix: their test databases number users alike, so a rate-limit
    counter of one process's user 1 would otherwise count another's."""
    from django.conf import settings
    from django.test import override_settings

    caches = {
        "default": {
            **settings.CACHES["default"],
            "KEY_PREFIX": f"kindling-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}",
        }
    }
    with override_settings(CACHES=caches):
        yield


def _empty_the_cache() -> None:
    from django.conf import settings
    from django.core.cache import cache

    if "redis" not in settings.CACHES["default"]["BACKEND"]:
        cache.clear()
        return
    # Only this process's keys: cache.clear() would empty the whole Redis database,
    # under another process's feet.
    import redis

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    # The embedded default is the database cache, so that an install's processes share
    # it (tests/test_real_limits.py). One test process needs no sharing, and local memory
    # keeps tests that never touch the database away from it.
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _empty_the_cache()
    yield
    _empty_the_cache()


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", display_name="Alice", timezone="Europe/London")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", display_name="Bob", timezone="Pacific/Auckland")


@pytest.fixture
def charlie(db):
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def couple(alice, bob):
    return link(alice, bob, name="", timezone="Europe/London")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return client_for(alice)


@pytest.fixture
def bob_client(bob):
    return client_for(bob)


@pytest.fixture
def charlie_client(charlie):
    return client_for(charlie)
