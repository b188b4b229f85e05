"""The model changes of the differential test against Django's makemigrations.

Each case is the models.py body before and after the change, and the answers typed at
makemigrations' questions for the second migration (renames, one-off defaults); a case
without answers runs with --noinput. The bodies are written once for both tools: the header
that imports `models` (and Lower, uuid) comes from the test.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    before: str
    after: str
    answers: str | None = None


STUDENT = "class Student(models.Model):\n    name = models.CharField(max_length=50)\n"


def student(*lines: str, meta: tuple[str, ...] = ()) -> str:
    """The Student model with extra field lines and Meta lines."""
    body = STUDENT + "".join(f"    {line}\n" for line in lines)
    if meta:
        body += "\n    class Meta:\n" + "".join(f"        {line}\n" for line in meta)
    return body + "\n\n"


def course(*lines: str, meta: tuple[str, ...] = ()) -> str:
    body = "class Course(models.Model):\n    title = models.CharField(max_length=50)\n"
    body += "".join(f"    {line}\n" for line in lines)
    if meta:
        body += "\n    class Meta:\n" + "".join(f"        {line}\n" for line in meta)
    return body + "\n\n"


AGE = "age = models.IntegerField(null=True)"
NAME_IDX = "indexes = [models.Index(fields=['name'], name='student_name_idx')]"
LEAD = "lead = models.ForeignKey(Student, models.CASCADE, null=True, related_name='+')"
STUDENTS = "students = models.ManyToManyField(Student, related_name='courses')"
ENROLLMENT = (
    "class Enrollment(models.Model):\n"
    "    student = models.ForeignKey(Student, models.CASCADE)\n"
    "    course = models.ForeignKey('Course', models.CASCADE)\n"
)
MANAGER = "class StudentManager(models.Manager):\n    use_in_migrations = True\n\n\n"

CASES: dict[str, Case] = {
    # Fields added.
    "add_nullable_field": Case(student(), student(AGE)),
    "add_field_with_default": Case(student(), student("age = models.IntegerField(default=0)")),
    "add_field_one_off_default": Case(
        student(), student("age = models.IntegerField()"), answers="1\n7\n"
    ),
    "add_field_auto_now_add": Case(
        student(), student("joined = models.DateTimeField(auto_now_add=True)"), answers="1\n\n"
    ),
    "add_field_db_default": Case(student(), student("age = models.IntegerField(db_default=0)")),
    "add_decimal_and_uuid": Case(
        student(),
        student(
            "fee = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal('1.50'))",
            "token = models.UUIDField(default=uuid.uuid4, editable=False)",
        ),
    ),
    "add_fk_and_one_to_one": Case(
        student() + course(),
        student() + course(LEAD, "room = models.OneToOneField(Student, models.PROTECT, null=True)"),
    ),
    # Fields removed, altered, renamed.
    "remove_field": Case(student(AGE), student()),
    "alter_field": Case(
        student(), student().replace("max_length=50", "max_length=80, db_index=True")
    ),
    "alter_null_to_not_null": Case(
        student(AGE), student("age = models.IntegerField()"), answers="1\n0\n"
    ),
    "alter_type": Case(student(AGE), student("age = models.BigIntegerField(null=True)")),
    "alter_char_to_text": Case(
        student(), student().replace("CharField(max_length=50)", "TextField()")
    ),
    "alter_db_column_and_comment": Case(
        student(AGE),
        student("age = models.IntegerField(null=True, db_column='years', db_comment='Age')"),
    ),
    "alter_choices_and_default": Case(
        student(AGE),
        student(
            "age = models.IntegerField(null=True, default=18, "
            "choices=[(18, 'adult'), (0, 'child')])"
        ),
    ),
    "alter_unique": Case(
        student(), student().replace("max_length=50", "max_length=50, unique=True")
    ),
    "alter_fk_on_delete": Case(
        student() + course(LEAD),
        student() + course(LEAD.replace("CASCADE", "SET_NULL")),
    ),
    "rename_field": Case(
        student(AGE), student("years = models.IntegerField(null=True)"), answers="y\n"
    ),
    "rename_fk_field": Case(
        student() + course(LEAD), student() + course(LEAD.replace("lead", "leader")), answers="y\n"
    ),
    # Models.
    "add_model_with_fk_and_m2m": Case(
        student(),
        student()
        + course(
            "teacher = models.ForeignKey(Student, models.SET_NULL, null=True, related_name='+')",
            STUDENTS,
        ).replace("max_length=50)", "max_length=50, unique=True)", 1),
    ),
    "delete_model": Case(
        student() + "class Room(models.Model):\n    size = models.IntegerField()\n", student()
    ),
    "delete_model_referenced_by_fk": Case(student() + course(LEAD), course()),
    "rename_model": Case(student(), student().replace("Student", "Pupil"), answers="y\n"),
    "rename_model_referenced_by_fk": Case(
        student() + course(LEAD),
        (student() + course(LEAD)).replace("Student", "Pupil"),
        answers="y\n",
    ),
    "proxy_model": Case(
        student(),
        student() + "class Graduate(Student):\n    class Meta:\n        proxy = True\n",
    ),
    "unmanaged_model": Case(
        student(),
        student() + "class Legacy(models.Model):\n    code = models.IntegerField()\n\n"
        "    class Meta:\n        managed = False\n        db_table = 'legacy_codes'\n",
    ),
    "multi_table_inheritance": Case(
        student(), student() + "class Graduate(Student):\n    year = models.IntegerField()\n"
    ),
    "abstract_base": Case(
        student(),
        student() + "class Dated(models.Model):\n    created = models.DateField(null=True)\n\n"
        "    class Meta:\n        abstract = True\n\n\n"
        "class Event(Dated):\n    title = models.CharField(max_length=20)\n",
    ),
    # Model options.
    "alter_model_table": Case(student(), student(meta=("db_table = 'pupils'",))),
    "alter_model_table_comment": Case(student(), student(meta=("db_table_comment = 'People'",))),
    "alter_model_options": Case(
        student(),
        student(meta=("ordering = ['-name']", "verbose_name = 'pupil'", "get_latest_by = 'name'")),
    ),
    "alter_model_managers": Case(student(), MANAGER + student("objects = StudentManager()")),
    "options_and_index": Case(
        student(),
        student(
            meta=(
                "ordering = ['name']",
                NAME_IDX,
                "constraints = [models.CheckConstraint(condition=models.Q(name__gt=''), "
                "name='name_not_empty')]",
            )
        ),
    ),
    "add_field_with_default_and_unique_together": Case(
        student(),
        student(
            "code = models.CharField(max_length=5, default='x')",
            meta=("unique_together = [('name', 'code')]", "db_table = 'pupils'"),
        ),
    ),
    "alter_unique_together": Case(
        student(AGE, meta=("unique_together = [('name', 'age')]",)),
        student(
            AGE,
            "code = models.IntegerField(null=True)",
            meta=("unique_together = [('name', 'code')]",),
        ),
    ),
    "remove_unique_together": Case(
        student(AGE, meta=("unique_together = [('name', 'age')]",)), student(AGE)
    ),
    "alter_order_with_respect_to": Case(
        student() + course(LEAD), student() + course(LEAD, meta=("order_with_respect_to = 'lead'",))
    ),
    # Indexes and constraints.
    "add_index_with_condition": Case(
        student(AGE),
        student(
            AGE,
            meta=(
                "indexes = [models.Index(fields=['-name', 'age'], name='adult_idx', "
                "condition=models.Q(age__gte=18))]",
            ),
        ),
    ),
    "remove_index": Case(student(meta=(NAME_IDX,)), student()),
    "rename_index": Case(
        student(meta=(NAME_IDX,)), student(meta=(NAME_IDX.replace("student_", "pupil_"),))
    ),
    "add_unique_constraint": Case(
        student(AGE),
        student(
            AGE,
            meta=(
                "constraints = [models.UniqueConstraint(fields=['name'], "
                "condition=models.Q(age__gt=0), name='unique_adult_name')]",
            ),
        ),
    ),
    "add_expression_unique_constraint": Case(
        student(),
        student(
            meta=(
                "constraints = [models.UniqueConstraint(Lower('name'), name='unique_lower_name')]",
            )
        ),
    ),
    "remove_constraint": Case(
        student(
            meta=(
                "constraints = [models.CheckConstraint(condition=models.Q(name__gt=''), "
                "name='named')]",
            )
        ),
        student(),
    ),
    "alter_check_constraint": Case(
        student(
            AGE,
            meta=(
                "constraints = [models.CheckConstraint(condition=models.Q(age__gte=0), "
                "name='age_ok')]",
            ),
        ),
        student(
            AGE,
            meta=(
                "constraints = [models.CheckConstraint(condition=models.Q(age__gte=5), "
                "name='age_ok')]",
            ),
        ),
    ),
    # Many-to-many.
    "add_m2m_field": Case(student() + course(), student() + course(STUDENTS)),
    "remove_m2m_and_fk": Case(
        student() + course(LEAD.replace("null=True, ", ""), STUDENTS),
        student() + "class Course(models.Model):\n    pass\n",
    ),
    "alter_m2m_related_name": Case(
        student() + course(STUDENTS), student() + course(STUDENTS.replace("courses", "classes"))
    ),
    "rename_m2m_field": Case(
        student() + course(STUDENTS),
        student() + course(STUDENTS.replace("students", "pupils")),
        answers="y\n",
    ),
    "m2m_to_self": Case(student(), student("friends = models.ManyToManyField('self', blank=True)")),
    "m2m_through_created": Case(
        student() + course(),
        student() + course(STUDENTS.replace(")", ", through='Enrollment')")) + ENROLLMENT,
    ),
    "through_model_gains_field": Case(
        student() + course(STUDENTS.replace(")", ", through='Enrollment')")) + ENROLLMENT,
        student()
        + course(STUDENTS.replace(")", ", through='Enrollment')"))
        + ENROLLMENT
        + "    enrolled = models.DateField(null=True)\n",
    ),
    "remove_through_m2m": Case(
        student() + course(STUDENTS.replace(")", ", through='Enrollment')")) + ENROLLMENT,
        student() + course() + ENROLLMENT,
    ),
}
