"""Two real databases, `default` and `other`: where reads and writes go with and without
routers, what an instance remembers, related managers and prefetches across the two, and the
errors for relations a router does not allow."""

from __future__ import annotations

import datetime

from tether.db import connections, transaction
from tether.models import prefetch_related_objects
from tether.test import TestCase, override_config
from tether.test.utils import CaptureQueriesContext

from .models import Book, Person, Placement, Profile, Review, Shelf
from .routers import PeopleElsewhereRouter, PrimaryReplicaRouter, WriteOnlyRouter

BOTH = {"default", "other"}


def _titles(queryset):
    return [book.title for book in queryset]


class _Counting:
    """Statements sent on each alias inside the block."""

    def __init__(self) -> None:
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}

    def __enter__(self) -> _Counting:
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        for context in self.contexts.values():
            context.__exit__(*exc)

    def __getitem__(self, alias: str) -> int:
        return len(self.contexts[alias])


class WithoutRoutersTests(TestCase):
    databases = BOTH

    def test_using_keeps_the_databases_apart(self):
        Book.objects.create(title="Pro Django")
        Book.objects.using("other").create(title="Dive into Python")
        self.assertEqual(_titles(Book.objects.all()), ["Pro Django"])
        self.assertEqual(_titles(Book.objects.using("other")), ["Dive into Python"])
        self.assertEqual(_titles(Book.objects.db_manager("other").all()), ["Dive into Python"])

    def test_an_instance_remembers_its_database(self):
        book = Book.objects.using("other").create(title="Dive")
        self.assertEqual(book._state.db, "other")
        book.title = "Dive into Python"
        book.save()  # back to where it came from
        self.assertEqual(Book.objects.using("other").get().title, "Dive into Python")
        self.assertFalse(Book.objects.exists())
        fetched = Book.objects.using("other").get()
        self.assertEqual(fetched._state.db, "other")
        fetched.refresh_from_db()
        fetched.delete()
        self.assertFalse(Book.objects.using("other").exists())

    def test_save_using_copies_to_another_database(self):
        book = Book.objects.create(title="Copied")
        book.save(using="other")
        self.assertEqual(book._state.db, "other")
        self.assertEqual(_titles(Book.objects.using("other")), ["Copied"])
        self.assertEqual(_titles(Book.objects.all()), ["Copied"])

    def test_related_managers_follow_the_instance(self):
        mark = Person.objects.using("other").create(name="Mark Pilgrim")
        book = Book.objects.using("other").create(title="Dive", editor=mark)
        book.authors.add(mark)
        book.reviews.create(text="Great")
        Review.objects.using("other").create(book=book, text="Long")
        self.assertEqual([p.name for p in book.authors.all()], ["Mark Pilgrim"])
        self.assertEqual(_titles(mark.books.all()), ["Dive"])
        self.assertEqual([r.text for r in book.reviews.all()], ["Great", "Long"])
        self.assertEqual(_titles(mark.edited.all()), ["Dive"])
        self.assertEqual(Book.objects.using("other").get().editor.name, "Mark Pilgrim")
        self.assertEqual(book.authors.count(), 1)
        self.assertFalse(Book.authors.through.objects.exists())  # nothing on default
        self.assertFalse(Review.objects.exists())
        fetched = Review.objects.using("other").get(text="Great")
        self.assertEqual(fetched.book._state.db, "other")

    def test_many_to_many_writes_on_the_other_database(self):
        book = Book.objects.using("other").create(title="Dive")
        a, b, c = (Person.objects.using("other").create(name=n) for n in "abc")
        book.authors.add(a, b)
        book.authors.remove(a)
        self.assertEqual([p.name for p in book.authors.all()], ["b"])
        book.authors.set([a, c])
        self.assertEqual([p.name for p in book.authors.all()], ["a", "c"])
        created = book.authors.create(name="d")
        self.assertEqual(created._state.db, "other")
        person, made = book.authors.get_or_create(name="e")
        self.assertTrue(made)
        self.assertEqual(person._state.db, "other")
        self.assertEqual(_titles(c.books.all()), ["Dive"])
        c.books.clear()
        self.assertEqual([p.name for p in book.authors.all()], ["a", "d", "e"])
        self.assertEqual(Book.authors.through.objects.using("other").count(), 3)
        self.assertFalse(Person.objects.exists())

    def test_through_model_on_the_other_database(self):
        shelf = Shelf.objects.using("other").create(name="Top")
        book = Book.objects.using("other").create(title="Dive")
        shelf.books.add(book, through_defaults={"position": 2})
        self.assertEqual(Placement.objects.using("other").get().position, 2)
        self.assertEqual([s.name for s in book.shelves.all()], ["Top"])

    def test_prefetch_reads_where_the_instances_are(self):
        mark = Person.objects.using("other").create(name="Mark")
        book = Book.objects.using("other").create(title="Dive", editor=mark)
        book.authors.add(mark)
        Review.objects.using("other").create(book=book, text="Fine")
        books = list(Book.objects.using("other").prefetch_related("authors", "reviews", "editor"))
        with self.assertNumQueries(0, using="other"):
            self.assertEqual([p.name for p in books[0].authors.all()], ["Mark"])
            self.assertEqual([r.text for r in books[0].reviews.all()], ["Fine"])
            self.assertEqual(books[0].editor.name, "Mark")
        people = list(Person.objects.using("other"))
        prefetch_related_objects(people, "books")
        self.assertEqual(_titles(people[0].books.all()), ["Dive"])

    def test_get_or_create_and_update_or_create_with_using(self):
        book, created = Book.objects.using("other").get_or_create(title="Dive")
        self.assertTrue(created)
        self.assertEqual(book._state.db, "other")
        book, created = Book.objects.using("other").update_or_create(
            title="Dive", defaults={"published": datetime.date(2009, 5, 4)}
        )
        self.assertFalse(created)
        self.assertEqual(Book.objects.using("other").get().published, datetime.date(2009, 5, 4))
        self.assertFalse(Book.objects.exists())

    def test_related_managers_call_the_manager_class_s_own_methods(self):
        mark = Person.objects.using("other").create(name="Mark")
        # BookManager.create()/get_or_create() drop extra_arg; Book() would refuse it.
        mark.edited.create(title="Dive", extra_arg=True)
        book, created = mark.edited.get_or_create(title="Dive", extra_arg=True)
        self.assertFalse(created)
        self.assertEqual(book.editor, mark)
        written = mark.books.create(title="Pro", extra_arg=True)
        self.assertEqual(written._state.db, "other")
        _, created = mark.books.get_or_create(title="Pro", extra_arg=True)
        self.assertFalse(created)
        _, created = mark.books.get_or_create(title="New", extra_arg=True)
        self.assertTrue(created)
        self.assertEqual(_titles(mark.books.all()), ["New", "Pro"])
        self.assertEqual(_titles(Book.objects.using("other")), ["Dive", "New", "Pro"])

    async def test_async_related_managers_call_them_too(self):
        mark = await Person.objects.using("other").acreate(name="Mark")
        await mark.edited.acreate(title="Dive", extra_arg=True)
        await mark.books.acreate(title="Pro", extra_arg=True)
        self.assertEqual(await mark.books.acount(), 1)
        self.assertEqual(await Book.objects.using("other").acount(), 2)

    def test_bulk_operations_with_using(self):
        Book.objects.using("other").bulk_create([Book(title="a"), Book(title="b")])
        books = list(Book.objects.using("other"))
        for book in books:
            book.title = book.title.upper()
        Book.objects.using("other").bulk_update(books, ["title"])
        self.assertEqual(_titles(Book.objects.using("other")), ["A", "B"])
        Book.objects.using("other").filter(title="A").update(title="C")
        Book.objects.using("other").filter(title="B").delete()
        self.assertEqual(_titles(Book.objects.using("other")), ["C"])
        self.assertFalse(Book.objects.exists())


class RelationErrorTests(TestCase):
    """Without a router's consent a relation stays within one database (Django's messages)."""

    databases = BOTH

    def test_many_to_many_add_across_databases(self):
        book = Book.objects.create(title="Pro Django")
        mark = Person.objects.using("other").create(name="Mark")
        with (
            self.assertRaisesMessage(
                ValueError,
                'Cannot add "<Person: Mark>": instance is on database "default", value is on '
                'database "other"',
            ),
            transaction.atomic(),
        ):  # the failed add() spoils the transaction, as in Django
            book.authors.add(mark)
        with self.assertRaisesMessage(ValueError, "Cannot add"), transaction.atomic("other"):
            mark.books.set([book])
        self.assertFalse(Book.authors.through.objects.exists())
        self.assertFalse(Book.authors.through.objects.using("other").exists())

    def test_foreign_key_assignment_across_databases(self):
        book = Book.objects.create(title="Pro Django")
        mark = Person.objects.using("other").create(name="Mark")
        with self.assertRaisesMessage(
            ValueError,
            'Cannot assign "<Person: Mark>": the current database router prevents this relation.',
        ):
            book.editor = mark
        with self.assertRaisesMessage(ValueError, "the current database router prevents"):
            Review(book=Book.objects.using("other").create(title="x")).book = book
        self.assertIsNone(book.editor_id)

    def test_reverse_one_to_one_assignment_across_databases(self):
        mark = Person.objects.using("other").create(name="Mark")
        profile = Profile(person=Person.objects.create(name="Bob"), flavor="tea")
        profile.save()
        with self.assertRaisesMessage(ValueError, "the current database router prevents"):
            mark.profile = profile

    def test_reverse_foreign_key_add_across_databases(self):
        book = Book.objects.create(title="Pro Django")
        review = Review.objects.using("other").create(
            book=Book.objects.using("other").create(title="x"), text="t"
        )
        with self.assertRaisesMessage(ValueError, "the current database router prevents"):
            book.reviews.add(review)

    def test_an_unsaved_object_takes_the_other_side_s_database(self):
        book = Book.objects.using("other").create(title="Dive")
        review = Review(text="new")
        review.book = book
        self.assertEqual(review._state.db, "other")
        review.save()
        self.assertEqual(Review.objects.using("other").get().text, "new")


class PrimaryReplicaTests(TestCase):
    """Reads from `other`, writes to `default`: the two test databases hold different rows,
    so each query shows where it went."""

    databases = BOTH

    @override_config(routers=[PrimaryReplicaRouter()])
    def test_reads_and_writes_are_routed(self):
        Book.objects.create(title="Written")
        Book.objects.using("other").create(title="Replica copy")
        self.assertEqual(_titles(Book.objects.all()), ["Replica copy"])
        self.assertEqual(Book.objects.count(), 1)
        raw = Book.objects.raw(f"SELECT * FROM {Book._meta.db_table}")
        self.assertEqual(_titles(raw), ["Replica copy"])
        self.assertEqual(Book.objects.using("default").get().title, "Written")
        with _Counting() as counts:
            Book.objects.filter(title="Written").update(title="Changed")
        self.assertEqual((counts["default"], counts["other"]), (1, 0))
        self.assertEqual(Book.objects.using("default").get().title, "Changed")
        Book.objects.filter(title="Changed").delete()
        self.assertFalse(Book.objects.using("default").exists())

    @override_config(routers=[PrimaryReplicaRouter()])
    def test_save_and_delete_go_to_the_write_database(self):
        book = Book.objects.using("other").get_or_create(title="Replica")[0]
        self.assertEqual(book._state.db, "other")
        fetched = Book.objects.get()  # read from other
        self.assertEqual(fetched._state.db, "other")
        fetched.title = "Saved"
        fetched.save()  # the router writes to default, as Django's save()
        self.assertEqual(fetched._state.db, "default")
        self.assertEqual(Book.objects.using("default").get().title, "Saved")
        self.assertEqual(Book.objects.using("other").get().title, "Replica")
        fetched.delete()
        self.assertFalse(Book.objects.using("default").exists())

    @override_config(routers=[PrimaryReplicaRouter()])
    def test_get_or_create_looks_in_the_write_database(self):
        Book.objects.using("other").create(title="Only on the replica")
        book, created = Book.objects.get_or_create(title="Only on the replica")
        self.assertTrue(created)
        self.assertEqual(book._state.db, "default")
        book, created = Book.objects.update_or_create(title="Only on the replica")
        self.assertFalse(created)
        Book.objects.bulk_create([Book(title="bulk")])
        self.assertEqual(Book.objects.using("default").count(), 2)
        self.assertEqual(Book.objects.using("other").count(), 1)

    @override_config(routers=[PrimaryReplicaRouter()])
    def test_many_to_many_writes_go_to_the_through_model_s_write_database(self):
        # The same rows on both databases, as a replica would hold them.
        for alias in BOTH:
            Book.objects.using(alias).create(id=1, title="Dive")
            Person.objects.using(alias).create(id=1, name="Mark")
        book = Book.objects.get()  # from the replica
        mark = Person.objects.get()
        self.assertEqual(book._state.db, "other")
        with _Counting() as counts:
            book.authors.add(mark)  # allowed by the router, written to the primary
        self.assertEqual(counts["other"], 0)
        self.assertEqual(Book.authors.through.objects.using("default").count(), 1)
        self.assertEqual(Book.authors.through.objects.using("other").count(), 0)
        self.assertEqual(list(book.authors.all()), [])  # the replica has not got the link yet
        book.authors.remove(mark)
        self.assertEqual(Book.authors.through.objects.using("default").count(), 0)

    @override_config(routers=[WriteOnlyRouter()])
    def test_a_router_without_db_for_read(self):
        Book.objects.create(title="Elsewhere")  # written to other
        self.assertEqual(_titles(Book.objects.using("other")), ["Elsewhere"])
        self.assertEqual(_titles(Book.objects.all()), [])  # reads fall back to default

    def test_override_config_restores_the_routers(self):
        with override_config(routers=[PrimaryReplicaRouter()]):
            Book.objects.create(title="Written")
            self.assertEqual(Book.objects.count(), 0)
        self.assertEqual(Book.objects.count(), 1)

    @override_config(routers=[PrimaryReplicaRouter()])
    async def test_async_methods_are_routed_too(self):
        await Book.objects.acreate(title="Async")
        self.assertEqual(await Book.objects.acount(), 0)
        self.assertEqual(await Book.objects.using("default").acount(), 1)


@override_config(routers=[PeopleElsewhereRouter()])
class ByModelTests(TestCase):
    """People live on `other`, books on `default`, and the router allows relations between."""

    databases = BOTH

    def test_each_model_goes_to_its_database(self):
        mark = Person.objects.create(name="Mark")
        book = Book.objects.create(title="Dive", editor=mark)
        self.assertEqual((mark._state.db, book._state.db), ("other", "default"))
        self.assertEqual(Person.objects.using("other").count(), 1)
        self.assertFalse(Person.objects.using("default").exists())
        self.assertEqual(Book.objects.get().editor, mark)  # read from other
        self.assertEqual(_titles(mark.edited.all()), ["Dive"])  # read from default

    def test_prefetch_across_databases(self):
        mark = Person.objects.create(name="Mark")
        bob = Person.objects.create(name="Bob")
        Book.objects.create(title="Dive", editor=mark)
        Book.objects.create(title="Pro", editor=bob)
        with _Counting() as counts:
            books = list(Book.objects.prefetch_related("editor"))
        self.assertEqual((counts["default"], counts["other"]), (1, 1))
        with _Counting() as counts:
            self.assertEqual([b.editor.name for b in books], ["Mark", "Bob"])
        self.assertEqual((counts["default"], counts["other"]), (0, 0))
        people = list(Person.objects.prefetch_related("edited"))
        self.assertEqual(
            {p.name: _titles(p.edited.all()) for p in people},
            {
                "Bob": ["Pro"],
                "Mark": ["Dive"],
            },
        )

    async def test_async_prefetch_across_databases(self):
        mark = await Person.objects.acreate(name="Mark")
        await Book.objects.acreate(title="Dive", editor=mark)
        books = [b async for b in Book.objects.prefetch_related("editor")]
        self.assertEqual([b.editor.name for b in books], ["Mark"])

    def test_many_to_many_links_follow_the_instance(self):
        mark = Person.objects.create(name="Mark")
        book = Book.objects.create(title="Dive")
        book.authors.add(mark)  # links go where the through model is written
        self.assertEqual(Book.authors.through.objects.using("default").count(), 1)
        self.assertEqual([b.title for b in Book.objects.filter(authors=mark)], ["Dive"])
        bob = Person.objects.create(name="Bob")
        # Django's rule: the new object goes where the instance's model (Person) is written,
        # its link where the through model is.
        written = bob.books.create(title="Bob's")
        self.assertEqual(written._state.db, "other")
        self.assertEqual(Book.authors.through.objects.using("default").count(), 2)
        self.assertFalse(Book.authors.through.objects.using("other").exists())
        book.authors.remove(mark)
        self.assertEqual(Book.authors.through.objects.using("default").count(), 1)

    def test_one_to_one_across_databases(self):
        mark = Person.objects.create(name="Mark")
        profile = Profile.objects.create(person=mark, flavor="tea")
        self.assertEqual(profile._state.db, "other")
        self.assertEqual(Person.objects.get().profile.flavor, "tea")
