"""Proxy models: the concrete model's table under another class; counts pinned against Django."""

from __future__ import annotations

from tether.models import signals
from tether.test import TestCase

from .models import Company, MyPerson, OtherPerson, Person, StatusPerson


class ProxyModelTests(TestCase):
    def test_meta(self) -> None:
        self.assertTrue(MyPerson._meta.proxy)
        self.assertIs(MyPerson._meta.concrete_model, Person)
        self.assertIs(StatusPerson._meta.concrete_model, Person)
        self.assertIs(StatusPerson._meta.proxy_for_model, MyPerson)
        self.assertEqual(MyPerson._meta.db_table, Person._meta.db_table)
        self.assertIs(MyPerson._meta.pk, Person._meta.pk)
        self.assertEqual(MyPerson._meta.ordering, ["name"])
        self.assertTrue(issubclass(MyPerson.DoesNotExist, Person.DoesNotExist))

    def test_same_table_and_own_class(self) -> None:
        Person.objects.create(name="Foo McBar")
        MyPerson.objects.create(name="Bazza del Frob")
        self.assertEqual(Person.objects.count(), 2)
        people = list(MyPerson.objects.all())
        self.assertEqual([p.name for p in people], ["Bazza del Frob", "Foo McBar"])
        self.assertTrue(all(type(p) is MyPerson for p in people))
        self.assertFalse(people[0].has_special_name())
        self.assertEqual(
            MyPerson.objects.get(name="Foo McBar").pk, Person.objects.get(name="Foo McBar").pk
        )
        self.assertEqual(
            MyPerson.objects.get(name="Foo McBar"), Person.objects.get(name="Foo McBar")
        )

    def test_managers(self) -> None:
        for name in ("fred", "wilma", "barney"):
            Person._base_manager.create(name=name)
        self.assertEqual(sorted(p.name for p in Person.objects.all()), ["barney", "wilma"])
        self.assertEqual([p.name for p in MyPerson.objects.all()], ["barney", "wilma"])
        self.assertEqual([p.name for p in MyPerson.other.all()], ["barney", "wilma"])
        self.assertEqual(sorted(p.name for p in OtherPerson.excluder.all()), ["barney", "fred"])
        self.assertIs(type(OtherPerson.objects.get(name="barney")), OtherPerson)

    def test_signals_sender_is_proxy(self) -> None:
        seen: list[tuple[str, str]] = []

        def make(kind: str):  # type: ignore[no-untyped-def]
            def receiver(sender, **kwargs):  # type: ignore[no-untyped-def]
                seen.append((kind, sender.__name__))

            return receiver

        receivers = {
            name: make(name) for name in ("pre_save", "post_save", "pre_delete", "post_delete")
        }
        for name, func in receivers.items():
            getattr(signals, name).connect(func, sender=MyPerson)
        try:
            p = MyPerson.objects.create(name="x")
            Person.objects.create(name="y")
            p.delete()
        finally:
            for name, func in receivers.items():
                getattr(signals, name).disconnect(func, sender=MyPerson)
        self.assertEqual(
            seen,
            [
                ("pre_save", "MyPerson"),
                ("post_save", "MyPerson"),
                ("pre_delete", "MyPerson"),
                ("post_delete", "MyPerson"),
            ],
        )

    def test_delete_counts(self) -> None:
        p = Person.objects.create(name="x")
        Company.objects.create(owner=p)
        with self.assertNumQueries(3):
            self.assertEqual(
                MyPerson.objects.get(pk=p.pk).delete(),
                (2, {"proxy_models.Company": 1, "proxy_models.MyPerson": 1}),
            )
        Person.objects.create(name="x")
        with self.assertNumQueries(3):
            self.assertEqual(MyPerson.objects.all().delete(), (1, {"proxy_models.MyPerson": 1}))

    def test_relation_to_proxy_instance(self) -> None:
        p = MyPerson.objects.create(name="x")
        c = Company.objects.create(owner=p)
        self.assertEqual(Company.objects.get(owner=p), c)
        self.assertEqual(list(p.companies.all()), [c])
