"""pre/post init, save and delete: arguments and order as Django 5.2 sends them."""

from __future__ import annotations

from typing import Any

from tether.models import signals
from tether.test import TestCase

from .models import Author, Book


class ModelSignalTests(TestCase):
    def setUp(self) -> None:
        self.log: list[tuple[Any, ...]] = []
        self.receivers = []
        for name in ("pre_init", "post_init", "pre_save", "post_save", "pre_delete", "post_delete"):

            def receiver(sender: Any, _name: str = name, **kwargs: Any) -> None:
                kwargs.pop("signal")
                if "kwargs" in kwargs:
                    kwargs["kwargs"] = dict(kwargs["kwargs"])  # __init__ consumes the dict after
                self.log.append((_name, sender.__name__, kwargs))

            getattr(signals, name).connect(receiver)
            self.receivers.append((getattr(signals, name), receiver))

    def tearDown(self) -> None:
        for signal, receiver in self.receivers:
            signal.disconnect(receiver)

    def names(self) -> list[tuple[str, str]]:
        return [(entry[0], entry[1]) for entry in self.log]

    def test_init_and_save(self) -> None:
        a = Author(name="a")
        self.assertEqual(self.log[0], ("pre_init", "Author", {"args": (), "kwargs": {"name": "a"}}))
        self.assertEqual(self.log[1], ("post_init", "Author", {"instance": a}))
        self.log.clear()
        a.save()
        self.assertEqual(
            self.log,
            [
                (
                    "pre_save",
                    "Author",
                    {"instance": a, "raw": False, "using": "default", "update_fields": None},
                ),
                (
                    "post_save",
                    "Author",
                    {
                        "instance": a,
                        "created": True,
                        "update_fields": None,
                        "raw": False,
                        "using": "default",
                    },
                ),
            ],
        )
        self.log.clear()
        a.save(update_fields=["name"])
        self.assertEqual(self.log[1][2]["update_fields"], frozenset({"name"}))
        self.assertFalse(self.log[1][2]["created"])

    def test_from_db_sends_init(self) -> None:
        Author.objects.create(name="a")
        self.log.clear()
        loaded = Author.objects.get()
        self.assertEqual(self.names(), [("pre_init", "Author"), ("post_init", "Author")])
        self.assertEqual(self.log[1][2]["instance"], loaded)

    def test_delete_order_and_origin(self) -> None:
        a = Author.objects.create(name="a")
        b = Book.objects.create(title="t", author=a)
        self.log.clear()
        a.delete()
        deletes = [(n, s) for n, s, _ in self.log if "delete" in n]
        self.assertEqual(
            deletes,
            [
                ("pre_delete", "Book"),
                ("pre_delete", "Author"),
                ("post_delete", "Book"),
                ("post_delete", "Author"),
            ],
        )
        origins = {entry[2]["origin"] is a for entry in self.log if "delete" in entry[0]}
        self.assertEqual(origins, {True})
        self.assertEqual(
            [e[2]["instance"].title for e in self.log if e[:2] == ("pre_delete", "Book")], [b.title]
        )

    def test_queryset_delete_origin(self) -> None:
        Author.objects.create(name="a")
        qs = Author.objects.all()
        self.log.clear()
        qs.delete()
        self.assertIs(self.log[-1][2]["origin"], qs)


class NoReceiverFastPathTests(TestCase):
    def test_rows_built_without_init(self) -> None:
        Author.objects.create(name="a")
        self.assertFalse(signals.pre_init.has_listeners(Author))
        self.assertEqual(Author.objects.get().name, "a")
