"""CheckMessage levels, equality and printing; register/run_checks; the report format."""

from __future__ import annotations

from tether import checks, models
from tether.checks import Error, Warning, format_report
from tether.checks.registry import CheckRegistry
from tether.test import SimpleTestCase
from tether.test.utils import isolate_apps


class MessageTests(SimpleTestCase):
    def test_levels(self):
        self.assertEqual(
            [checks.DEBUG, checks.INFO, checks.WARNING, checks.ERROR, checks.CRITICAL],
            [10, 20, 30, 40, 50],
        )
        self.assertTrue(Error("x").is_serious())
        self.assertFalse(Warning("x").is_serious())
        self.assertTrue(checks.Critical("x").is_serious())
        self.assertEqual(checks.Info("x").level, checks.INFO)
        self.assertEqual(checks.Debug("x").level, checks.DEBUG)

    def test_str_without_obj(self):
        self.assertEqual(
            str(Error("Message", hint="Hint", id="app.E001")), "?: (app.E001) Message\n\tHINT: Hint"
        )
        self.assertEqual(str(Error("Message")), "?: Message")

    @isolate_apps("press")
    def test_str_with_model_and_field(self):
        class Article(models.Model):
            title = models.CharField(max_length=5)

            class Meta:
                app_label = "press"

        self.assertEqual(str(Error("m", obj=Article, id="x.E1")), "press.Article: (x.E1) m")
        field = Article._meta.get_field("title")
        self.assertEqual(str(Warning("m", obj=field)), "press.Article.title: m")

    def test_equality(self):
        self.assertEqual(Error("a", hint="h", obj=1, id="i"), Error("a", hint="h", obj=1, id="i"))
        self.assertNotEqual(Error("a"), Warning("a"))
        self.assertNotEqual(Error("a"), Error("b"))

    def test_level_must_be_int(self):
        with self.assertRaisesMessage(TypeError, "The first argument should be level."):
            checks.CheckMessage("bad", "msg")


class RegistryTests(SimpleTestCase):
    def test_register_and_run_with_tags(self):
        registry = CheckRegistry()

        def first(app_configs=None, **kwargs):
            return [Error("first")]

        @registry.register("mytag")
        def second(app_configs=None, **kwargs):
            return [Warning("second")]

        registry.register(first)
        self.assertEqual(
            sorted(m.msg for m in registry.run_checks() if m.msg in ("first", "second")),
            ["first", "second"],
        )
        self.assertEqual([m.msg for m in registry.run_checks(tags=["mytag"])], ["second"])
        self.assertTrue(registry.tag_exists("mytag"))
        self.assertFalse(registry.tag_exists("nope"))

    def test_check_must_return_list(self):
        registry = CheckRegistry()
        registry.register(lambda **kwargs: None)
        with self.assertRaises(TypeError):
            registry.run_checks()

    def test_global_register(self):
        @checks.register("tether-test-tag")
        def custom(app_configs=None, **kwargs):
            return [Error("custom", id="custom.E001")]

        try:
            found = checks.run_checks(tags=["tether-test-tag"])
            self.assertEqual(found, [Error("custom", id="custom.E001")])
        finally:
            checks.registry.registered_checks.discard(custom)


class ReportTests(SimpleTestCase):
    def test_no_issues(self):
        self.assertEqual(
            format_report([]), ("System check identified no issues (0 silenced).", False)
        )

    def test_groups_and_count(self):
        text, serious = format_report([Warning("w", id="x.W1"), Error("b"), Error("a")])
        self.assertTrue(serious)
        self.assertEqual(
            text,
            "System check identified some issues:\n\nERRORS:\n?: a\n?: b\n\n"
            "WARNINGS:\n?: (x.W1) w\n\nSystem check identified 3 issues (0 silenced).",
        )

    def test_one_issue(self):
        text, serious = format_report([Warning("w")])
        self.assertFalse(serious)
        self.assertTrue(text.endswith("System check identified 1 issue (0 silenced)."))
