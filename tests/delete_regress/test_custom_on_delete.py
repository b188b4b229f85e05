"""on_delete callables with Django's signature run through tether's collector.

Django calls them with (collector, field, sub_objs, using), sub_objs being the related
model's rows as an evaluated QuerySet; they use collect(), add_field_update(),
add_restricted_objects() and add_dependency(). Counts and errors are Django 5.2's.
"""

from tether.db import connection
from tether.models import QuerySet
from tether.models.deletion import RestrictedError
from tether.test import TestCase
from tether.test.utils import CaptureQueriesContext

from .models import CALLS, Cascaded, Guarded, Leaf, Moved, Owner, django_cascade


class DjangoStyleHandlerTests(TestCase):
    def setUp(self):
        CALLS.clear()
        self.owner = Owner.objects.create(name="owner")
        self.fallback = Owner.objects.create(name="fallback")

    def test_collect_cascades(self):
        first = Cascaded.objects.create(owner=self.owner)
        second = Cascaded.objects.create(owner=self.owner)
        Leaf.objects.create(cascaded=first)
        Cascaded.objects.create(owner=self.fallback)
        result = self.owner.delete()
        self.assertEqual(
            result,
            (
                4,
                {"delete_regress.Leaf": 1, "delete_regress.Cascaded": 2, "delete_regress.Owner": 1},
            ),
        )
        self.assertEqual(CALLS, [("cascade", Cascaded, [first.pk, second.pk], "default")])
        self.assertEqual(Cascaded.objects.count(), 1)

    def test_sub_objs_is_an_evaluated_queryset(self):
        Cascaded.objects.create(owner=self.owner)
        seen = []

        def inspect(collector, field, sub_objs, using):
            seen.append((isinstance(sub_objs, QuerySet), sub_objs._result_cache is not None))
            django_cascade(collector, field, sub_objs, using)

        field = Cascaded._meta.get_field("owner")
        original = field.remote_field.on_delete
        field.remote_field.on_delete = inspect
        try:
            self.owner.delete()
        finally:
            field.remote_field.on_delete = original
        self.assertEqual(seen, [(True, True)])

    def test_add_field_update(self):
        moved = Moved.objects.create(owner=self.owner)
        with CaptureQueriesContext(connection) as ctx:
            result = self.owner.delete()
        self.assertEqual(result, (1, {"delete_regress.Owner": 1}))
        moved.refresh_from_db()
        self.assertEqual(moved.owner_id, self.fallback.pk)
        updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
        self.assertEqual(len(updates), 1)

    def test_restricted(self):
        Guarded.objects.create(owner=self.owner)
        with self.assertRaises(RestrictedError) as caught:
            self.owner.delete()
        self.assertEqual(len(caught.exception.restricted_objects), 1)
        self.assertTrue(Owner.objects.filter(pk=self.owner.pk).exists())

    def test_restricted_but_reached_by_a_cascade(self):
        Guarded.objects.create(owner=self.owner, other=self.owner)
        self.assertEqual(
            self.owner.delete(), (2, {"delete_regress.Guarded": 1, "delete_regress.Owner": 1})
        )

    def test_queryset_delete(self):
        Cascaded.objects.create(owner=self.owner)
        Moved.objects.create(owner=self.owner)
        deleted = Owner.objects.filter(name="owner").delete()
        self.assertEqual(deleted, (2, {"delete_regress.Cascaded": 1, "delete_regress.Owner": 1}))

    async def test_adelete(self):
        cascaded = await Cascaded.objects.acreate(owner=self.owner)
        await Leaf.objects.acreate(cascaded=cascaded)
        result = await self.owner.adelete()
        self.assertEqual(result[0], 3)
        self.assertEqual(CALLS[0][0], "cascade")
