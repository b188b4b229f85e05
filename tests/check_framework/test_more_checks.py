"""The model checks of issue 5's last gaps, with Django 5.2's ids, messages and hints: choices
that are not iterable (fields.E004), multi-table inheritance clashes (models.E005/E006),
ordering with order_with_respect_to (models.E021), index and constraint names used twice
(models.E029-E032), column names too long for a database (models.E018/E019), foreign keys to
non-unique or missing fields (fields.E310-E312) and the options a ManyToManyField or a
ForeignKey ignores (fields.W340-W342, W345, W346). Every model lives under isolate_apps.
"""

from __future__ import annotations

from tether import models
from tether.checks import Error, Warning, run_checks
from tether.checks.model_checks import check_model
from tether.test import SimpleTestCase
from tether.test.utils import isolate_apps


def ids(messages):
    return sorted(m.id for m in messages)


@isolate_apps("invalid_models", attr_name="apps")
class ChoicesCheckTests(SimpleTestCase):
    def test_choices_string_and_non_iterable(self):
        class Model(models.Model):
            text = models.CharField(max_length=10, choices="bad")
            number = models.IntegerField(choices=42)
            generated = models.CharField(max_length=3, choices=(x for x in [("a", "A")]))
            mapping = models.CharField(max_length=3, choices={"a": "A"})

            class Meta:
                app_label = "invalid_models"

        errors = check_model(Model)
        message = (
            "'choices' must be a mapping (e.g. a dictionary) or an iterable (e.g. a list or tuple)."
        )
        self.assertEqual(
            errors,
            [
                Error(message, obj=Model._meta.get_field("text"), id="fields.E004"),
                Error(message, obj=Model._meta.get_field("number"), id="fields.E004"),
            ],
        )
        self.assertEqual(Model._meta.get_field("generated").choices, [("a", "A")])

    def test_empty_choices_are_fine(self):
        class Model(models.Model):
            text = models.CharField(max_length=10, choices=[])

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(check_model(Model), [])


@isolate_apps("invalid_models", attr_name="apps")
class InheritanceClashTests(SimpleTestCase):
    def test_multi_inheritance_clash(self):
        class Mother(models.Model):
            clash = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        class Father(models.Model):
            clash = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        class Child(Mother, Father):
            class Meta:
                app_label = "invalid_models"

        self.assertEqual(
            check_model(Child),
            [
                Error(
                    "The field 'id' from parent model 'invalid_models.mother' clashes with the "
                    "field 'id' from parent model 'invalid_models.father'.",
                    obj=Child,
                    id="models.E005",
                ),
                Error(
                    "The field 'clash' from parent model 'invalid_models.mother' clashes with "
                    "the field 'clash' from parent model 'invalid_models.father'.",
                    obj=Child,
                    id="models.E005",
                ),
            ],
        )

    def test_inheritance_attname_clash(self):
        class Parent(models.Model):
            f_id = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        class Target(models.Model):
            f_id = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        class Child(Parent):
            f = models.ForeignKey(Target, models.CASCADE)

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(
            check_model(Child),
            [
                Error(
                    "The field 'f' clashes with the field 'f_id' from model "
                    "'invalid_models.parent'.",
                    obj=Child._meta.get_field("f"),
                    id="models.E006",
                )
            ],
        )

    def test_field_clashes_with_parent_reverse_accessor(self):
        class Parent(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Child(Parent):
            child = models.IntegerField()

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(
            check_model(Child),
            [
                Error(
                    "The field 'child' clashes with the field 'child' from model "
                    "'invalid_models.parent'.",
                    obj=Child._meta.get_field("child"),
                    id="models.E006",
                )
            ],
        )

    def test_diamond_common_parent(self):
        class GrandParent(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Parent(GrandParent):
            class Meta:
                app_label = "invalid_models"

        class Child(Parent):
            class Meta:
                app_label = "invalid_models"

        class Diamond(Child, GrandParent):
            class Meta:
                app_label = "invalid_models"

        self.assertEqual(
            check_model(Diamond),
            [
                Error(
                    "The field 'grandparent_ptr' clashes with the field 'grandparent_ptr' "
                    "from model 'invalid_models.parent'.",
                    obj=Diamond,
                    id="models.E006",
                )
            ],
        )

    def test_simple_inheritance_is_fine(self):
        class Place(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "invalid_models"

        class Restaurant(Place):
            serves = models.BooleanField(default=False)

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(check_model(Restaurant), [])


@isolate_apps("invalid_models", attr_name="apps")
class OptionsCheckTests(SimpleTestCase):
    def test_ordering_with_order_with_respect_to(self):
        class Question(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Answer(models.Model):
            question = models.ForeignKey(Question, models.CASCADE)
            order = models.IntegerField()

            class Meta:
                app_label = "invalid_models"
                order_with_respect_to = "question"
                ordering = ["order"]

        self.assertEqual(
            check_model(Answer),
            [
                Error(
                    "'ordering' and 'order_with_respect_to' cannot be used together.",
                    obj=Answer,
                    id="models.E021",
                )
            ],
        )

    def test_index_and_constraint_names_unique(self):
        class First(models.Model):
            a = models.IntegerField()

            class Meta:
                app_label = "invalid_models"
                indexes = [
                    models.Index(fields=["a"], name="idx_same"),
                    models.Index(fields=["a"], name="idx_same"),
                    models.Index(fields=["a"], name="idx_shared"),
                ]
                constraints = [
                    models.UniqueConstraint(fields=["a"], name="uc_same"),
                    models.CheckConstraint(condition=models.Q(a__gt=0), name="uc_same"),
                    models.UniqueConstraint(fields=["a"], name="c_shared"),
                ]

        class Second(models.Model):
            a = models.IntegerField()

            class Meta:
                app_label = "invalid_models"
                indexes = [models.Index(fields=["a"], name="idx_shared")]
                constraints = [models.UniqueConstraint(fields=["a"], name="c_shared")]

        errors = [e for e in run_checks() if e.id.startswith("models.E0") and e.id > "models.E028"]
        self.assertEqual(
            errors,
            [
                Error(
                    "index name 'idx_same' is not unique for model invalid_models.First.",
                    id="models.E029",
                ),
                Error(
                    "index name 'idx_shared' is not unique among models: "
                    "invalid_models.First, invalid_models.Second.",
                    id="models.E030",
                ),
                Error(
                    "constraint name 'uc_same' is not unique for model invalid_models.First.",
                    id="models.E031",
                ),
                Error(
                    "constraint name 'c_shared' is not unique among models: "
                    "invalid_models.First, invalid_models.Second.",
                    id="models.E032",
                ),
            ],
        )


@isolate_apps("invalid_models", attr_name="apps")
class LongColumnNameTests(SimpleTestCase):
    def test_only_with_databases_and_a_limit(self):
        from tether.db import connections

        long_name = "x" * 70

        class Model(models.Model):
            named = models.IntegerField(db_column="y" * 70)
            tags = models.ManyToManyField("self")

            class Meta:
                app_label = "invalid_models"

        Model.add_to_class(long_name, models.IntegerField(null=True))
        self.assertEqual(check_model(Model), [])
        limit = connections["default"].ops.max_name_length()
        errors = check_model(Model, databases=["default"])
        if limit is None:
            self.assertEqual(errors, [])
            return
        self.assertEqual(
            errors,
            [
                Error(
                    f'Autogenerated column name too long for field "{long_name}". '
                    f'Maximum length is "{limit}" for database "default".',
                    hint="Set the column name manually using 'db_column'.",
                    obj=Model,
                    id="models.E018",
                )
            ],
        )


@isolate_apps("invalid_models", attr_name="apps")
class RelationOptionCheckTests(SimpleTestCase):
    def test_to_field_missing(self):
        class Target(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            target = models.ForeignKey(Target, models.CASCADE, to_field="missing")

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(
            check_model(Model),
            [
                Error(
                    "The to_field 'missing' doesn't exist on the related model "
                    "'invalid_models.Target'.",
                    obj=Model._meta.get_field("target"),
                    id="fields.E312",
                )
            ],
        )

    def test_to_field_not_unique(self):
        class Target(models.Model):
            code = models.CharField(max_length=5)
            unique_code = models.CharField(max_length=5, unique=True)
            together = models.CharField(max_length=5)
            constrained = models.CharField(max_length=5)

            class Meta:
                app_label = "invalid_models"
                constraints = [
                    models.UniqueConstraint(fields=["constrained"], name="constrained_uniq"),
                    models.UniqueConstraint(
                        fields=["together"], name="partial", condition=models.Q(code="a")
                    ),
                ]

        class Model(models.Model):
            bad = models.ForeignKey(Target, models.CASCADE, to_field="code", related_name="+")
            partial = models.ForeignKey(
                Target, models.CASCADE, to_field="together", related_name="+"
            )
            good = models.ForeignKey(
                Target, models.CASCADE, to_field="unique_code", related_name="+"
            )
            constrained = models.ForeignKey(
                Target, models.CASCADE, to_field="constrained", related_name="+"
            )

            class Meta:
                app_label = "invalid_models"

        hint = (
            "Add unique=True to this field or add a UniqueConstraint (without condition) in "
            "the model Meta.constraints."
        )
        self.assertEqual(
            check_model(Model),
            [
                Error(
                    "'Target.code' must be unique because it is referenced by a foreign key.",
                    hint=hint,
                    obj=Model._meta.get_field("bad"),
                    id="fields.E311",
                ),
                Error(
                    "'Target.together' must be unique because it is referenced by a foreign key.",
                    hint=hint,
                    obj=Model._meta.get_field("partial"),
                    id="fields.E311",
                ),
            ],
        )

    def test_ignored_options(self):
        class Target(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            fk = models.ForeignKey(Target, models.CASCADE, unique=True, related_name="+")
            m2m = models.ManyToManyField(
                Target, null=True, validators=[lambda v: None], db_comment="x"
            )
            friends = models.ManyToManyField("self", related_name="befriended")

            class Meta:
                app_label = "invalid_models"

        get = Model._meta.get_field
        self.assertEqual(
            check_model(Model),
            [
                Warning(
                    "Setting unique=True on a ForeignKey has the same effect as using a "
                    "OneToOneField.",
                    hint="ForeignKey(unique=True) is usually better served by a OneToOneField.",
                    obj=get("fk"),
                    id="fields.W342",
                ),
                Warning("null has no effect on ManyToManyField.", obj=get("m2m"), id="fields.W340"),
                Warning(
                    "ManyToManyField does not support validators.", obj=get("m2m"), id="fields.W341"
                ),
                Warning(
                    "db_comment has no effect on ManyToManyField.", obj=get("m2m"), id="fields.W346"
                ),
                Warning(
                    "related_name has no effect on ManyToManyField with a symmetrical "
                    'relationship, e.g. to "self".',
                    obj=get("friends"),
                    id="fields.W345",
                ),
            ],
        )

    def test_one_to_one_is_not_warned(self):
        class Target(models.Model):
            class Meta:
                app_label = "invalid_models"

        class Model(models.Model):
            one = models.OneToOneField(Target, models.CASCADE)

            class Meta:
                app_label = "invalid_models"

        self.assertEqual(check_model(Model), [])
