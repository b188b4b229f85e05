"""Lookups used as boolean expressions (Django 4.0+): annotated, aliased, filtered on,
combined with & | ~, ordered by, inside When() and compared with another lookup."""

from tether.models import Case, F, Q, Value, When
from tether.models.lookups import Exact, GreaterThan, In, IsNull, LessThan, LessThanOrEqual
from tether.test import TestCase

from .models import Author


class LookupExpressionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = Author.objects.create(name="Ann", age=42)
        cls.bob = Author.objects.create(name="Bob", age=17, nickname="bobby")
        cls.cid = Author.objects.create(name="Cid", age=70)

    def ages(self, queryset):
        return sorted(a.age for a in queryset)

    def test_annotate(self):
        rows = Author.objects.annotate(adult=GreaterThan(F("age"), 17)).values_list("name", "adult")
        self.assertEqual(list(rows), [("Ann", True), ("Bob", False), ("Cid", True)])

    def test_literal_and_value_sides(self):
        rows = Author.objects.annotate(
            older=GreaterThan(40, F("age")), always=GreaterThan(Value(40), Value(30))
        ).values_list("older", "always")
        self.assertEqual(list(rows), [(False, True), (True, True), (False, True)])

    def test_alias_and_filter(self):
        adults = Author.objects.alias(adult=GreaterThan(F("age"), 17)).filter(adult=True)
        self.assertEqual(self.ages(adults), [42, 70])

    def test_filter_on_lookups(self):
        self.assertEqual(self.ages(Author.objects.filter(GreaterThan(F("age"), 40))), [42, 70])
        self.assertEqual(self.ages(Author.objects.filter(IsNull(F("nickname"), False))), [17])
        self.assertEqual(self.ages(Author.objects.filter(In(F("age"), [17, 70]))), [17, 70])
        self.assertEqual(self.ages(Author.objects.filter(In(F("age"), []))), [])

    def test_combined(self):
        either = Exact(F("age"), 17) | GreaterThan(F("age"), 50)
        self.assertEqual(self.ages(Author.objects.filter(either)), [17, 70])
        self.assertEqual(self.ages(Author.objects.filter(~either)), [42])
        flagged = Author.objects.annotate(flag=either).filter(flag=False)
        self.assertEqual(self.ages(flagged), [42])
        both = GreaterThan(F("age"), 20) & LessThanOrEqual(F("age"), 50)
        self.assertEqual(self.ages(Author.objects.filter(both)), [42])

    def test_compared_with_another_lookup(self):
        rows = Author.objects.annotate(young=LessThan(F("age"), 50)).filter(
            young=LessThan(F("age"), 20)
        )
        self.assertEqual(self.ages(rows), [17, 70])

    def test_order_by(self):
        rows = Author.objects.order_by(LessThan(F("age"), 20), F("age"))
        self.assertEqual([a.age for a in rows], [42, 70, 17])

    def test_in_when(self):
        rows = Author.objects.annotate(
            band=Case(
                When(GreaterThan(F("age"), 20) & LessThanOrEqual(F("age"), 50), then=Value("mid")),
                default=Value("other"),
            )
        ).values_list("age", "band")
        self.assertEqual(sorted(rows), [(17, "other"), (42, "mid"), (70, "other")])

    def test_q_with_a_lookup_and_keywords(self):
        rows = Author.objects.filter(Q(GreaterThan(F("age"), 20), name__startswith="C"))
        self.assertEqual(self.ages(rows), [70])

    def test_wrapped_q_compared_with_a_lookup(self):
        from tether.models import BooleanField, ExpressionWrapper

        young = ExpressionWrapper(Q(age__lt=50), output_field=BooleanField())
        rows = Author.objects.annotate(young=young).filter(young=LessThan(F("age"), 20))
        self.assertEqual(self.ages(rows), [17, 70])
