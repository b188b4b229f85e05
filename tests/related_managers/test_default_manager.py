"""Related managers are built on the related model's default manager, as Django's are: its
get_queryset() filters the related set and its methods (manager and QuerySet ones) work there,
for the reverse side of a foreign key and for both sides of a many-to-many relation."""

from tether import models
from tether.test import TestCase

from .models import LiveManager, Post, Writer


class DefaultManagerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = Writer.objects.create(name="Ann")
        cls.bob = Writer.objects.create(name="Bob")
        cls.a1 = Post.objects.create(title="a1", writer=cls.ann, published=True)
        cls.a2 = Post.objects.create(title="a2", writer=cls.ann)
        cls.gone = Post.objects.create(title="gone", writer=cls.ann, deleted=True, published=True)
        cls.b1 = Post.objects.create(title="b1", writer=cls.bob, published=True)
        for post in (cls.a1, cls.gone):
            post.readers.add(cls.ann)
        cls.b1.readers.add(cls.bob)

    def test_reverse_fk_applies_the_default_managers_filter(self):
        self.assertEqual(sorted(p.title for p in self.ann.posts.all()), ["a1", "a2"])
        self.assertEqual(self.ann.posts.count(), 2)

    def test_many_to_many_applies_the_default_managers_filter(self):
        self.assertEqual([p.title for p in self.ann.read_posts.all()], ["a1"])
        self.assertEqual(self.ann.read_posts.count(), 1)
        self.assertFalse(self.bob.read_posts.filter(title="gone").exists())

    def test_manager_methods_work_on_related_sets(self):
        self.assertEqual(self.ann.posts.titles(), ["a1", "a2"])
        self.assertEqual(self.ann.read_posts.titles(), ["a1"])

    def test_queryset_methods_of_the_manager_work_on_related_sets(self):
        self.assertEqual([p.title for p in self.ann.posts.published()], ["a1"])
        self.assertEqual([p.title for p in self.bob.read_posts.published()], ["b1"])

    def test_related_managers_are_managers_of_the_default_managers_class(self):
        for manager in (self.ann.posts, self.ann.read_posts):
            self.assertIsInstance(manager, LiveManager)
            self.assertIsInstance(manager, models.Manager)
            self.assertIn("filter", dir(manager))
        self.assertEqual(type(self.ann.posts).__name__, "RelatedManager")
        self.assertEqual(type(self.ann.read_posts).__name__, "ManyRelatedManager")
        self.assertIs(type(self.ann.posts), type(self.bob.posts))

    def test_forward_many_to_many_uses_the_target_models_manager(self):
        manager = self.a1.readers
        self.assertIsInstance(manager, models.Manager)
        self.assertNotIsInstance(manager, LiveManager)
        self.assertEqual([w.name for w in manager.all()], ["Ann"])

    def test_calling_the_related_manager_picks_another_manager(self):
        self.assertEqual(
            sorted(p.title for p in self.ann.posts(manager="everything").all()),
            ["a1", "a2", "gone"],
        )
        self.assertEqual(self.ann.read_posts(manager="everything").count(), 2)

    def test_db_manager_keeps_the_relation(self):
        self.assertEqual(self.ann.posts.db_manager("default").titles(), ["a1", "a2"])


class WritesThroughTheDefaultManagerTests(TestCase):
    """remove() and clear() unlink only the rows the manager shows, as Django's do."""

    @classmethod
    def setUpTestData(cls):
        cls.ann = Writer.objects.create(name="Ann")

    def setUp(self):
        self.live = Post.objects.create(title="live", writer=self.ann)
        self.gone = Post.objects.create(title="gone", writer=self.ann, deleted=True)

    def linked(self):
        return sorted(Post.everything.filter(writer=self.ann).values_list("title", flat=True))

    def test_remove_leaves_rows_the_manager_hides(self):
        for bulk in (True, False):
            with self.subTest(bulk=bulk):
                self.ann.posts.remove(self.gone, self.live, bulk=bulk)
                self.assertEqual(self.linked(), ["gone"])
                Post.everything.filter(title="live").update(writer=self.ann)
                self.live.refresh_from_db()

    def test_clear_leaves_rows_the_manager_hides(self):
        for bulk in (True, False):
            with self.subTest(bulk=bulk):
                self.ann.posts.clear(bulk=bulk)
                self.assertEqual(self.linked(), ["gone"])
                Post.everything.filter(title="live").update(writer=self.ann)

    def test_another_manager_removes_what_it_shows(self):
        self.ann.posts(manager="everything").remove(self.gone)
        self.assertEqual(self.linked(), ["live"])
