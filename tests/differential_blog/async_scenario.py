"""The blog's async steps, written once and run on Django (async_to_sync) and tether (asyncio)."""

from __future__ import annotations

from typing import Any

from .scenario import clean, normalize


async def _outcome(coro: Any) -> tuple[str, Any]:
    try:
        return ("ok", clean(await coro))
    except Exception as exc:
        return (type(exc).__name__, normalize(str(exc)))


async def _names(qs: Any) -> list[str]:
    return [str(o) async for o in qs]


async def async_steps(ns: Any) -> list[tuple[str, Any]]:
    A, P = ns.Author, ns.Post
    out: list[tuple[str, Any]] = []

    async def record(name: str, coro: Any) -> None:
        out.append((name, await _outcome(coro)))

    async def create_author():
        ann = await A.objects.acreate(name="ann", rating=2)
        return (str(ann), ann.pk is not None, ann._state.adding)

    await record("acreate", create_author())
    ann = await A.objects.aget(name="ann")
    await record("aget", _identity(str(ann)))
    await record("aget_missing", A.objects.aget(name="nobody"))
    await record("acreate_post", _post(ns, ann))
    await record("acount", A.objects.acount())
    await record("aexists", P.objects.filter(author__name="ann").aexists())
    await record("async_for", _names(P.objects.filter(author=ann).order_by("title")))
    await record("afirst", _str(P.objects.afirst()))
    await record("alast", _str(P.objects.alast()))
    await record("aget_or_create", _goc(A))
    await record("aupdate_or_create", _uoc(A))
    await record("aupdate", P.objects.filter(views__lt=5).aupdate(views=5))
    await record("aaggregate", P.objects.aaggregate(total=ns.models.Sum("views")))
    await record("ain_bulk", _in_bulk(A))
    await record("avalues", _rows(P.objects.values_list("title", "views").order_by("title")))
    await record("alatest", _str(P.objects.alatest("views", "title")))
    await record("adelete", A.objects.filter(name="ann").adelete())
    await record("acount_after", P.objects.acount())
    return out


async def _identity(value: Any) -> Any:
    return value


async def _str(coro: Any) -> str:
    return str(await coro)


async def _post(ns: Any, author: Any) -> list[str]:
    await ns.Post.objects.acreate(author=author, title="Async one", views=3)
    await ns.Post.objects.acreate(author=author, title="Async two", views=8, status="pub")
    return [str(p) async for p in ns.Post.objects.all()]


async def _goc(A: Any) -> Any:
    one = await A.objects.aget_or_create(name="ann")
    two = await A.objects.aget_or_create(name="ben", defaults={"rating": 7})
    return ((str(one[0]), one[1]), (str(two[0]), two[0].rating, two[1]))


async def _uoc(A: Any) -> Any:
    obj, created = await A.objects.aupdate_or_create(name="ben", defaults={"rating": 1})
    return (obj.rating, created)


async def _in_bulk(A: Any) -> Any:
    found = await A.objects.ain_bulk(["ann", "ben"], field_name="name")
    return sorted(found)


async def _rows(qs: Any) -> list:
    return [row async for row in qs]
