"""The blog scenario: ~80 everyday ORM operations, written once, run on Django and on tether.

Every step is a function of the namespace `ns` (the models plus `models`, `transaction`,
`exceptions`, `Prefetch`, `connection`) that returns plain data; `run_steps()` runs them in
order, each in its own atomic block so that a step that raises leaves the transaction usable,
and returns `[(name, outcome), ...]` to compare. Outcomes never show primary keys or
timestamps (the two databases number rows and stamp them differently).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

JOINED = datetime.date(2024, 1, 15)
STEPS: list[tuple[str, Callable[[Any], Any]]] = []
DB_ERRORS = {"IntegrityError", "OperationalError", "ProgrammingError", "DataError"}


def step(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    STEPS.append((func.__name__, func))
    return func


def normalize(text: str) -> str:
    """The Django twins' app label as tether's; a field's repr without its module path."""
    text = text.replace("diffblog_twin", "diffblog")
    return re.sub(r"<[\w.]+\.(\w+): ", r"<\1: ", text)


def clean(value: Any) -> Any:
    """`value` with the Django twins' app label written as tether's, at any depth (model
    instances, which never equal the other side's, as their repr)."""
    if hasattr(value, "_meta"):
        return repr(value)
    if isinstance(value, str):
        return normalize(value)
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean(v) for v in value)
    return value


def outcome(ns: Any, func: Callable[[Any], Any]) -> tuple[str, Any]:
    try:
        with ns.transaction.atomic():
            return ("ok", clean(func(ns)))
    except Exception as exc:
        name = type(exc).__name__
        if name in DB_ERRORS:  # the message is the backend's own
            return (name, None)
        return (name, normalize(str(exc)))


def run_steps(ns: Any, steps: list[tuple[str, Callable[[Any], Any]]] = STEPS) -> list:
    return [(name, outcome(ns, func)) for name, func in steps]


def strs(objects: Any) -> list[str]:
    return [str(o) for o in objects]


def Q(ns: Any, *args: Any, **kwargs: Any) -> Any:
    return ns.models.Q(*args, **kwargs)


# -- data ---------------------------------------------------------------------------------


@step
def seed(ns):
    m = ns
    ann = m.Author.objects.create(name="ann", email="ann@example.com", rating=5)
    bob = m.Author.objects.create(name="bob", rating=0)
    cy = m.Author(name="cy", rating=3)
    cy.save()
    m.Profile.objects.create(author=ann, bio="Writes about ORMs", prefs={"theme": "dark"})
    m.Profile.objects.create(author=bob, bio="", prefs={"theme": "light", "size": 2})
    python, orm = (m.Tag.objects.create(name=n) for n in ("python", "orm"))
    intro = m.Post.objects.create(author=ann, title="Intro", status="pub", views=10)
    intro.tags.add(python, orm)
    deep = ann.posts.create(title="Deep dive", views=3, meta={"level": 3})
    deep.tags.set([orm])
    hello = m.Post.objects.create(author=bob, title="Hello", status="pub", views=7)
    python.posts.add(hello)
    m.Post.objects.create(author=cy, title="Notes")
    m.Comment.objects.create(post=intro, body="nice", score=2)
    m.Comment.objects.create(post=intro, body="meh")
    hello.comments.create(body="wow", score=5)
    writers = m.Group.objects.create(name="writers")
    editors = m.Group.objects.create(name="editors")
    m.Membership.objects.create(group=writers, author=ann, role=3, joined=JOINED)
    m.Membership.objects.create(group=writers, author=bob, joined=JOINED)
    editors.members.add(ann, through_defaults={"role": 2, "joined": JOINED})
    return [m.Author.objects.count(), m.Post.objects.count(), m.Comment.objects.count()]


# -- reading ------------------------------------------------------------------------------


@step
def all_authors(ns):
    return repr(ns.Author.objects.all())


@step
def all_posts_meta_ordering(ns):
    return repr(ns.Post.objects.all())


@step
def custom_queryset_method(ns):
    return repr(ns.Post.objects.published())


@step
def custom_manager_method(ns):
    return strs(ns.Author.objects.rated())


@step
def from_queryset_method(ns):
    return [(str(a), a.n_posts) for a in ns.Author.objects.prolific().order_by("name")]


@step
def chained_custom_method(ns):
    return strs(ns.Post.objects.filter(views__gt=5).published().order_by("title"))


@step
def forward_fk_filter(ns):
    return strs(ns.Post.objects.filter(author__name="ann"))


@step
def reverse_fk_filter(ns):
    return strs(ns.Author.objects.filter(posts__views__gte=7))


@step
def m2m_two_hops(ns):
    return strs(ns.Author.objects.filter(posts__tags__name="python").distinct())


@step
def reverse_m2m_filter(ns):
    return strs(ns.Tag.objects.filter(posts__author__rating__gte=3).distinct())


@step
def one_to_one_reverse_filter(ns):
    return strs(ns.Author.objects.filter(profile__bio=""))


@step
def json_key_filter(ns):
    return strs(ns.Author.objects.filter(profile__prefs__theme="dark"))


@step
def json_has_key(ns):
    return strs(ns.Profile.objects.filter(prefs__has_key="size"))


@step
def q_and_not(ns):
    return strs(ns.Post.objects.filter(Q(ns, status="pub") & ~Q(ns, author__name="bob")))


@step
def q_or_across_m2m(ns):
    return strs(ns.Post.objects.filter(Q(ns, views__gt=7) | Q(ns, tags__name="orm")).distinct())


@step
def exclude_m2m(ns):
    return strs(ns.Post.objects.exclude(tags__name="python"))


@step
def exclude_reverse_fk(ns):
    return strs(ns.Post.objects.exclude(comments__score__gt=1))


@step
def isnull_reverse(ns):
    return strs(ns.Author.objects.filter(posts__comments__isnull=True).distinct())


@step
def through_field_filter(ns):
    return strs(ns.Author.objects.filter(clubs__name="writers", membership__role=3))


@step
def group_by_through(ns):
    return strs(ns.Group.objects.filter(membership__role=ns.Membership.Role.EDITOR))


@step
def in_lookup_queryset(ns):
    rated = ns.Author.objects.filter(rating__gt=2)
    return strs(ns.Post.objects.filter(author__in=rated))


@step
def range_and_in(ns):
    return strs(ns.Post.objects.filter(views__range=(1, 9), status__in=["pub", "draft"]))


@step
def annotate_count(ns):
    qs = ns.Post.objects.annotate(n=ns.models.Count("comments")).order_by("title")
    return list(qs.values_list("title", "n"))


@step
def annotate_sum_with_filter(ns):
    m = ns.models
    qs = ns.Author.objects.annotate(
        total=m.Sum("posts__views"),
        published=m.Count("posts", filter=Q(ns, posts__status="pub")),
    ).order_by("name")
    return list(qs.values("name", "total", "published"))


@step
def annotate_count_distinct(ns):
    qs = ns.Author.objects.annotate(n=ns.models.Count("posts__tags", distinct=True))
    qs = qs.order_by("name")  # a grouped query drops Meta.ordering (Django 3.1+)
    return list(qs.values_list("name", "n"))


@step
def annotate_then_filter(ns):
    qs = ns.Tag.objects.annotate(n=ns.models.Count("posts")).filter(n__gte=2).order_by("name")
    return strs(qs)


@step
def annotate_order(ns):
    qs = ns.Tag.objects.annotate(n=ns.models.Count("posts")).order_by("-n", "name")
    return list(qs.values_list("name", "n"))


@step
def annotate_f_expression(ns):
    qs = ns.Post.objects.annotate(double=ns.models.F("views") * 2).order_by("title")
    return [(p.title, p.double) for p in qs]


@step
def aggregate(ns):
    m = ns.models
    return ns.Post.objects.aggregate(
        m.Sum("views"),
        m.Max("views"),
        total=m.Count("id"),
        pub=m.Count("id", filter=Q(ns, status="pub")),
    )


@step
def aggregate_empty(ns):
    return ns.Post.objects.filter(views__gt=100).aggregate(s=ns.models.Sum("views"))


@step
def values_across_relations(ns):
    qs = ns.Post.objects.values("title", "author__name").order_by("author__name", "title")
    return list(qs)


@step
def values_json(ns):
    return list(ns.Post.objects.filter(title="Deep dive").values("meta"))


@step
def values_list_flat(ns):
    return list(ns.Post.objects.order_by("author__rating", "title").values_list("title", flat=True))


@step
def values_list_named(ns):
    rows = ns.Author.objects.values_list("name", "rating", named=True)
    return [(r.name, r.rating) for r in rows]


@step
def values_reverse_m2m(ns):
    return list(ns.Tag.objects.values_list("name", "posts__title").order_by("name", "posts__title"))


@step
def order_by_across_relations(ns):
    return strs(ns.Post.objects.order_by("-author__name", "title"))


@step
def order_by_reverse(ns):
    return strs(ns.Post.objects.all().reverse())


@step
def select_related(ns):
    from_db = ns.Post.objects.select_related("author").get(title="Intro")
    return (from_db.author.name, "author" in from_db._state.fields_cache)


@step
def select_related_one_to_one(ns):
    profile = ns.Profile.objects.select_related("author").order_by("author__name")
    return [(p.author.name, p.prefs) for p in profile]


@step
def only_defer(ns):
    only = ns.Post.objects.only("title").get(title="Intro")
    deferred = ns.Post.objects.defer("meta", "views").get(title="Intro")
    cleared = ns.Post.objects.defer("views").defer(None).get(title="Intro")
    return (
        sorted(only.get_deferred_fields()),
        only.views,
        sorted(only.get_deferred_fields()),
        sorted(deferred.get_deferred_fields()),
        sorted(cleared.get_deferred_fields()),
    )


@step
def only_defer_chaining(ns):
    def deferred(qs):
        return sorted(qs.get(title="Intro").get_deferred_fields())

    qs = ns.Post.objects
    return [
        deferred(qs.only("title").only("views")),
        deferred(qs.only("title", "views").defer("views")),
        deferred(qs.only("title").defer("title")),
        deferred(qs.defer("title").only("title", "views")),
        deferred(qs.defer("title").defer("views")),
        deferred(qs.only("pk")),
        deferred(qs.only("author")),
        deferred(qs.defer("author_id")),
    ]


@step
def only_with_select_related(ns):
    post = ns.Post.objects.select_related("author").only("title", "author__name")
    post = post.get(title="Intro")
    nested = ns.Post.objects.only("author__name").get(title="Intro")
    return (
        sorted(post.get_deferred_fields()),
        sorted(post.author.get_deferred_fields()),
        post.author.name,
        sorted(nested.get_deferred_fields()),
    )


@step
def defer_with_select_related(ns):
    post = ns.Post.objects.select_related("author").defer("author__email", "views")
    post = post.get(title="Intro")
    return (sorted(post.get_deferred_fields()), sorted(post.author.get_deferred_fields()))


@step
def only_traversed_by_select_related(ns):
    return list(ns.Post.objects.select_related("author").only("title"))


@step
def defer_traversed_by_select_related(ns):
    return list(ns.Post.objects.select_related("author").defer("author"))


@step
def only_unknown_field(ns):
    return list(ns.Post.objects.only("nope"))


@step
def defer_unknown_field(ns):
    return list(ns.Post.objects.defer("nope"))


@step
def only_values_ignored(ns):
    return list(ns.Post.objects.only("title").values("title", "views").order_by("title"))


@step
def only_after_values(ns):
    return ns.Post.objects.values("title").only("title")


@step
def only_none(ns):
    return ns.Post.objects.only(None)


@step
def save_deferred_instance(ns):
    post = ns.Post.objects.only("title").get(title="Notes")
    post.title = "Notes"
    ns.Post.objects.filter(title="Notes").update(views=42)
    post.save()
    return ns.Post.objects.get(title="Notes").views


@step
def refresh_deferred_instance(ns):
    post = ns.Post.objects.defer("views").get(title="Intro")
    post.refresh_from_db()
    before = sorted(post.get_deferred_fields())
    post.refresh_from_db(fields=["views"])
    return (before, sorted(post.get_deferred_fields()))


@step
def prefetch_m2m(ns):
    qs = ns.Post.objects.prefetch_related("tags").order_by("title")
    return [(p.title, strs(p.tags.all())) for p in qs]


@step
def prefetch_to_attr(ns):
    good = ns.Comment.objects.filter(score__gt=0)
    qs = ns.Post.objects.prefetch_related(ns.Prefetch("comments", queryset=good, to_attr="good"))
    return [(p.title, strs(p.good)) for p in qs.order_by("title")]


@step
def prefetch_nested(ns):
    qs = ns.Author.objects.prefetch_related("posts__comments")
    return [(a.name, [(p.title, strs(p.comments.all())) for p in a.posts.all()]) for a in qs]


@step
def in_bulk_field(ns):
    found = ns.Author.objects.in_bulk(["ann", "bob", "zed"], field_name="name")
    return sorted((k, str(v)) for k, v in found.items())


@step
def in_bulk_pks(ns):
    pks = list(ns.Tag.objects.values_list("pk", flat=True))
    return sorted(str(t) for t in ns.Tag.objects.in_bulk(pks).values())


@step
def first_last(ns):
    return (str(ns.Post.objects.first()), str(ns.Post.objects.last()))


@step
def first_unordered_by_field(ns):
    return str(ns.Author.objects.order_by("-rating").first())


@step
def earliest_latest(ns):
    return (str(ns.Post.objects.earliest("views")), str(ns.Post.objects.latest("views", "title")))


@step
def latest_empty(ns):
    return ns.Post.objects.filter(views__gt=100).latest("views")


@step
def exists_count(ns):
    p = ns.Post.objects
    return (p.filter(status="pub").exists(), p.filter(title="x").exists(), p.count())


@step
def slicing(ns):
    qs = ns.Post.objects.all()
    return (strs(qs[1:3]), str(qs[0]), strs(qs[2:]), qs[:2].count())


@step
def slicing_out_of_range(ns):
    return ns.Post.objects.all()[10]


@step
def iterator(ns):
    return [str(p) for p in ns.Post.objects.iterator(chunk_size=2)]


@step
def none_qs(ns):
    return (repr(ns.Post.objects.none()), ns.Post.objects.none().count())


@step
def get_display(ns):
    p = ns.Post.objects.get(title="Intro")
    m = ns.Membership.objects.get(group__name="editors")
    return (p.get_status_display(), m.get_role_display(), str(m))


@step
def choices_enum(ns):
    s = ns.Post.Status
    return (s.choices, s.PUBLISHED.label, str(s.DRAFT), ns.Membership.Role.OWNER.label)


@step
def one_to_one_access(ns):
    ann = ns.Author.objects.get(name="ann")
    return (ann.profile.bio, str(ann.profile))


@step
def one_to_one_missing(ns):
    return ns.Author.objects.get(name="cy").profile


@step
def get_missing(ns):
    return ns.Post.objects.get(title="nope")


@step
def get_multiple(ns):
    return ns.Post.objects.get(status="pub")


@step
def m2m_reverse_and_through_managers(ns):
    ann = ns.Author.objects.get(name="ann")
    writers = ns.Group.objects.get(name="writers")
    return (strs(ann.clubs.all()), strs(writers.members.all()), strs(ann.posts.all()))


# -- writing ------------------------------------------------------------------------------


@step
def get_or_create_existing(ns):
    obj, created = ns.Author.objects.get_or_create(name="ann")
    return (str(obj), created)


@step
def get_or_create_new(ns):
    obj, created = ns.Author.objects.get_or_create(name="dan", defaults={"rating": 1})
    return (str(obj), obj.rating, created)


@step
def update_or_create_update(ns):
    obj, created = ns.Author.objects.update_or_create(name="dan", defaults={"rating": 4})
    return (obj.rating, created, ns.Author.objects.get(name="dan").rating)


@step
def update_or_create_create_defaults(ns):
    obj, created = ns.Author.objects.update_or_create(
        name="eve", defaults={"rating": 1}, create_defaults={"rating": 9}
    )
    return (obj.rating, created)


@step
def reverse_get_or_create(ns):
    ann = ns.Author.objects.get(name="ann")
    post, created = ann.posts.get_or_create(title="Intro")
    return (str(post), created, post.author_id == ann.pk)


@step
def update_with_f(ns):
    n = ns.Post.objects.filter(status="pub").update(views=ns.models.F("views") + 1)
    return (n, list(ns.Post.objects.values_list("title", "views").order_by("title")))


@step
def update_across_relation_filter(ns):
    return ns.Comment.objects.filter(post__author__name="bob").update(score=0)


@step
def save_update_fields(ns):
    p = ns.Post.objects.get(title="Notes")
    p.views = 4
    p.title = "Changed in memory only"
    p.save(update_fields=["views"])
    p.refresh_from_db()
    return (p.title, p.views)


@step
def bulk_create(ns):
    made = ns.Tag.objects.bulk_create([ns.Tag(name=n) for n in ("sql", "async", "web")])
    return (len(made), all(t.pk is not None for t in made), ns.Tag.objects.count())


@step
def bulk_create_ignore_conflicts(ns):
    made = ns.Tag.objects.bulk_create(
        [ns.Tag(name="sql"), ns.Tag(name="new")], ignore_conflicts=True
    )
    return (len(made), ns.Tag.objects.count())


@step
def bulk_update(ns):
    posts = list(ns.Post.objects.order_by("title"))
    for i, p in enumerate(posts):
        p.views = i * 100
    n = ns.Post.objects.bulk_update(posts, ["views"], batch_size=2)
    return (n, list(ns.Post.objects.values_list("title", "views")))


@step
def m2m_add_remove_set_clear(ns):
    post = ns.Post.objects.get(title="Notes")
    sql, web = ns.Tag.objects.get(name="sql"), ns.Tag.objects.get(name="web")
    post.tags.add(sql, web)
    after_add = strs(post.tags.all())
    post.tags.remove(sql)
    after_remove = strs(post.tags.all())
    post.tags.set([sql.pk])
    after_set = strs(post.tags.all())
    post.tags.clear()
    return (after_add, after_remove, after_set, post.tags.count())


@step
def m2m_create_through_manager(ns):
    post = ns.Post.objects.get(title="Hello")
    tag = post.tags.create(name="greeting")
    return (str(tag), strs(tag.posts.all()))


@step
def through_add_and_remove(ns):
    editors = ns.Group.objects.get(name="editors")
    cy = ns.Author.objects.get(name="cy")
    editors.members.add(cy, through_defaults={"joined": JOINED})
    roles = list(editors.membership_set.values_list("author__name", "role"))
    editors.members.remove(cy)
    return (roles, strs(editors.members.all()))


@step
def unique_constraint_violation(ns):
    ann = ns.Author.objects.get(name="ann")
    return ns.Post.objects.create(author=ann, title="Intro")


@step
def unique_validation_message(ns):
    ann = ns.Author.objects.get(name="ann")
    ns.Post(author=ann, title="Intro", status="pub").validate_constraints()


@step
def unique_field_full_clean(ns):
    ns.Author(name="ann", rating=1).full_clean()


@step
def choices_full_clean(ns):
    ann = ns.Author.objects.get(name="ann")
    ns.Post(author=ann, title="Other", status="bogus").full_clean()


@step
def unique_together_violation_message(ns):
    m = ns.Membership.objects.get(group__name="editors")
    ns.Membership(group=m.group, author=m.author, joined=JOINED).validate_unique()


@step
def savepoint_rollback(ns):
    t = ns.transaction
    ns.Tag.objects.create(name="kept")
    try:
        with t.atomic():
            ns.Tag.objects.create(name="dropped")
            raise ValueError("undo")
    except ValueError:
        pass
    sid = t.savepoint()
    ns.Tag.objects.create(name="also dropped")
    t.savepoint_rollback(sid)
    return strs(ns.Tag.objects.filter(name__in=["kept", "dropped", "also dropped"]))


@step
def integrity_error_in_savepoint(ns):
    t = ns.transaction
    try:
        with t.atomic():
            ns.Tag.objects.create(name="python")
    except Exception as exc:
        caught = type(exc).__name__
    return (caught, ns.Tag.objects.filter(name="python").count())


@step
def delete_comment(ns):
    return ns.Comment.objects.filter(body="meh").delete()


@step
def delete_post_cascades(ns):
    return ns.Post.objects.get(title="Intro").delete()


@step
def delete_author_cascades(ns):
    counts = ns.Author.objects.filter(name="bob").delete()
    left = (ns.Post.objects.count(), ns.Comment.objects.count(), ns.Profile.objects.count())
    return (counts, left)


@step
def delete_group_cascades_through(ns):
    return ns.Group.objects.filter(name="writers").delete()


@step
def delete_nothing(ns):
    return ns.Post.objects.filter(title="nope").delete()


@step
def final_state(ns):
    return {
        "authors": list(ns.Author.objects.values_list("name", "rating")),
        "posts": list(ns.Post.objects.values_list("title", "author__name", "status", "views")),
        "tags": strs(ns.Tag.objects.all()),
        "comments": list(ns.Comment.objects.values_list("body", "post__title", "score")),
        "memberships": strs(ns.Membership.objects.all()),
        "profiles": list(ns.Profile.objects.values_list("author__name", "prefs")),
    }
