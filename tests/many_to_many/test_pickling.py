"""Fields, relations and querysets over relations survive pickling: a model's field (and its
reverse side) pickles as a reference, so the unpickled object is the model's own."""

import pickle

from tether.test import TestCase

from .models import Article, Edition, Publication


class FieldPicklingTests(TestCase):
    def test_every_field_and_relation_pickles_as_itself(self):
        for model in (Article, Edition, Publication, Article.publications.through):
            for field in model._meta.get_fields():
                with self.subTest(model=model.__name__, field=field.name):
                    list(model.objects.filter(**{f"{field.name}__isnull": False}))  # caches
                    self.assertIs(pickle.loads(pickle.dumps(field)), field)

    def test_unbound_field_pickles_by_value(self):
        from tether import models

        field = models.CharField(max_length=7)
        copy = pickle.loads(pickle.dumps(field))
        self.assertIsNot(copy, field)
        self.assertEqual(copy.max_length, 7)

    def test_queryset_deferring_relations(self):
        pub = Publication.objects.create(title="Science")
        Edition.objects.create(publication=pub, number=1)
        qs = Edition.objects.defer("publication").filter(publication__title="Science")
        self.assertEqual(list(pickle.loads(pickle.dumps(qs))), list(qs))
        article = Article.objects.create(headline="A")
        article.publications.add(pub)
        qs = Article.objects.filter(publications__title="Science").order_by("headline")
        self.assertEqual(list(pickle.loads(pickle.dumps(qs, pickle.HIGHEST_PROTOCOL))), [article])

    def test_copy_is_a_new_object(self):
        import copy

        field = Article._meta.get_field("publications")
        self.assertIsNot(copy.copy(field), field)
        self.assertIsNot(copy.copy(field.remote_field), field.remote_field)
        self.assertEqual(copy.copy(field).name, "publications")
