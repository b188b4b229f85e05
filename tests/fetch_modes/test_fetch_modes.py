"""Fetch modes (Django 6.1's names and semantics) and tether's extension to related managers.

FETCH_ONE (the default) fetches a missing value for the one instance read; FETCH_PEERS fetches
it for every instance of the same result at once; RAISE refuses with FieldFetchBlocked.
"""

import pickle

import pytest

import tether
from tether import models
from tether.exceptions import FieldError, FieldFetchBlocked, ImproperlyConfigured
from tether.models.fetch_modes import no_lazy_fetch
from tether.test import TestCase, override_config

from .models import Author, Bio, Book, Tag


class FetchModeData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = Author.objects.create(name="ann")
        cls.bob = Author.objects.create(name="bob")
        cls.cat = Author.objects.create(name="cat")
        Bio.objects.create(author=cls.ann, text="ann's")
        Bio.objects.create(author=cls.bob, text="bob's")
        cls.red, cls.blue, cls.green = (Tag.objects.create(label=x) for x in ("red", "blue", "gr"))
        cls.b1 = Book.objects.create(title="b1", author=cls.ann, editor=cls.bob, pages=10)
        cls.b2 = Book.objects.create(title="b2", author=cls.bob, pages=20)
        cls.b3 = Book.objects.create(title="b3", author=cls.ann, pages=30)
        cls.b1.tags.set([cls.red, cls.blue])
        cls.b2.tags.set([cls.blue])


class NamesTests(TestCase):
    def test_names_and_exception(self):
        self.assertTrue(issubclass(FieldFetchBlocked, FieldError))
        self.assertEqual(repr(models.FETCH_PEERS), "FETCH_PEERS")
        for mode in (models.FETCH_ONE, models.FETCH_PEERS, models.RAISE):
            self.assertIs(pickle.loads(pickle.dumps(mode)), mode)

    def test_fetch_mode_returns_a_clone(self):
        queryset = Book.objects.all()
        self.assertIsNot(queryset.fetch_mode(models.RAISE), queryset)


class FetchOneTests(FetchModeData):
    def test_default_is_one_query_per_instance(self):
        books = list(Book.objects.all())
        with self.assertNumQueries(3):
            self.assertEqual([b.author.name for b in books], ["ann", "bob", "ann"])

    def test_explicit_fetch_one(self):
        books = list(Book.objects.fetch_mode(models.FETCH_ONE))
        with self.assertNumQueries(3):
            [b.author for b in books]


class FetchPeersTests(FetchModeData):
    def peers(self, queryset=None):
        return list((queryset or Book.objects.all()).fetch_mode(models.FETCH_PEERS))

    def test_foreign_key(self):
        books = self.peers()
        with self.assertNumQueries(1):
            self.assertEqual([b.author.name for b in books], ["ann", "bob", "ann"])
        self.assertIs(books[0].author, books[2].author)

    def test_nullable_foreign_key(self):
        books = self.peers()
        with self.assertNumQueries(1):
            self.assertEqual([b.editor for b in books], [self.bob, None, None])

    def test_peers_share_one_reference(self):
        books = self.peers()
        self.assertIs(books[0]._state.peers, books[1]._state.peers)

    def test_mode_passes_to_fetched_objects(self):
        books = self.peers()
        with self.assertNumQueries(2):
            texts = [b.author.bio.text for b in books]
        self.assertEqual(texts, ["ann's", "bob's", "ann's"])
        self.assertIs(books[0].author._state.fetch_mode, models.FETCH_PEERS)

    def test_reverse_one_to_one(self):
        authors = list(Author.objects.fetch_mode(models.FETCH_PEERS))
        with self.assertNumQueries(1):
            self.assertEqual([getattr(a, "bio", None) is not None for a in authors], [1, 1, 0])
        with self.assertRaises(Bio.DoesNotExist):
            _ = authors[2].bio

    def test_deferred_field(self):
        books = self.peers(Book.objects.defer("pages"))
        with self.assertNumQueries(1):
            self.assertEqual([b.pages for b in books], [10, 20, 30])

    def test_single_instance_fetches_one(self):
        book = Book.objects.fetch_mode(models.FETCH_PEERS).get(title="b2")
        with self.assertNumQueries(1):
            self.assertEqual(book.author, self.bob)

    def test_select_related_objects_take_the_mode(self):
        books = self.peers(Book.objects.select_related("author"))
        with self.assertNumQueries(1):
            [b.author.bio for b in books]

    def test_prefetched_objects_take_the_mode(self):
        books = self.peers(Book.objects.prefetch_related("tags"))
        self.assertIs(books[0].tags.all()[0]._state.fetch_mode, models.FETCH_PEERS)
        with self.assertNumQueries(1):
            [[list(t.books.all()) for t in b.tags.all()] for b in books]

    def test_iterator_chunks_are_peers(self):
        queryset = Book.objects.fetch_mode(models.FETCH_PEERS)
        with self.assertNumQueries(3):
            authors = [b.author.name for b in queryset.iterator(chunk_size=2)]
        self.assertEqual(authors, ["ann", "bob", "ann"])

    def test_many_to_many(self):
        books = self.peers()
        with self.assertNumQueries(1):
            tags = [[t.label for t in b.tags.all()] for b in books]
        self.assertEqual(tags, [["blue", "red"], ["blue"], []])
        with self.assertNumQueries(0):
            self.assertEqual(list(books[1].tags.all()), [self.blue])

    def test_reverse_many_to_many(self):
        tags = list(Tag.objects.fetch_mode(models.FETCH_PEERS))
        with self.assertNumQueries(1):
            books = [[b.title for b in t.books.all()] for t in tags]
        self.assertEqual(books, [["b1", "b2"], [], ["b1"]])

    def test_reverse_foreign_key(self):
        authors = self.peers(Author.objects.all())
        with self.assertNumQueries(1):
            books = [[b.title for b in a.books.all()] for a in authors]
        self.assertEqual(books, [["b1", "b3"], ["b2"], []])
        self.assertIs(authors[0].books.all()[0].author, authors[0])

    def test_filtered_manager_queries_stay_explicit(self):
        books = self.peers()
        with self.assertNumQueries(3):
            [list(b.tags.filter(label="blue")) for b in books]
        with self.assertNumQueries(3):
            [b.tags.count() for b in books]

    def test_writes_through_the_manager_refetch_one(self):
        books = self.peers()
        [list(b.tags.all()) for b in books]
        books[2].tags.add(self.green)
        with self.assertNumQueries(1):
            self.assertEqual(list(books[2].tags.all()), [self.green])
        with self.assertNumQueries(0):
            list(books[0].tags.all())

    async def test_async_many_to_many(self):
        books = [b async for b in Book.objects.fetch_mode(models.FETCH_PEERS)]
        labels = []
        for book in books:
            labels.append([t.label async for t in book.tags.all()])
        self.assertEqual(labels, [["blue", "red"], ["blue"], []])


class RaiseTests(FetchModeData):
    def raising(self, queryset=None):
        return list((queryset or Book.objects.all()).fetch_mode(models.RAISE))

    def test_foreign_key(self):
        book = self.raising()[0]
        with self.assertNumQueries(0):
            with self.assertRaisesMessage(FieldFetchBlocked, "Fetching of Book.author blocked."):
                _ = book.author

    def test_null_key_and_loaded_objects_do_not_raise(self):
        books = self.raising(Book.objects.select_related("author"))
        self.assertEqual(books[0].author, self.ann)
        self.assertIsNone(books[1].editor)

    def test_reverse_one_to_one(self):
        author = list(Author.objects.fetch_mode(models.RAISE))[0]
        with self.assertRaisesMessage(FieldFetchBlocked, "Fetching of Author.bio blocked."):
            _ = author.bio

    def test_deferred_field(self):
        book = self.raising(Book.objects.only("title"))[0]
        with self.assertRaisesMessage(FieldFetchBlocked, "Fetching of Book.pages blocked."):
            _ = book.pages

    def test_many_to_many_names_prefetch_related(self):
        book = self.raising()[0]
        msg = (
            "Fetching of Book.tags blocked. Load it with prefetch_related('tags') on the "
            "query that loaded the instance."
        )
        with self.assertNumQueries(0):
            with self.assertRaisesMessage(FieldFetchBlocked, msg):
                list(book.tags.all())
        with self.assertRaisesMessage(FieldFetchBlocked, "prefetch_related('books')"):
            list(self.raising(Author.objects.all())[0].books.all())

    def test_prefetched_sets_and_explicit_queries_pass(self):
        books = self.raising(Book.objects.prefetch_related("tags"))
        self.assertEqual(list(books[0].tags.all()), [self.blue, self.red])
        self.assertEqual(list(self.raising()[0].tags.filter(label="red")), [self.red])

    def test_mode_is_kept_by_pickling(self):
        book = pickle.loads(pickle.dumps(self.raising()[0]))
        with self.assertRaises(FieldFetchBlocked):
            _ = book.author


class GlobalDefaultTests(FetchModeData):
    def test_default_raise(self):
        with override_config(fetch_mode=models.RAISE):
            book = Book.objects.get(title="b1")
            with self.assertRaises(FieldFetchBlocked):
                _ = book.author
            book = Book.objects.fetch_mode(models.FETCH_ONE).get(title="b1")
            self.assertEqual(book.author, self.ann)
        self.assertEqual(Book.objects.get(title="b1").author, self.ann)

    def test_default_peers_by_name(self):
        with override_config(fetch_mode="FETCH_PEERS"):
            books = list(Book.objects.all())
            with self.assertNumQueries(1):
                [b.author for b in books]

    def test_unknown_mode_is_refused_and_not_kept(self):
        msg = "fetch_mode must be FETCH_ONE, FETCH_PEERS, RAISE or a FetchMode, not 'FETCH_ALL'"
        with self.assertRaisesMessage(ImproperlyConfigured, msg):
            tether.configure(fetch_mode="FETCH_ALL")
        self.assertEqual(tether.conf.settings.fetch_mode, "FETCH_ONE")


class NoLazyFetchTests(FetchModeData):
    def test_assert_no_lazy_fetch(self):
        books = list(Book.objects.fetch_mode(models.FETCH_PEERS))
        with self.assertNoLazyFetch():
            with self.assertRaises(FieldFetchBlocked):
                _ = books[0].author
            with self.assertRaises(FieldFetchBlocked):
                list(books[0].tags.all())
        self.assertEqual(books[0].author, self.ann)

    def test_context_manager(self):
        book = Book.objects.get(title="b1")
        with no_lazy_fetch(), self.assertRaises(FieldFetchBlocked):
            _ = book.author


@pytest.mark.no_lazy_fetch
@pytest.mark.tether_db
def test_marker_makes_lazy_fetches_fail():
    ann = Author.objects.create(name="ann")
    Book.objects.create(title="b", author=ann)
    book = Book.objects.get()
    with pytest.raises(FieldFetchBlocked):
        _ = book.author
    assert Book.objects.select_related("author").get().author == ann
