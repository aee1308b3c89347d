"""A version number per couple that changes with every write a partner could see, so that
the couple's pages can cache what they show under it.

Where the number lives, and why there
-------------------------------------
It is a column, `Couple.version`, bumped (`version = version + 1`) inside the transaction
that makes the write, not a cache key bumped from `transaction.on_commit`:

- Every couple page already loads the couple row (`couples.access.current_access`, one
  query for the couple and both partners), so reading the version is free. A version kept
  in the cache would cost one more round trip per page, and with the database cache (the
  one-box install) that is one more query.
- It changes exactly when the data does. Under READ COMMITTED a reader that sees the new
  number sees the new rows too; one that reads the old number may cache newer data under
  it, which nobody asks for again. With `on_commit` there is a moment after the commit and
  before the bump, and a process that dies in it leaves a stale page until the day turns.
- A cache flush or eviction cannot reset it, so an old number (and an old page cached
  under it) never comes back. `Couple.save()` leaves the column alone, so saving a couple
  loaded a while ago cannot move it backwards either.
- The tests see it as production does: pytest-django's `db` fixture never runs
  `on_commit` callbacks.

The price is one small UPDATE per write, and the couple's row lock held until that write
commits, so two writes to the same couple take turns (there are two people in a couple).

What bumps it, without anyone calling it
----------------------------------------
`watch_all()` runs from `CouplesConfig.ready`, once every app's models are loaded, and
watches:

- `Couple` itself (its own saves and queryset updates);
- every model with a direct ForeignKey named `couple` to Couple, in any app, so a new
  practice is covered by having that key and nothing else;
- every model with a ForeignKey to one of those (an answer through its question, a
  reflection through its date night, a favourite through a couple's own prompt).

For each it bumps on `post_save`, `post_delete` and `m2m_changed`, and, since Django's
queryset `update()` and `bulk_create()` send no signals, on those too (`bulk_update` goes
through `update`): the scheduled note that arrives in a Celery task, a swap, a reaction
and "we talked about it" are all queryset updates. A person editing their own name or
time zone bumps every couple they sit in. Raw SQL is not seen: call `bump()` after it.

Reading it
----------
`cache_key(request, access, name, *parts)` builds a key from the couple, its version, the
viewer, the couple's local date (the day turning is a miss), the viewer's time zone and
the active language. Cache data or HTML that holds nothing per request: never a
fragment with a CSRF token or a CSP nonce in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import weakref
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F
from django.db.models.query import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from .models import Couple, User

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from django.http import HttpRequest

    from .access import CoupleAccess

# model -> lookup from one of its rows to the couple's id ("pk", "couple_id",
# "question__couple_id")
WATCHED: dict[type[models.Model], str] = {}
# A person's own edits that show on the partner's pages; logins touch none of these.
USER_FIELDS_SEEN = {"display_name", "timezone", "first_name", "last_name", "email"}

_original_update = QuerySet.update
_original_bulk_create = QuerySet.bulk_create


# --- Bumping -------------------------------------------------------------------------


def bump_where(couples: QuerySet) -> None:
    """Bumps the version of every couple in `couples`."""
    _original_update(couples, version=F("version") + 1)


def bump(couple: Couple | Any) -> None:
    """Bumps one couple's version (a Couple or its id). For writes the signals cannot see."""
    bump_where(Couple.objects.filter(pk=getattr(couple, "pk", couple)))


def _couples_of(model: type[models.Model], path: str, rows: QuerySet) -> QuerySet:
    return Couple.objects.using(rows.db).filter(pk__in=rows.values(path))


def _bump_instance(instance: models.Model, using: str | None = None) -> None:
    model = instance._meta.concrete_model
    path = WATCHED.get(model)
    if path is None:
        return
    if path == "pk":
        couple_id = instance.pk
    elif path == "couple_id":
        couple_id = instance.couple_id
    else:
        # A row one step from the couple: find the couple through its parent, in one query.
        fk_name = path.split("__", 1)[0]
        field = model._meta.get_field(fk_name)
        parent_id = getattr(instance, field.attname)
        if parent_id is None:
            return
        parents = field.related_model._default_manager.using(using).filter(pk=parent_id)
        bump_where(_couples_of(field.related_model, "couple_id", parents))
        return
    if couple_id is not None:
        bump_where(Couple.objects.using(using).filter(pk=couple_id))


def _on_save(sender, instance, raw=False, using=None, **kwargs) -> None:
    if not raw:  # loaddata: nothing is on screen yet
        _bump_instance(instance, using)


# One delete() call sends post_delete for every row it takes (a deleted account takes its
# notes, answers...): bump each couple once per call, not once per row.
_bumped_by: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _on_delete(sender, instance, using=None, origin=None, **kwargs) -> None:
    if isinstance(origin, Couple) or (isinstance(origin, QuerySet) and origin.model is Couple):
        return  # the couple itself is going: nobody will see its pages again
    if origin is None:
        _bump_instance(instance, using)
        return
    model = instance._meta.concrete_model
    path = WATCHED.get(model)
    if path is None:
        return
    fk_name = "pk" if path == "pk" else path.split("__", 1)[0]
    target = (model if "__" in path else Couple, getattr(instance, _attname(model, fk_name)))
    try:
        seen = _bumped_by.setdefault(origin, set())
    except TypeError:  # an origin that cannot be weakly referenced: bump every time
        _bump_instance(instance, using)
        return
    if target not in seen:
        seen.add(target)
        _bump_instance(instance, using)


def _attname(model: type[models.Model], name: str) -> str:
    return "pk" if name == "pk" else model._meta.get_field(name).attname


def _on_m2m(sender, instance, action, model, pk_set, using=None, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    _bump_instance(instance, using)
    other = model._meta.concrete_model
    if pk_set and other in WATCHED:
        rows = other._default_manager.using(using).filter(pk__in=pk_set)
        bump_where(_couples_of(other, WATCHED[other], rows))


def _on_user_save(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and not set(update_fields) & USER_FIELDS_SEEN):
        return
    bump_where(Couple.objects.filter(memberships__user=instance))


def _update(self: QuerySet, **kwargs):
    """QuerySet.update, bumping the couples of the rows it changes first (in the same
    transaction, so nobody sees the new version before the new data)."""
    path = WATCHED.get(self.model._meta.concrete_model)
    if path is None:
        return _original_update(self, **kwargs)
    if path == "pk":  # Couple itself
        return _original_update(self, **kwargs, version=F("version") + 1)
    with transaction.atomic(using=self.db, savepoint=False):
        bump_where(_couples_of(self.model, path, self))
        return _original_update(self, **kwargs)


_update.alters_data = True
_update.queryset_only = False


def _bulk_create(self: QuerySet, objs: Iterable, *args, **kwargs):
    objs = list(objs)
    path = WATCHED.get(self.model._meta.concrete_model)
    if path is None or path == "pk" or not objs:
        return _original_bulk_create(self, objs, *args, **kwargs)
    with transaction.atomic(using=self.db, savepoint=False):
        created = _original_bulk_create(self, objs, *args, **kwargs)
        fk_name = path.split("__", 1)[0]
        field = self.model._meta.get_field(fk_name if path != "couple_id" else "couple")
        ids = {getattr(obj, field.attname) for obj in objs} - {None}
        if path == "couple_id":
            couples = Couple.objects.using(self.db).filter(pk__in=ids)
        else:
            parents = field.related_model._default_manager.using(self.db).filter(pk__in=ids)
            couples = _couples_of(field.related_model, "couple_id", parents)
        if ids:
            bump_where(couples)
        return created


_bulk_create.alters_data = True


# --- Watching ------------------------------------------------------------------------


def _couple_fk(model: type[models.Model]) -> models.ForeignKey | None:
    try:
        field = model._meta.get_field("couple")
    except FieldDoesNotExist:  # not a couple's model
        return None
    if isinstance(field, models.ForeignKey) and field.related_model is Couple:
        return field
    return None


def watch(model: type[models.Model], path: str) -> None:
    """Bumps the couple's version on every write to `model`, whose rows reach their
    couple's id through `path`. `watch_all` calls it; call it for a model further away."""
    WATCHED[model] = path
    uid = f"couple-version-{model._meta.label_lower}"
    post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete")
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            _on_m2m, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
        )


def discover() -> dict[type[models.Model], str]:
    """Couple, every model with a `couple` ForeignKey to it, and every model with a
    ForeignKey to one of those: model -> path to the couple's id."""
    found: dict[type[models.Model], str] = {Couple: "pk"}
    direct = [m for m in apps.get_models() if m._meta.proxy is False and _couple_fk(m)]
    found.update({m: "couple_id" for m in direct})
    for model in apps.get_models():
        # A person is watched on their own terms (_on_user_save: their couples, for the
        # fields a partner sees), not through the invitation they may be holding.
        if model in found or model._meta.proxy or model is User:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model in direct:
                found[model] = f"{field.name}__couple_id"
                break
    return found


def watch_all() -> None:
    for model, path in discover().items():
        watch(model, path)
    post_save.connect(_on_user_save, sender=User, dispatch_uid="couple-version-user")
    QuerySet.update = _update
    QuerySet.bulk_create = _bulk_create


# --- Reading -------------------------------------------------------------------------


def cache_key(request: HttpRequest, access: CoupleAccess, name: str, *parts: Any) -> str:
    """The key for `name` as `access.me` sees it now: the couple, its version, the viewer,
    the couple's local date, the viewer's time zone, the language and `parts`, hashed so
    that a long query string cannot make it too long for the cache."""
    couple = access.couple
    # The language the page is rendered in (the person's own, couples/middleware.py):
    # cached text is in it.
    language = translation.get_language() or settings.LANGUAGE_CODE
    vary = ":".join(
        str(part)
        for part in (
            couple.version,
            access.me.pk,
            couple.local_today().isoformat(),
            access.me.timezone,
            language,
            *parts,
        )
    )
    digest = hashlib.sha256(vary.encode()).hexdigest()[:32]
    return f"couple-page:{name}:{couple.pk}:{digest}"


def cached(
    request: HttpRequest,
    access: CoupleAccess,
    name: str,
    compute: Callable[[], Any],
    *parts: Any,
    timeout: float = 3600,
) -> Any:
    """What `compute()` returns, from the cache when this couple has not changed since.

    `compute` may return `CachedUntil(value, until)`: `until` (an aware datetime) is when
    the value goes out of date by itself (a planned date starting), and caps how long it
    is kept.
    """
    key = cache_key(request, access, name, *parts)
    found = cache.get(key)
    if found is not None:
        return found[0]
    value = compute()
    until = None
    if isinstance(value, CachedUntil):
        value, until = value.value, value.until
    if until is not None:
        from django.utils import timezone

        timeout = min(timeout, max((until - timezone.now()).total_seconds(), 0))
    if timeout > 0:
        cache.set(key, (value,), timeout)
    return value


class CachedUntil:
    """Returned by a `cached` compute function: `value`, good until `until` at the latest."""

    __slots__ = ("until", "value")

    def __init__(self, value: Any, until: dt.datetime | None) -> None:
        self.value, self.until = value, until
