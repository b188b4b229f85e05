"""Bad input a Django user passes by mistake (or an attacker on purpose), written once.

Each case is a function of the namespace (see scenario.py) that is expected to raise; the test
compares the exception's class and message with Django's, checks that the database is exactly
as before, and that hostile strings reach SQL only as bound parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HOSTILE = "'; DROP TABLE diffblog_post; --"
QUOTES = 'O\'Brien "quoted" `tick`'
NUL = "nul\x00byte"
# Strings that must never be found in SQL text (only in its parameters).
MARKERS = ["DROP TABLE", "O'Brien", "\x00", "nope", "Robert'"]

CASES: list[tuple[str, Callable[[Any], Any]]] = []


def case(func: Callable[[Any], Any]) -> Callable[[Any], Any]:
    CASES.append((func.__name__, func))
    return func


def ann(ns: Any) -> Any:
    return ns.Author.objects.get(name="ann")


def intro(ns: Any) -> Any:
    return ns.Post.objects.get(title="Intro")


def python(ns: Any) -> Any:
    return ns.Tag.objects.get(name="python")


# -- unknown names ------------------------------------------------------------------------


@case
def filter_unknown_field(ns):
    return list(ns.Post.objects.filter(nope=1))


@case
def filter_unknown_across_relation(ns):
    return list(ns.Post.objects.filter(author__nope="x"))


@case
def filter_unknown_lookup(ns):
    return list(ns.Post.objects.filter(title__nope="x"))


@case
def filter_unknown_lookup_after_relation(ns):
    return list(ns.Post.objects.filter(author__name__nope="x"))


@case
def exclude_unknown_field(ns):
    return list(ns.Post.objects.exclude(nope=1))


@case
def q_unknown_field(ns):
    return list(ns.Post.objects.filter(ns.models.Q(title="x") | ns.models.Q(nope=2)))


@case
def get_unknown_field(ns):
    return ns.Post.objects.get(nope=1)


@case
def create_unknown_field(ns):
    return ns.Post.objects.create(author=ann(ns), title="x", nope=1)


@case
def create_two_unknown_fields(ns):
    return ns.Tag.objects.create(name="x", nope=1, nada=2)


@case
def init_unknown_field(ns):
    return ns.Tag(name="x", nope=1)


@case
def update_unknown_field(ns):
    return ns.Post.objects.update(nope=1)


@case
def update_m2m_field(ns):
    return ns.Post.objects.update(tags=1)


@case
def update_across_relation(ns):
    return ns.Post.objects.update(author__name="x")


@case
def update_f_unknown(ns):
    return ns.Post.objects.update(views=ns.models.F("nope") + 1)


@case
def order_by_unknown(ns):
    return list(ns.Post.objects.order_by("nope"))


@case
def values_unknown(ns):
    return list(ns.Post.objects.values("title", "nope"))


@case
def values_list_unknown(ns):
    return list(ns.Post.objects.values_list("nope", flat=True))


@case
def annotate_unknown(ns):
    return list(ns.Author.objects.annotate(n=ns.models.Count("nope")))


@case
def aggregate_unknown(ns):
    return ns.Post.objects.aggregate(ns.models.Sum("nope"))


@case
def get_or_create_unknown_default(ns):
    return ns.Tag.objects.get_or_create(name="new", defaults={"nope": 1})


@case
def update_or_create_unknown_default(ns):
    return ns.Tag.objects.update_or_create(name="python", defaults={"nope": 1})


@case
def update_or_create_unknown_lookup(ns):
    return ns.Tag.objects.update_or_create(nope="python", defaults={"name": "x"})


@case
def bulk_update_unknown(ns):
    return ns.Post.objects.bulk_update([intro(ns)], ["nope"])


@case
def bulk_update_pk(ns):
    return ns.Post.objects.bulk_update([intro(ns)], ["id"])


@case
def bulk_update_m2m(ns):
    return ns.Post.objects.bulk_update([intro(ns)], ["tags"])


@case
def in_bulk_unknown_field(ns):
    return ns.Author.objects.in_bulk(["ann"], field_name="nope")


@case
def in_bulk_non_unique(ns):
    return ns.Author.objects.in_bulk([1], field_name="rating")


@case
def in_bulk_after_values(ns):
    return ns.Author.objects.values("name").in_bulk()


@case
def select_related_unknown(ns):
    return list(ns.Post.objects.select_related("nope"))


@case
def select_related_non_relational(ns):
    return list(ns.Post.objects.select_related("title"))


@case
def prefetch_unknown(ns):
    return list(ns.Post.objects.prefetch_related("nope"))


@case
def save_update_fields_unknown(ns):
    post = intro(ns)
    post.views = 99
    post.save(update_fields=["views", "nope"])


# -- wrong value types --------------------------------------------------------------------


@case
def filter_string_for_integer(ns):
    return list(ns.Post.objects.filter(views="abc"))


@case
def get_string_for_pk(ns):
    return ns.Post.objects.get(pk="abc")


@case
def create_string_for_integer(ns):
    return ns.Post.objects.create(author=ann(ns), title="x", views="many")


@case
def update_string_for_integer(ns):
    return ns.Post.objects.update(views="many")


@case
def filter_list_for_integer(ns):
    return list(ns.Post.objects.filter(views=[1, 2]))


@case
def filter_dict_for_integer(ns):
    return list(ns.Post.objects.filter(views={"a": 1}))


@case
def filter_bad_datetime(ns):
    return list(ns.Post.objects.filter(created="yesterday"))


@case
def in_lookup_not_iterable(ns):
    return list(ns.Post.objects.filter(views__in=5))


@case
def in_lookup_bad_member(ns):
    return list(ns.Post.objects.filter(views__in=[1, "x"]))


@case
def isnull_non_bool(ns):
    return list(ns.Post.objects.filter(title__isnull="yes"))


@case
def fk_assign_wrong_model(ns):
    return ns.Post(author=python(ns), title="x")


@case
def fk_create_wrong_model(ns):
    return ns.Post.objects.create(author=python(ns), title="x")


@case
def fk_filter_wrong_model(ns):
    return list(ns.Post.objects.filter(author=python(ns)))


@case
def fk_filter_in_wrong_model(ns):
    return list(ns.Post.objects.filter(author__in=[python(ns)]))


@case
def m2m_filter_wrong_model(ns):
    return list(ns.Post.objects.filter(tags=ann(ns)))


@case
def reverse_fk_filter_wrong_model(ns):
    return list(ns.Author.objects.filter(posts=python(ns)))


@case
def m2m_add_wrong_model(ns):
    intro(ns).tags.add(ann(ns))


@case
def m2m_add_bad_pk_string(ns):
    intro(ns).tags.add("abc")


@case
def reverse_fk_add_wrong_model(ns):
    ann(ns).posts.add(python(ns))


@case
def m2m_direct_assignment(ns):
    intro(ns).tags = [python(ns)]


@case
def reverse_one_to_one_create(ns):
    return ns.Author.objects.create(name="new", profile=None)


@case
def one_to_one_wrong_model(ns):
    return ns.Profile(author=python(ns))


@case
def choices_bad_value(ns):
    ns.Post(author=ann(ns), title="x", status="bogus").full_clean()


@case
def integer_choices_bad_value(ns):
    m = ns.Membership.objects.first()
    m.role = 9
    m.full_clean()


@case
def negative_index(ns):
    return ns.Post.objects.all()[-1]


@case
def slice_step(ns):
    return ns.Post.objects.all()[0:5:2]


@case
def filter_after_slice(ns):
    return ns.Post.objects.all()[:2].filter(views=1)


@case
def non_int_index(ns):
    return ns.Post.objects.all()["a"]


# -- unsaved instances --------------------------------------------------------------------


@case
def filter_by_unsaved_fk(ns):
    return list(ns.Post.objects.filter(author=ns.Author(name="ghost")))


@case
def filter_by_unsaved_m2m(ns):
    return list(ns.Post.objects.filter(tags=ns.Tag(name="ghost")))


@case
def exclude_by_unsaved(ns):
    return list(ns.Post.objects.exclude(author=ns.Author(name="ghost")))


@case
def unsaved_m2m_manager(ns):
    return ns.Post(author=ann(ns), title="x").tags.all()


@case
def unsaved_reverse_fk_manager(ns):
    return list(ns.Author(name="ghost").posts.all())


@case
def save_with_unsaved_fk(ns):
    ns.Post(author=ns.Author(name="ghost"), title="x").save()


@case
def create_with_unsaved_fk(ns):
    return ns.Post.objects.create(author=ns.Author(name="ghost"), title="x")


@case
def bulk_update_unsaved(ns):
    return ns.Tag.objects.bulk_update([ns.Tag(name="ghost")], ["name"])


@case
def delete_unsaved(ns):
    return ns.Tag(name="ghost").delete()


# -- hostile names and values -------------------------------------------------------------


@case
def hostile_filter_name(ns):
    return list(ns.Post.objects.filter(**{HOSTILE: 1}))


@case
def hostile_lookup_name(ns):
    return list(ns.Post.objects.filter(**{f"title__{HOSTILE}": 1}))


@case
def hostile_order_by(ns):
    return list(ns.Post.objects.order_by(HOSTILE))


@case
def hostile_order_by_desc(ns):
    return list(ns.Post.objects.order_by("-" + HOSTILE))


@case
def hostile_values(ns):
    return list(ns.Post.objects.values(HOSTILE))


@case
def hostile_values_list(ns):
    return list(ns.Post.objects.values_list("title", HOSTILE))


@case
def hostile_values_expression(ns):
    return list(ns.Post.objects.values(**{HOSTILE: ns.models.F("title")}))


@case
def hostile_alias(ns):
    return list(ns.Post.objects.alias(**{HOSTILE: ns.models.Count("id")}))


@case
def hostile_annotate_alias(ns):
    return list(ns.Post.objects.annotate(**{HOSTILE: ns.models.Count("id")}))


@case
def hostile_aggregate_alias(ns):
    return ns.Post.objects.aggregate(**{HOSTILE: ns.models.Count("id")})


@case
def hostile_f(ns):
    return list(ns.Post.objects.filter(views=ns.models.F(HOSTILE)))


@case
def hostile_update_name(ns):
    return ns.Post.objects.update(**{HOSTILE: 1})


@case
def hostile_create_name(ns):
    return ns.Tag.objects.create(**{"name": "x", HOSTILE: 1})


@case
def hostile_select_related(ns):
    return list(ns.Post.objects.select_related(HOSTILE))


@case
def hostile_in_bulk_field(ns):
    return ns.Author.objects.in_bulk(["x"], field_name=HOSTILE)


@case
def hostile_value_in_pk(ns):
    return ns.Post.objects.get(pk=HOSTILE)


@case
def hostile_value_in_integer_update(ns):
    return ns.Post.objects.filter(title="Intro").update(views=HOSTILE)
