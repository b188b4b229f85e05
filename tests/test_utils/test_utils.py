"""isolate_apps, override_config and CaptureQueriesContext (tether.test.utils)."""

from __future__ import annotations

import asyncio

import tether.apps
from tether import models
from tether.conf import settings
from tether.db import connection, connections
from tether.test import SimpleTestCase, TestCase, override_config
from tether.test.utils import CaptureQueriesContext, isolate_apps

from .models import Car


class IsolateAppsTests(SimpleTestCase):
    def test_context_manager(self):
        before = tether.apps.apps
        with isolate_apps("test_utils") as apps:
            self.assertIsInstance(apps, tether.apps.Apps)
            self.assertIs(tether.apps.apps, apps)

            class Isolated(models.Model):
                name = models.CharField(max_length=5)

                class Meta:
                    app_label = "test_utils"

            self.assertIs(Isolated._meta.apps, apps)
            self.assertEqual(apps.get_models(), [Isolated])
        self.assertIs(tether.apps.apps, before)
        self.assertNotIn(Isolated, before.get_models())
        with self.assertRaises(LookupError):
            before.get_model("test_utils", "Isolated")

    @isolate_apps("test_utils", kwarg_name="apps")
    def test_function_decorator_with_kwarg(self, apps):
        class Other(models.Model):
            class Meta:
                app_label = "test_utils"

        self.assertIs(apps.get_model("test_utils", "Other"), Other)

    def test_lazy_references_resolve_inside(self):
        with isolate_apps("test_utils") as apps:

            class Child(models.Model):
                parent = models.ForeignKey("Parent", models.CASCADE)

                class Meta:
                    app_label = "test_utils"

            class Parent(models.Model):
                class Meta:
                    app_label = "test_utils"

            self.assertIs(Child._meta.get_field("parent").remote_field.model, Parent)
            self.assertEqual(apps.pending_references(), [])

    def test_same_name_twice_in_separate_blocks(self):
        for _ in range(2):
            with isolate_apps("test_utils"):

                class Twice(models.Model):
                    class Meta:
                        app_label = "test_utils"

    def test_async_function(self):
        @isolate_apps("test_utils", kwarg_name="apps")
        async def body(apps):
            return apps

        self.assertIsInstance(asyncio.run(body()), tether.apps.Apps)


@isolate_apps("test_utils", attr_name="apps")
class IsolateAppsClassTests(SimpleTestCase):
    def test_attr(self):
        self.assertIs(tether.apps.apps, self.apps)

        class InClass(models.Model):
            class Meta:
                app_label = "test_utils"

        self.assertEqual(self.apps.get_models(), [InClass])

    def test_fresh_registry_per_test(self):
        self.assertEqual(self.apps.get_models(), [])


class IsolatedModelsStayOutOfTheDatabase(TestCase):
    @isolate_apps("test_utils")
    def test_no_table(self):
        class Ghost(models.Model):
            class Meta:
                app_label = "test_utils"

        tables = connection.introspection.table_names()
        self.assertNotIn(Ghost._meta.db_table, tables)
        self.assertIn(Car._meta.db_table, tables)


class OverrideConfigTests(TestCase):
    def test_context_manager_restores(self):
        self.assertFalse(settings.debug)
        with override_config(debug=True, time_zone="Europe/Paris"):
            self.assertTrue(settings.debug)
            self.assertEqual(settings.time_zone, "Europe/Paris")
        self.assertFalse(settings.debug)
        self.assertEqual(settings.time_zone, "UTC")

    def test_restores_on_error(self):
        with self.assertRaises(RuntimeError):
            with override_config(debug=True):
                raise RuntimeError
        self.assertFalse(settings.debug)

    def test_nested(self):
        with override_config(time_zone="Europe/Paris"):
            with override_config(time_zone="Asia/Tokyo"):
                self.assertEqual(settings.time_zone, "Asia/Tokyo")
            self.assertEqual(settings.time_zone, "Europe/Paris")
        self.assertEqual(settings.time_zone, "UTC")

    @override_config(debug=True)
    def test_method_decorator(self):
        self.assertTrue(settings.debug)

    def test_unknown_setting(self):
        with self.assertRaisesMessage(TypeError, "unknown setting(s): nope"):
            override_config(nope=1)

    def test_debug_turns_logging_on(self):
        connection.queries_log.clear()
        with override_config(debug=True):
            Car.objects.count()
            self.assertEqual(len(connection.queries), 1)
        connection.queries_log.clear()

    def test_keeps_connections_unless_databases_change(self):
        Car.objects.count()
        wrapper = connections["default"]
        with override_config(time_zone="Europe/Paris"):
            self.assertIs(connections["default"], wrapper)
            self.assertTrue(wrapper.is_usable)

    def test_use_tz_drops_cached_statements(self):
        Car.objects.count()
        self.assertTrue(connection.caches.statements)
        with override_config(use_tz=False):
            self.assertFalse(connection.caches)


@override_config(time_zone="Asia/Tokyo")
class OverrideConfigClassTests(SimpleTestCase):
    def test_applies_to_each_test(self):
        self.assertEqual(settings.time_zone, "Asia/Tokyo")

    def test_and_again(self):
        self.assertEqual(settings.time_zone, "Asia/Tokyo")


class OverrideConfigRestoredAfterClass(SimpleTestCase):
    def test_restored(self):
        self.assertEqual(settings.time_zone, "UTC")


class CaptureQueriesTests(TestCase):
    def test_capture(self):
        with CaptureQueriesContext(connection) as ctx:
            Car.objects.create(name="a")
            list(Car.objects.filter(name="a"))
        self.assertEqual(len(ctx), 2)
        self.assertIn("INSERT", ctx[0]["sql"])
        self.assertIn("'a'", ctx[1]["sql"])
        self.assertEqual([q["sql"] for q in ctx], [q["sql"] for q in ctx.captured_queries])
        Car.objects.count()
        self.assertEqual(len(ctx), 2)

    def test_nothing_logged_after_block(self):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection):
            Car.objects.count()
        Car.objects.count()
        self.assertEqual(len(connection.queries_log), 1)
