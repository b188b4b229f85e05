"""Model and field checks with Django 5.2's ids, messages and hints; each model is defined
under isolate_apps so that it never reaches the global registry or the test database."""

from __future__ import annotations

from tether import models
from tether.checks import Error, run_checks
from tether.checks.model_checks import check_model
from tether.test import SimpleTestCase
from tether.test.utils import isolate_apps


def ids(messages):
    return sorted(m.id for m in messages)


@isolate_apps("invalid_models", attr_name="apps")
class FieldCheckTests(SimpleTestCase):
    def test_field_names(self):
        class Model(models.Model):
            field_ = models.IntegerField()
            some__field = models.IntegerField()
            pk = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        errors = check_model(Model)
        opts = Model._meta
        self.assertIn(
            Error(
                "Field names must not end with an underscore.",
                obj=opts.get_field("field_"),
                id="fields.E001",
            ),
            errors,
        )
        self.assertIn(
            Error(
                'Field names must not contain "__".',
                obj=opts.get_field("some__field"),
                id="fields.E002",
            ),
            errors,
        )
        self.assertIn(
            Error(
                "'pk' is a reserved word that cannot be used as a field name.",
                obj=opts.get_field("pk"),
                id="fields.E003",
            ),
            errors,
        )

    def test_charfield_max_length(self):
        class Model(models.Model):
            missing = models.CharField()
            negative = models.CharField(max_length=-1)
            text = models.CharField(max_length="bad")
            fine = models.CharField(max_length=3)

            class Meta:
                app_label = "invalid_models"

        errors = check_model(Model)
        self.assertEqual(ids(errors), ["fields.E120", "fields.E121", "fields.E121"])
        self.assertEqual(
            str(errors[0]),
            "invalid_models.Model.missing: (fields.E120) CharFields "
            "must define a 'max_length' attribute.",
        )

    def test_decimal_field(self):
        class Model(models.Model):
            none = models.DecimalField()
            negative = models.DecimalField(max_digits=-1, decimal_places=-1)
            bigger = models.DecimalField(max_digits=2, decimal_places=3)
            fine = models.DecimalField(max_digits=5, decimal_places=2)

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(
            ids(check_model(Model)),
            ["fields.E130", "fields.E131", "fields.E132", "fields.E133", "fields.E134"],
        )

    def test_choices(self):
        class Model(models.Model):
            bad = models.CharField(max_length=5, choices=[("a", "A", "extra"), ("b", "B")])
            flat = models.CharField(max_length=5, choices=[1, 2])
            good = models.CharField(max_length=5, choices=[("a", "A"), ("G", [("g", "g")])])
            mapping = models.CharField(max_length=5, choices={"a": "A"})

            class Meta:
                app_label = "invalid_models"

        errors = check_model(Model)
        self.assertEqual(ids(errors), ["fields.E005", "fields.E005"])
        self.assertEqual(
            errors[0].msg,
            "'choices' must be a mapping of actual values to human readable names or an "
            "iterable containing (actual value, human readable name) tuples.",
        )

    def test_db_index(self):
        class Model(models.Model):
            field = models.IntegerField(db_index="yes")

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(ids(check_model(Model)), ["fields.E006"])


@isolate_apps("invalid_models", attr_name="apps")
class RelationCheckTests(SimpleTestCase):
    def test_missing_target_and_lazy_reference(self):
        class Model(models.Model):
            foreign = models.ForeignKey("Rel1", models.CASCADE)
            m2m = models.ManyToManyField("other_app.Rel2")

            class Meta:
                app_label = "invalid_models"

        errors = run_checks()
        texts = [str(e) for e in errors]
        self.assertIn(
            "invalid_models.Model.foreign: (fields.E300) Field defines a relation with model "
            "'Rel1', which is either not installed, or is abstract.",
            texts,
        )
        self.assertIn(
            "invalid_models.Model.foreign: (fields.E307) The field invalid_models.Model.foreign "
            "was declared with a lazy reference to 'invalid_models.rel1', but app "
            "'invalid_models' doesn't provide model 'rel1'.",
            texts,
        )
        self.assertIn(
            "invalid_models.Model.m2m: (fields.E307) The field invalid_models.Model.m2m was "
            "declared with a lazy reference to 'other_app.rel2', but app 'other_app' isn't "
            "installed.",
            texts,
        )

    def test_accessor_clash_between_m2m_fields(self):
        class Publication(models.Model):
            class Meta:
                app_label = "press"

        class Article(models.Model):
            publications = models.ManyToManyField(Publication)
            other = models.ManyToManyField(Publication)

            class Meta:
                app_label = "press"

        errors = check_model(Article)
        self.assertIn(
            "press.Article.publications: (fields.E304) Reverse accessor "
            "'Publication.article_set' for 'press.Article.publications' clashes with reverse "
            "accessor for 'press.Article.other'.\n\tHINT: Add or change a related_name argument "
            "to the definition for 'press.Article.publications' or 'press.Article.other'.",
            [str(e) for e in errors],
        )
        self.assertEqual(ids(errors), ["fields.E304", "fields.E304"])

    def test_fk_clashes_with_field_names(self):
        class Target(models.Model):
            model_set = models.IntegerField()
            model = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            rel = models.ForeignKey(Target, models.CASCADE)

            class Meta:
                app_label = "invalid_models"

        errors = check_model(Model)
        self.assertEqual(ids(errors), ["fields.E302", "fields.E303"])
        self.assertEqual(
            str(errors[0]),
            "invalid_models.Model.rel: (fields.E302) Reverse accessor 'Target.model_set' for "
            "'invalid_models.Model.rel' clashes with field name 'invalid_models.Target.model_set'"
            ".\n\tHINT: Rename field 'invalid_models.Target.model_set', or add/change a "
            "related_name argument to the definition for field 'invalid_models.Model.rel'.",
        )

    def test_reverse_query_name_clash(self):
        class Target(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            first = models.ForeignKey(Target, models.CASCADE, related_name="clash")
            second = models.ForeignKey(Target, models.CASCADE, related_name="clash")

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(ids(check_model(Model)), ["fields.E304"] * 2 + ["fields.E305"] * 2)

    def test_hidden_related_name_never_clashes(self):
        class Target(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            first = models.ForeignKey(Target, models.CASCADE, related_name="+")
            second = models.ForeignKey(Target, models.CASCADE, related_name="+")

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(check_model(Model), [])

    def test_invalid_related_name(self):
        class Target(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            rel = models.ForeignKey(Target, models.CASCADE, related_name="not valid")
            kw = models.ForeignKey(Target, models.CASCADE, related_name="class")

            class Meta:
                app_label = "invalid_models"

        errors = [e for e in check_model(Model) if e.id == "fields.E306"]
        self.assertEqual(len(errors), 2)
        self.assertEqual(
            errors[0].msg, "The name 'not valid' is invalid related_name for field Model.rel"
        )
        self.assertEqual(
            errors[0].hint, "Related name must be a valid Python identifier or end with a '+'"
        )

    def test_on_delete(self):
        class Target(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            a = models.ForeignKey(Target, models.SET_NULL, related_name="a")
            b = models.ForeignKey(Target, models.SET_DEFAULT, related_name="b")

            class Meta:
                app_label = "invalid_models"

        errors = check_model(Model)
        self.assertEqual(ids(errors), ["fields.E320", "fields.E321"])
        self.assertEqual(
            errors[0].hint, "Set null=True argument on the field, or change the on_delete rule."
        )

    def test_through_checks(self):
        class Person(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Group(models.Model):
            members = models.ManyToManyField(Person, through="Membership")
            field = models.ManyToManyField(Person, through="Missing", related_name="x")
            named = models.ManyToManyField(
                Person, through="Membership", through_fields=("nope", "person"), related_name="y"
            )

            class Meta:
                app_label = "invalid_models"

        class Membership(models.Model):
            person = models.ForeignKey(Person, models.CASCADE)
            inviter = models.ForeignKey(Person, models.CASCADE, related_name="+")

            class Meta:
                app_label = "invalid_models"

        errors = check_model(Group)
        texts = [str(e) for e in errors]
        self.assertIn(
            "invalid_models.Group.field: (fields.E331) Field specifies a many-to-many "
            "relation through model 'Missing', which has not been installed.",
            texts,
        )
        self.assertIn("fields.E335", ids(errors))
        self.assertIn(
            "invalid_models.Group.named: (fields.E338) The intermediary model "
            "'invalid_models.Membership' has no field 'nope'.",
            texts,
        )
        self.assertIn("fields.E336", ids(errors))

    def test_through_fields_incomplete(self):
        class Person(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Group(models.Model):
            members = models.ManyToManyField(
                Person, through="Membership", through_fields=("group", None)
            )

            class Meta:
                app_label = "invalid_models"

        class Membership(models.Model):
            group = models.ForeignKey(Group, models.CASCADE)
            person = models.ForeignKey(Person, models.CASCADE)

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(ids(check_model(Group)), ["fields.E337"])


@isolate_apps("invalid_models", attr_name="apps")
class ModelCheckTests(SimpleTestCase):
    def test_id_not_primary_key(self):
        class Model(models.Model):
            id = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        self.assertIn(
            Error(
                "'id' can only be used as a field name if the field also sets 'primary_key=True'.",
                obj=Model,
                id="models.E004",
            ),
            check_model(Model),
        )

    def test_column_clash(self):
        class Model(models.Model):
            foo = models.IntegerField(db_column="bar")
            bar = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(
            check_model(Model),
            [
                Error(
                    "Field 'bar' has column name 'bar' that is used by another field.",
                    hint="Specify a 'db_column' for the field.",
                    obj=Model,
                    id="models.E007",
                )
            ],
        )

    def test_ordering(self):
        class Parent(models.Model):
            name = models.CharField(max_length=5)

            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            parent = models.ForeignKey(Parent, models.CASCADE)

            class Meta:
                app_label = "invalid_models"
                ordering = [
                    "-missing",
                    "parent__name",
                    "parent__name__iexact",
                    "parent__nope",
                    "pk",
                    "?",
                    "parent_id",
                    "-parent",
                ]

        errors = check_model(Model)
        self.assertEqual(
            [e.msg for e in errors],
            [
                "'ordering' refers to the nonexistent field, related field, or lookup "
                "'parent__nope'.",
                "'ordering' refers to the nonexistent field, related field, or lookup 'missing'.",
            ],
        )
        self.assertEqual(ids(errors), ["models.E015"] * 2)

    def test_unique_together_and_indexes(self):
        class Model(models.Model):
            name = models.CharField(max_length=5)
            tags = models.ManyToManyField("self")

            class Meta:
                app_label = "invalid_models"
                unique_together = [("name", "missing"), ("name", "tags")]
                indexes = [
                    models.Index(fields=["nope"], name="_bad"),
                    models.Index(fields=["name"], name="x" * 31),
                ]

        errors = check_model(Model)
        self.assertEqual(
            ids(errors), ["models.E012", "models.E012", "models.E013", "models.E033", "models.E034"]
        )
        self.assertIn(
            "'unique_together' refers to the nonexistent field 'missing'.", [e.msg for e in errors]
        )
        self.assertIn(
            "The index name '" + "x" * 31 + "' cannot be longer than 30 characters.",
            [e.msg for e in errors],
        )

    def test_db_table_used_twice(self):
        class First(models.Model):
            class Meta:
                app_label = "invalid_models"
                db_table = "shared"

        class Second(models.Model):
            class Meta:
                app_label = "invalid_models"
                db_table = "shared"

        self.assertIn(
            Error(
                "db_table 'shared' is used by multiple models: "
                "invalid_models.First, invalid_models.Second.",
                obj="shared",
                id="models.E028",
            ),
            run_checks(),
        )

    def test_valid_models_give_nothing(self):
        class Author(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "valid"
                ordering = ["name"]

        class Book(models.Model):
            author = models.ForeignKey(Author, models.SET_NULL, null=True)
            readers = models.ManyToManyField(Author, related_name="read")

            class Meta:
                app_label = "valid"
                ordering = ["author__name", "-pk"]

        self.assertEqual(run_checks(), [])
