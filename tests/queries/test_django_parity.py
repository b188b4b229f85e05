"""Differential checks: the same scenarios on tether and on Django 5.2 give the same results.

Django runs in-process on an in-memory SQLite database; tether on the suite's backend, so only
backend-neutral scenarios are compared (no LIKE case rules, no NULL ordering, no overflow).
"""

from tether.models import Q as TQ
from tether.test import TestCase

from .models import Parity

ROWS = [("a", 1, True), ("b", 2, False), ("c", None, True), ("d", 2, False), ("e", 5, True)]


def _django():
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            INSTALLED_APPS=[],
            USE_TZ=True,
            TIME_ZONE="UTC",
        )
        django.setup()
    from django.db import connection, models
    from django.db.models import Q

    if not hasattr(_django, "model"):

        class DjParity(models.Model):
            text = models.CharField(max_length=50)
            rank = models.IntegerField(null=True)
            flag = models.BooleanField(default=False)

            class Meta:
                app_label = "tether_parity"
                ordering = ("text",)

            def __str__(self):
                return self.text

        with connection.schema_editor() as editor:
            editor.create_model(DjParity)
        _django.model = DjParity
    return _django.model, Q


def scenarios(M, Q):
    objects = M.objects
    return {
        "all": lambda: [str(o) for o in objects.all()],
        "filter_or": lambda: [str(o) for o in objects.filter(Q(rank=1) | Q(rank__gte=5))],
        "exclude_null": lambda: [str(o) for o in objects.exclude(rank=2)],
        "exclude_in": lambda: [str(o) for o in objects.exclude(rank__in=[1, 5])],
        "not_and": lambda: [str(o) for o in objects.filter(~Q(rank=2) & Q(flag=True))],
        "exclude_q_or": lambda: [str(o) for o in objects.exclude(Q(rank=1) | Q(flag=False))],
        "exclude_two": lambda: [str(o) for o in objects.exclude(rank=2, flag=False)],
        "isnull": lambda: [str(o) for o in objects.filter(rank__isnull=True)],
        "range": lambda: [str(o) for o in objects.filter(rank__range=(2, 5))],
        "values": lambda: list(
            objects.exclude(rank=None).values("text", "rank").order_by("-rank", "text")
        ),
        "values_list": lambda: list(
            objects.filter(rank__gt=0).values_list("rank", flat=True).distinct().order_by("rank")
        ),
        "named": lambda: [tuple(r) for r in objects.values_list("text", "flag", named=True)],
        "count": lambda: (objects.count(), objects.filter(flag=True).count()),
        "exists": lambda: (objects.filter(rank=9).exists(), objects.filter(rank=5).exists()),
        "slices": lambda: ([str(o) for o in objects.all()[1:3]], str(objects.all()[4])),
        "slice_count": lambda: (objects.all()[2:].count(), objects.all()[:2].count()),
        "first_last": lambda: (str(objects.first()), str(objects.last())),
        "reverse": lambda: [
            str(o) for o in objects.exclude(rank=None).order_by("rank", "text").reverse()
        ],
        "in_subquery": lambda: [
            str(o) for o in objects.filter(pk__in=objects.filter(flag=True).values("pk"))
        ],
        "update": lambda: (
            objects.filter(rank=2).update(rank=2),
            objects.filter(rank=7).update(rank=1),
        ),
        "repr": lambda: repr(objects.values_list("text", flat=True)),
        "get_missing": lambda: objects.get(text="zz"),
        "get_many": lambda: objects.get(rank=2),
        "bad_keyword": lambda: objects.filter(nope=1),
        "bad_lookup": lambda: objects.filter(text__icontain="x"),
        "negative": lambda: objects.all()[-1],
        "flat_named": lambda: objects.values_list("text", flat=True, named=True),
        "delete": lambda: objects.filter(rank=2).delete()[0],
        "get_or_create": lambda: objects.get_or_create(text="a")[1],
    }


def outcome(func):
    try:
        return ("ok", func())
    except Exception as exc:  # compare the exception's class name and message
        return (
            type(exc).__name__,
            str(exc).replace("tether_parity.DjParity", "").replace("DjParity", "M"),
        )


class ParityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Parity.objects.bulk_create([Parity(text=t, rank=r, flag=f) for t, r, f in ROWS])

    def test_same_results_as_django(self):
        DjParity, DjQ = _django()
        DjParity.objects.all().delete()
        DjParity.objects.bulk_create([DjParity(text=t, rank=r, flag=f) for t, r, f in ROWS])
        ours = scenarios(Parity, TQ)
        theirs = scenarios(DjParity, DjQ)
        for name in ours:
            with self.subTest(name):
                mine = outcome(ours[name])
                expected = outcome(theirs[name])
                if isinstance(mine[1], str):
                    mine = (mine[0], mine[1].replace("Parity", "M"))
                self.assertEqual(mine, expected)
