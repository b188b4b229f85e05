"""A foreign key's attname and its cached object agree (issue 10, item 3).

Setting `parent.bestchild_id` after `parent.bestchild` was assigned or loaded drops the cached
object, as Django's attname descriptor does, so save() writes the new key (no lost update) and
the relation reads the new row. Unsaved objects follow Django's rules: a reverse manager of an
unsaved instance can be built but not used, and a target key that is None refuses writes.
"""

import datetime

from tether.test import TestCase

from .models import Article, Car, Child, Driver, Parent, Reporter


class AttnameInvalidatesCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.parent = Parent.objects.create(name="jeff")
        cls.c1 = Child.objects.create(name="frank", parent=cls.parent)
        cls.c2 = Child.objects.create(name="randy", parent=cls.parent)

    def test_attname_change_after_assignment_is_saved(self):
        parent = Parent.objects.get(pk=self.parent.pk)
        parent.bestchild = self.c1
        parent.save()
        parent.bestchild_id = self.c2.pk
        parent.save()
        self.assertEqual(Parent.objects.get(pk=parent.pk).bestchild_id, self.c2.pk)
        self.assertEqual(parent.bestchild, self.c2)

    def test_attname_set_to_none_is_saved(self):
        parent = Parent.objects.get(pk=self.parent.pk)
        parent.bestchild = self.c1
        parent.save()
        parent.bestchild_id = None
        self.assertFalse(Parent.bestchild.is_cached(parent))
        parent.save()
        self.assertIsNone(Parent.objects.get(pk=parent.pk).bestchild_id)
        self.assertIsNone(parent.bestchild)
        self.assertTrue(Parent.bestchild.is_cached(parent))

    def test_loaded_relation_then_attname(self):
        reporter = Reporter.objects.create(first_name="John", last_name="Smith")
        other = Reporter.objects.create(first_name="Paul", last_name="Jones")
        article = Article.objects.create(
            headline="x", pub_date=datetime.date(2005, 7, 27), reporter=reporter
        )
        self.assertEqual(article.reporter, reporter)  # cached
        article.reporter_id = other.pk
        article.save()
        self.assertEqual(article.reporter, other)
        self.assertEqual(Article.objects.get(pk=article.pk).reporter_id, other.pk)

    def test_same_value_keeps_the_cache(self):
        parent = Parent.objects.get(pk=self.parent.pk)
        parent.bestchild = self.c1
        parent.bestchild_id = self.c1.pk
        self.assertTrue(Parent.bestchild.is_cached(parent))

    def test_object_saved_after_assignment_gives_its_key(self):
        parent = Parent.objects.get(pk=self.parent.pk)
        child = Child(name="late", parent=parent)
        parent.bestchild = child
        child.save()
        parent.save()
        self.assertEqual(Parent.objects.get(pk=parent.pk).bestchild_id, child.pk)

    def test_unsaved_object_refused(self):
        parent = Parent.objects.get(pk=self.parent.pk)
        parent.bestchild = Child(name="never", parent=parent)
        msg = "save() prohibited to prevent data loss due to unsaved related object 'bestchild'."
        with self.assertRaisesMessage(ValueError, msg):
            parent.save()


class UnsavedInstanceManagerTests(TestCase):
    def test_reverse_manager_of_unsaved_instance(self):
        reporter = Reporter(first_name="a", last_name="b")
        manager = reporter.article_set  # can be built, as in Django
        self.assertIs(manager.model, Article)
        msg = (
            "'Reporter' instance needs to have a primary key value before this relationship "
            "can be used."
        )
        with self.assertRaisesMessage(ValueError, msg):
            manager.count()
        reporter.save()
        with self.assertNumQueries(1):
            self.assertEqual(reporter.article_set.count(), 0)

    def test_to_field_none_refuses_writes_and_reads_nothing(self):
        car = Car.objects.create(make=None)
        driver = Driver.objects.create()
        msg = f'"{car!r}" needs to have a value for field "make" before this relationship can be '
        msg += "used."
        calls = {
            "add": lambda: car.drivers.add(driver),
            "create": lambda: car.drivers.create(),
            "get_or_create": lambda: car.drivers.get_or_create(),
            "update_or_create": lambda: car.drivers.update_or_create(),
            "remove": lambda: car.drivers.remove(driver),
            "clear": lambda: car.drivers.clear(),
            "set": lambda: car.drivers.set([driver]),
        }
        for name, call in calls.items():
            with self.subTest(method=name):
                with self.assertRaisesMessage(ValueError, msg):
                    call()
        with self.assertNumQueries(0):
            self.assertEqual(car.drivers.count(), 0)
            self.assertEqual(list(car.drivers.all()), [])
        self.assertIsNone(Driver.objects.get(pk=driver.pk).car_id)
