"""Every core lookup, Q objects and the FieldError messages, through QuerySet.filter()."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tether.exceptions import FieldError
from tether.models import Q
from tether.test import TestCase, skipIfDBFeature, skipUnlessDBFeature

from .models import Author, Entry


def names(qs):
    return sorted(str(o) for o in qs)


class LookupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = Author.objects.create(name="Alice", age=30, nickname="al")
        cls.bob = Author.objects.create(name="Bob", age=25, nickname=None)
        cls.carol = Author.objects.create(name="carol", age=None, nickname="cc")
        cls.dave = Author.objects.create(name="Dave O'Brien", age=40, nickname="100%_d")

    def test_exact(self):
        self.assertEqual(names(Author.objects.filter(name="Alice")), ["Alice"])
        self.assertEqual(names(Author.objects.filter(name__exact="Alice")), ["Alice"])
        self.assertEqual(names(Author.objects.filter(age=25)), ["Bob"])

    def test_exact_none_is_isnull(self):
        self.assertEqual(names(Author.objects.filter(age=None)), ["carol"])
        self.assertEqual(names(Author.objects.filter(age__exact=None)), ["carol"])

    def test_iexact(self):
        self.assertEqual(names(Author.objects.filter(name__iexact="ALICE")), ["Alice"])
        self.assertEqual(names(Author.objects.filter(name__iexact="CAROL")), ["carol"])

    def test_contains_and_icontains(self):
        self.assertEqual(names(Author.objects.filter(name__contains="li")), ["Alice"])
        self.assertEqual(names(Author.objects.filter(name__icontains="LI")), ["Alice"])
        self.assertEqual(
            names(Author.objects.filter(name__icontains="o")), ["Bob", "Dave O'Brien", "carol"]
        )

    @skipUnlessDBFeature("has_case_insensitive_like")
    def test_contains_ignores_ascii_case_where_like_does(self):
        # Django on SQLite: LIKE is case-insensitive for ASCII, so contains is too.
        self.assertEqual(names(Author.objects.filter(name__contains="LI")), ["Alice"])

    @skipIfDBFeature("has_case_insensitive_like")
    def test_contains_is_case_sensitive(self):
        self.assertEqual(names(Author.objects.filter(name__contains="LI")), [])

    def test_startswith_endswith(self):
        self.assertEqual(names(Author.objects.filter(name__startswith="Al")), ["Alice"])
        self.assertEqual(names(Author.objects.filter(name__istartswith="al")), ["Alice"])
        self.assertEqual(names(Author.objects.filter(name__endswith="ob")), ["Bob"])
        self.assertEqual(names(Author.objects.filter(name__iendswith="OB")), ["Bob"])
        self.assertEqual(names(Author.objects.filter(name__istartswith="C")), ["carol"])

    def test_wildcards_and_quotes_are_escaped(self):
        self.assertEqual(names(Author.objects.filter(nickname__contains="%")), ["Dave O'Brien"])
        self.assertEqual(names(Author.objects.filter(nickname__contains="_")), ["Dave O'Brien"])
        self.assertEqual(
            names(Author.objects.filter(nickname__startswith="100%")), ["Dave O'Brien"]
        )
        self.assertEqual(names(Author.objects.filter(name__contains="O'B")), ["Dave O'Brien"])
        self.assertEqual(names(Author.objects.filter(name__contains="\\")), [])

    def test_in(self):
        self.assertEqual(
            names(Author.objects.filter(age__in=[25, 40, 99])), ["Bob", "Dave O'Brien"]
        )
        self.assertEqual(names(Author.objects.filter(name__in=("Alice",))), ["Alice"])
        self.assertEqual(
            names(Author.objects.filter(pk__in={self.alice.pk, self.bob.pk})), ["Alice", "Bob"]
        )

    def test_in_empty_list_matches_nothing_without_query(self):
        with self.assertNumQueries(0):
            self.assertEqual(list(Author.objects.filter(age__in=[])), [])
        self.assertEqual(Author.objects.exclude(age__in=[]).count(), 4)

    def test_in_with_none_ignores_it(self):
        self.assertEqual(names(Author.objects.filter(age__in=[None, 30])), ["Alice"])

    def test_in_queryset_subquery(self):
        older = Author.objects.filter(age__gte=30).values("pk")
        with self.assertNumQueries(1):
            self.assertEqual(names(Author.objects.filter(pk__in=older)), ["Alice", "Dave O'Brien"])
        flat = Author.objects.filter(age__lt=30).values_list("name", flat=True)
        self.assertEqual(names(Author.objects.filter(name__in=flat)), ["Bob"])

    def test_in_subquery_must_select_one_field(self):
        with self.assertRaisesMessage(
            ValueError,
            "The QuerySet value for the 'in' lookup must have 1 selected fields (received 2)",
        ):
            Author.objects.filter(name__in=Author.objects.values("name", "age"))

    def test_in_requires_an_iterable(self):
        with self.assertRaises(TypeError):
            Author.objects.filter(age__in=1)

    def test_in_model_queryset_uses_pk(self):
        young = Author.objects.filter(age__lt=30)
        self.assertEqual(names(Author.objects.filter(pk__in=young)), ["Bob"])

    def test_in_subquery_sql_is_nested(self):
        sub = Author.objects.filter(age__gt=26).values("pk")
        sql = str(Author.objects.filter(pk__in=sub).query)
        self.assertEqual(sql.count("SELECT"), 2)

    def test_comparisons(self):
        self.assertEqual(names(Author.objects.filter(age__gt=25)), ["Alice", "Dave O'Brien"])
        self.assertEqual(names(Author.objects.filter(age__gte=30)), ["Alice", "Dave O'Brien"])
        self.assertEqual(names(Author.objects.filter(age__lt=30)), ["Bob"])
        self.assertEqual(names(Author.objects.filter(age__lte=30)), ["Alice", "Bob"])
        self.assertEqual(names(Author.objects.filter(name__gt="Bob")), ["Dave O'Brien", "carol"])

    def test_range(self):
        self.assertEqual(names(Author.objects.filter(age__range=(25, 30))), ["Alice", "Bob"])
        self.assertEqual(names(Author.objects.filter(age__range=[31, 100])), ["Dave O'Brien"])

    def test_isnull(self):
        self.assertEqual(names(Author.objects.filter(age__isnull=True)), ["carol"])
        self.assertEqual(
            names(Author.objects.filter(age__isnull=False)), ["Alice", "Bob", "Dave O'Brien"]
        )

    def test_isnull_requires_boolean(self):
        with self.assertRaisesMessage(
            ValueError, "The QuerySet value for an isnull lookup must be True or False."
        ):
            list(Author.objects.filter(age__isnull="yes"))

    def test_pk_lookups(self):
        self.assertEqual(Author.objects.get(pk=self.bob.pk), self.bob)
        self.assertEqual(
            names(Author.objects.filter(pk__gt=self.bob.pk)), ["Dave O'Brien", "carol"]
        )
        self.assertEqual(Author.objects.get(id__exact=self.carol.pk), self.carol)

    def test_date_lookups(self):
        Entry.objects.create(title="old", published=datetime.date(2020, 1, 1))
        Entry.objects.create(title="new", published=datetime.date(2024, 6, 1))
        Entry.objects.create(title="draft", published=None)
        since = datetime.date(2021, 1, 1)
        self.assertEqual(names(Entry.objects.filter(published__gte=since)), ["new"])
        self.assertEqual(
            names(Entry.objects.filter(published__range=(datetime.date(2019, 1, 1), since))),
            ["old"],
        )
        self.assertEqual(names(Entry.objects.filter(published__isnull=True)), ["draft"])


class QTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Author.objects.create(name="Alice", age=30, nickname="al")
        Author.objects.create(name="Bob", age=25, nickname=None)
        Author.objects.create(name="carol", age=None, nickname="cc")

    def test_and_or_not(self):
        self.assertEqual(names(Author.objects.filter(Q(age=30) | Q(age=25))), ["Alice", "Bob"])
        self.assertEqual(
            names(Author.objects.filter(Q(age__gte=25) & Q(name__startswith="B"))), ["Bob"]
        )
        self.assertEqual(names(Author.objects.filter(~Q(name="Alice"))), ["Bob", "carol"])
        self.assertEqual(
            names(
                Author.objects.filter(Q(age=30) | ~Q(nickname__isnull=True), name__startswith="c")
            ),
            ["carol"],
        )

    def test_q_with_kwargs_and_nesting(self):
        q = (Q(name="Alice") | Q(name="Bob")) & ~Q(age=25)
        self.assertEqual(names(Author.objects.filter(q)), ["Alice"])
        self.assertEqual(names(Author.objects.filter(Q(name="Alice", age=30))), ["Alice"])
        self.assertEqual(names(Author.objects.filter(Q(name="Alice", age=31))), [])

    def test_empty_q(self):
        self.assertEqual(Author.objects.filter(Q()).count(), 3)
        self.assertEqual(names(Author.objects.filter(Q() | Q(name="Bob"))), ["Bob"])

    def test_exclude_keeps_null_rows(self):
        # Django: exclude(age=30) is NOT (age = 30 AND age IS NOT NULL): the NULL row stays.
        self.assertEqual(names(Author.objects.exclude(age=30)), ["Bob", "carol"])
        self.assertEqual(names(Author.objects.exclude(age__gt=26)), ["Bob", "carol"])
        self.assertEqual(names(Author.objects.exclude(nickname="al")), ["Bob", "carol"])
        self.assertEqual(names(Author.objects.filter(~Q(age__lt=30))), ["Alice", "carol"])

    def test_exclude_combined(self):
        self.assertEqual(names(Author.objects.exclude(Q(age=30) | Q(age=25))), ["carol"])
        self.assertEqual(
            names(Author.objects.exclude(age=30, name="Bob")), ["Alice", "Bob", "carol"]
        )
        self.assertEqual(names(Author.objects.exclude(age__isnull=True)), ["Alice", "Bob"])

    def test_double_negation(self):
        self.assertEqual(names(Author.objects.filter(~~Q(age=30))), ["Alice"])
        self.assertEqual(names(Author.objects.exclude(~Q(age=30))), ["Alice"])


class FieldErrorTests(TestCase):
    def test_unknown_keyword(self):
        with self.assertRaisesMessage(
            FieldError,
            "Cannot resolve keyword 'nope' into field. Choices are: age, id, name, nickname",
        ):
            Author.objects.filter(nope=1)

    def test_unknown_keyword_in_q_and_exclude(self):
        msg = "Cannot resolve keyword 'x' into field. Choices are: age, id, name, nickname"
        with self.assertRaisesMessage(FieldError, msg):
            Author.objects.filter(Q(name="a") | Q(x=1))
        with self.assertRaisesMessage(FieldError, msg):
            Author.objects.exclude(x=1)

    def test_unsupported_lookup(self):
        with self.assertRaisesMessage(
            FieldError,
            "Unsupported lookup 'foo' for CharField or join on the field not permitted.",
        ):
            Author.objects.filter(name__foo="x")
        with self.assertRaisesMessage(
            FieldError,
            "Unsupported lookup 'bar' for IntegerField or join on the field not permitted.",
        ):
            Author.objects.filter(age__bar=1)

    def test_unsupported_lookup_suggests(self):
        with self.assertRaisesMessage(
            FieldError,
            "Unsupported lookup 'icontain' for CharField or join on the field not permitted, "
            "perhaps you meant icontains or contains?",
        ):
            Author.objects.filter(name__icontain="x")

    def test_unsupported_lookup_suggests_several(self):
        with self.assertRaisesMessage(
            FieldError,
            "Unsupported lookup 'gtt' for IntegerField or join on the field not permitted, "
            "perhaps you meant gt or gte?",
        ):
            Author.objects.filter(age__gtt=1)

    def test_order_by_unknown(self):
        with self.assertRaisesMessage(
            FieldError,
            "Cannot resolve keyword 'nope' into field. Choices are: age, id, name, nickname",
        ):
            list(Author.objects.order_by("nope"))

    def test_values_unknown(self):
        with self.assertRaisesMessage(
            FieldError,
            "Cannot resolve keyword 'nope' into field. Choices are: age, id, name, nickname",
        ):
            Author.objects.values("nope")


class PropertyTests(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(st.integers(min_value=-50, max_value=50), max_size=15),
        st.lists(st.integers(min_value=-50, max_value=50), max_size=8),
    )
    def test_in_matches_python_membership(self, stored, wanted):
        Entry.objects.all().delete()
        Entry.objects.bulk_create([Entry(title=f"t{i}", rating=r) for i, r in enumerate(stored)])
        got = sorted(Entry.objects.filter(rating__in=wanted).values_list("rating", flat=True))
        self.assertEqual(got, sorted(r for r in stored if r in wanted))
        excluded = sorted(Entry.objects.exclude(rating__in=wanted).values_list("rating", flat=True))
        self.assertEqual(excluded, sorted(r for r in stored if r not in wanted))
