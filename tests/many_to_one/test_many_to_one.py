"""ForeignKey through the public API: accessors, related managers, lookups across relations,
ordering and values() across relations, to_field, hidden reverse accessors, db_constraint,
limit_choices_to and the errors Django raises (unsaved objects, remove() on NOT NULL keys)."""

import asyncio
import datetime

from tether.db import connection
from tether.exceptions import FieldError
from tether.test import TestCase, TransactionTestCase

from .models import (
    Article,
    Category,
    Child,
    City,
    Country,
    District,
    Hidden,
    HiddenRef,
    Parent,
    Record,
    Reporter,
    School,
    Student,
    ToFieldChild,
)

D = datetime.date


def headlines(qs):
    return [a.headline for a in qs]


class ManyToOneTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.r = Reporter.objects.create(
            first_name="John", last_name="Smith", email="john@example.com"
        )
        cls.r2 = Reporter.objects.create(
            first_name="Paul", last_name="Jones", email="paul@example.com"
        )
        cls.a = Article.objects.create(
            headline="This is a test", pub_date=D(2005, 7, 27), reporter=cls.r
        )

    def test_fk_id_and_forward_cache(self):
        a = Article.objects.get(pk=self.a.pk)
        self.assertEqual(a.reporter_id, self.r.id)
        with self.assertNumQueries(1):
            self.assertEqual(a.reporter.first_name, "John")
            self.assertEqual(a.reporter.last_name, "Smith")
        a.reporter_id = self.r2.id
        with self.assertNumQueries(1):
            self.assertEqual(a.reporter, self.r2)

    def test_reverse_manager(self):
        new = self.r.article_set.create(headline="John's second story", pub_date=D(2005, 7, 29))
        self.assertEqual(new.reporter_id, self.r.id)
        self.assertEqual(
            headlines(self.r.article_set.all()), ["John's second story", "This is a test"]
        )
        self.assertEqual(self.r.article_set.count(), 2)
        self.assertEqual(
            headlines(self.r.article_set.filter(headline__startswith="This")), ["This is a test"]
        )
        with self.assertNumQueries(1):
            # The reporter of an article read through the manager is known: no query for it.
            self.assertEqual([x.reporter for x in self.r.article_set.all()], [self.r, self.r])

    def test_add_moves_the_object(self):
        new = Article.objects.create(
            headline="Paul's story", pub_date=D(2006, 1, 17), reporter=self.r2
        )
        self.r.article_set.add(new)
        self.assertEqual(new.reporter.id, self.r.id)
        self.assertEqual(headlines(self.r2.article_set.all()), [])
        self.assertEqual(headlines(self.r.article_set.all()), ["Paul's story", "This is a test"])
        with self.assertRaisesMessage(
            TypeError, "'Article' instance expected, got <Reporter: Paul Jones>"
        ):
            self.r.article_set.add(self.r2)

    def test_add_unsaved_with_bulk(self):
        unsaved = Article(headline="unsaved", pub_date=D(2006, 1, 1))
        with self.assertRaisesMessage(
            ValueError, "instance isn't saved. Use bulk=False or save the object first."
        ):
            self.r.article_set.add(unsaved)
        self.r.article_set.add(unsaved, bulk=False)
        self.assertEqual(Article.objects.get(headline="unsaved").reporter, self.r)

    def test_set_on_not_null_key_adds(self):
        new = Article.objects.create(
            headline="Paul's story", pub_date=D(2006, 1, 17), reporter=self.r2
        )
        self.r.article_set.set([new, self.a])
        self.assertEqual(headlines(self.r.article_set.all()), ["Paul's story", "This is a test"])

    def test_remove_and_clear_need_nullable_key(self):
        self.assertFalse(hasattr(self.r.article_set, "remove"))
        self.assertFalse(hasattr(self.r.article_set, "clear"))
        self.assertFalse(hasattr(self.r.article_set, "aremove"))
        with self.assertRaisesMessage(
            AttributeError, "'RelatedManager' object has no attribute 'clear'"
        ):
            self.r.article_set.clear()

    def test_get_or_create_and_update_or_create(self):
        obj, created = self.r.article_set.get_or_create(headline="New", pub_date=D(2010, 1, 1))
        self.assertTrue(created)
        self.assertEqual(obj.reporter, self.r)
        again, created = self.r.article_set.get_or_create(headline="New", pub_date=D(2010, 1, 1))
        self.assertFalse(created)
        self.assertEqual(again.pk, obj.pk)
        obj, created = self.r.article_set.update_or_create(
            headline="New", defaults={"pub_date": D(2011, 1, 1)}
        )
        self.assertFalse(created)
        self.assertEqual(Article.objects.get(pk=obj.pk).pub_date, D(2011, 1, 1))
        # The same headline under the other reporter is another object.
        _, created = self.r2.article_set.get_or_create(headline="New", pub_date=D(2010, 1, 1))
        self.assertTrue(created)

    def test_lookups_forward(self):
        Article.objects.create(headline="Paul's story", pub_date=D(2006, 1, 17), reporter=self.r2)
        self.assertEqual(
            headlines(Article.objects.filter(reporter__first_name__exact="John")),
            ["This is a test"],
        )
        self.assertEqual(
            headlines(
                Article.objects.filter(reporter__first_name="John", reporter__last_name="Smith")
            ),
            ["This is a test"],
        )
        self.assertEqual(
            headlines(Article.objects.filter(reporter__pk=self.r.pk)), ["This is a test"]
        )
        self.assertEqual(headlines(Article.objects.filter(reporter=self.r.pk)), ["This is a test"])
        self.assertEqual(headlines(Article.objects.filter(reporter=self.r)), ["This is a test"])
        self.assertEqual(
            headlines(Article.objects.filter(reporter_id=self.r.pk)), ["This is a test"]
        )
        self.assertEqual(
            headlines(Article.objects.filter(reporter__in=[self.r.pk, self.r2.pk])),
            ["Paul's story", "This is a test"],
        )
        self.assertEqual(
            headlines(Article.objects.filter(reporter__in=[self.r, self.r2])),
            ["Paul's story", "This is a test"],
        )
        self.assertEqual(
            headlines(
                Article.objects.filter(reporter__in=Reporter.objects.filter(first_name="John"))
            ),
            ["This is a test"],
        )
        self.assertEqual(headlines(Article.objects.exclude(reporter=self.r)), ["Paul's story"])

    def test_lookups_reverse(self):
        self.r.article_set.create(headline="John's second story", pub_date=D(2005, 7, 29))
        john = [str(r) for r in Reporter.objects.filter(article__headline__startswith="John")]
        self.assertEqual(john, ["John Smith"])
        self.assertEqual(
            [str(r) for r in Reporter.objects.filter(article__pk=self.a.pk)], ["John Smith"]
        )
        self.assertEqual([str(r) for r in Reporter.objects.filter(article=self.a)], ["John Smith"])
        self.assertEqual(
            [str(r) for r in Reporter.objects.filter(article__in=[self.a])], ["John Smith"]
        )
        # Two matching articles: the reporter appears twice unless distinct() is used.
        both = Reporter.objects.filter(article__reporter__first_name__startswith="John")
        self.assertEqual(both.count(), 2)
        self.assertEqual(both.distinct().count(), 1)
        self.assertEqual(
            [str(r) for r in Reporter.objects.filter(article__reporter=self.r).distinct()],
            ["John Smith"],
        )

    def test_deep_lookups(self):
        c = Country.objects.create(name="Ruritania")
        city = City.objects.create(name="Strelsau", country=c)
        District.objects.create(name="Old town", city=city)
        District.objects.create(name="Nowhere")
        self.assertEqual(
            [str(d) for d in District.objects.filter(city__country__name="Ruritania")], ["Old town"]
        )
        self.assertEqual(
            [x.name for x in Country.objects.filter(cities__districts__name="Old town")],
            ["Ruritania"],
        )
        self.assertEqual([str(d) for d in District.objects.filter(city__country=c)], ["Old town"])
        self.assertEqual([str(d) for d in District.objects.filter(city__isnull=True)], ["Nowhere"])

    def test_values_across_relations(self):
        self.assertEqual(
            list(Article.objects.values("headline", "reporter__first_name")),
            [{"headline": "This is a test", "reporter__first_name": "John"}],
        )
        self.assertEqual(
            list(Reporter.objects.values_list("first_name", "article__headline")),
            [("John", "This is a test"), ("Paul", None)],
        )

    def test_order_by_relation_uses_related_ordering(self):
        Article.objects.create(headline="Paul's story", pub_date=D(2006, 1, 17), reporter=self.r2)
        Article.objects.create(headline="Another", pub_date=D(2006, 1, 17), reporter=self.r2)
        self.assertEqual(
            headlines(Article.objects.order_by("reporter", "headline")),
            ["This is a test", "Another", "Paul's story"],
        )
        self.assertEqual(
            headlines(Article.objects.order_by("-reporter", "headline")),
            ["Another", "Paul's story", "This is a test"],
        )
        self.assertEqual(
            headlines(Article.objects.order_by("reporter__last_name", "headline")),
            ["Another", "Paul's story", "This is a test"],
        )

    def test_order_by_relation_with_descending_related_ordering(self):
        a, b = Category.objects.create(name="a"), Category.objects.create(name="b")
        ra, rb = Record.objects.create(category=a), Record.objects.create(category=b)
        self.assertEqual(list(Record.objects.order_by("category")), [rb, ra])
        self.assertEqual(list(Record.objects.order_by("-category")), [ra, rb])
        self.assertEqual(list(Record.objects.order_by("category").reverse()), [ra, rb])

    def test_order_by_relation_without_ordering_uses_key(self):
        c1, c2 = Country.objects.create(name="b"), Country.objects.create(name="a")
        x, y = City.objects.create(name="x", country=c2), City.objects.create(name="y", country=c1)
        self.assertEqual([c.name for c in City.objects.order_by("country")], ["y", "x"])
        self.assertEqual([c.name for c in City.objects.order_by("-country")], ["x", "y"])
        self.assertEqual([c.name for c in City.objects.order_by("country__name")], ["x", "y"])
        del x, y

    def test_unsaved_related_object(self):
        unsaved = Reporter(first_name="Unsaved")
        article = Article(headline="x", pub_date=D(2005, 1, 1), reporter=unsaved)
        with self.assertRaisesMessage(
            ValueError,
            "save() prohibited to prevent data loss due to unsaved related object 'reporter'.",
        ):
            article.save()
        with self.assertRaisesMessage(
            ValueError, "Model instances passed to related filters must be saved."
        ):
            Article.objects.filter(reporter=unsaved)

    def test_assign_wrong_type(self):
        with self.assertRaisesMessage(ValueError, 'must be a "Reporter" instance'):
            Article(headline="x", pub_date=D(2005, 1, 1), reporter=self.a)

    def test_reverse_assignment_prohibited(self):
        with self.assertRaisesMessage(
            TypeError, "Direct assignment to the reverse side of a related set is prohibited."
        ):
            self.r.article_set = []

    def test_invalid_lookup_across_relation(self):
        with self.assertRaisesMessage(
            FieldError,
            "Unsupported lookup 'nope' for ForeignKey or join on the field not permitted.",
        ):
            list(Article.objects.filter(reporter__nope="x"))
        with self.assertRaisesMessage(FieldError, "not permitted, perhaps you meant exact?"):
            list(Article.objects.filter(reporter__exactt="x"))


class NullableForeignKeyTests(TestCase):
    def test_remove_clear_set(self):
        country = Country.objects.create(name="c")
        a = City.objects.create(name="a", country=country)
        b = City.objects.create(name="b", country=country)
        c = City.objects.create(name="c")
        country.cities.remove(a)
        self.assertEqual(sorted(x.name for x in country.cities.all()), ["b"])
        self.assertIsNone(City.objects.get(pk=a.pk).country)
        with self.assertRaisesMessage(Country.DoesNotExist, "is not related to"):
            country.cities.remove(c)
        country.cities.set([a, c])
        self.assertEqual(sorted(x.name for x in country.cities.all()), ["a", "c"])
        self.assertIsNone(City.objects.get(pk=b.pk).country_id)
        country.cities.set([b], clear=True)
        self.assertEqual(sorted(x.name for x in country.cities.all()), ["b"])
        country.cities.clear()
        self.assertEqual(country.cities.count(), 0)
        self.assertEqual(City.objects.filter(country__isnull=True).count(), 3)

    def test_nullable_forward_is_none(self):
        city = City.objects.create(name="free")
        self.assertIsNone(city.country)
        self.assertIsNone(City.objects.get(pk=city.pk).country)


class ToFieldTests(TestCase):
    def test_to_field(self):
        parent = Parent.objects.create(name="jeff")
        child = ToFieldChild.objects.create(parent=parent)
        self.assertEqual(child.parent_id, "jeff")
        self.assertEqual(ToFieldChild.objects.get(pk=child.pk).parent, parent)
        self.assertEqual(list(parent.to_field_children.all()), [child])
        self.assertEqual(list(ToFieldChild.objects.filter(parent=parent)), [child])
        self.assertEqual(list(ToFieldChild.objects.filter(parent__name="jeff")), [child])
        self.assertEqual(list(Parent.objects.filter(to_field_children=child)), [parent])
        self.assertEqual(list(ToFieldChild.objects.select_related("parent")), [child])
        with self.assertNumQueries(1):
            self.assertEqual(
                ToFieldChild.objects.select_related("parent").get().parent.name, "jeff"
            )

    def test_fk_to_model_defined_later(self):
        parent = Parent.objects.create(name="p")
        child = Child.objects.create(name="kid", parent=parent)
        parent.bestchild = child
        parent.save()
        self.assertEqual(Parent.objects.get(pk=parent.pk).bestchild, child)
        self.assertEqual(list(child.favored_by.all()), [parent])


class RelatedNameTests(TestCase):
    def test_hidden_reverse_accessor(self):
        self.assertFalse(any(name.endswith("+") for name in vars(Hidden)))
        self.assertNotIn("hiddenref_set", vars(Hidden))
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword"):
            list(Hidden.objects.filter(hiddenref__pk=1))

    def test_related_query_name(self):
        h = Hidden.objects.create(name="h")
        ref = HiddenRef.objects.create(target=h, loose=h)
        self.assertEqual(list(h.loose_refs.all()), [ref])
        self.assertEqual(list(Hidden.objects.filter(loose=ref)), [h])
        self.assertEqual(list(Hidden.objects.filter(loose__isnull=False)), [h])

    def test_db_constraint_false(self):
        h = Hidden.objects.create(name="h")
        # No FOREIGN KEY constraint: a dangling key is accepted by every backend.
        HiddenRef.objects.create(target=h, loose_id=987654)
        self.assertEqual(HiddenRef.objects.filter(loose_id=987654).count(), 1)
        with connection.schema_editor(collect_sql=True) as editor:
            editor.create_model(HiddenRef)
        ddl = " ".join(str(s) for s in editor.collected_sql)
        self.assertEqual(ddl.count("REFERENCES"), 1)

    def test_limit_choices_to(self):
        field = Student._meta.get_field("school")
        self.assertEqual(field.get_limit_choices_to(), {"is_public": True})
        self.assertEqual(field.remote_field.limit_choices_to, {"is_public": True})
        public = School.objects.create(is_public=True)
        School.objects.create()
        self.assertEqual(list(School.objects.filter(**field.get_limit_choices_to())), [public])


class AsyncRelatedManagerTests(TransactionTestCase):
    def test_async_twins(self):
        asyncio.run(self._test_async_twins())

    async def _test_async_twins(self):
        country = await Country.objects.acreate(name="c")
        a = await country.cities.acreate(name="a")
        b = await City.objects.acreate(name="b")
        await country.cities.aadd(b)
        self.assertEqual(await country.cities.acount(), 2)
        await country.cities.aremove(a)
        self.assertEqual([x.name async for x in country.cities.all()], ["b"])
        await country.cities.aset([a])
        self.assertEqual([x.name async for x in country.cities.all()], ["a"])
        obj, created = await country.cities.aget_or_create(name="z")
        self.assertTrue(created)
        obj, created = await country.cities.aupdate_or_create(name="z", defaults={"name": "zz"})
        self.assertFalse(created)
        await country.cities.aclear()
        self.assertEqual(await country.cities.acount(), 0)
