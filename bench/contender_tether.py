"""The tether contender: the bench model and the four workloads through tether's public API."""

from __future__ import annotations

from common import Target

import tether

_model = None


def _define_model():  # noqa: ANN202 - the model class exists only after configure()
    from tether import models

    class Item(models.Model):
        name = models.CharField(max_length=100)
        number = models.IntegerField()
        created = models.DateTimeField()

        class Meta:
            app_label = "benchapp"
            db_table = "bench_item"

    return Item


class Contender:
    name = "tether"

    def __init__(self, target: Target) -> None:
        self.target = target

    def setup(self, sqlite_path: str) -> None:
        """Point tether at a fresh database (closing the old connection) and create the table."""
        global _model
        url = f"sqlite:///{sqlite_path}" if self.target.vendor == "sqlite" else self.target.url
        tether.configure(databases={"default": url}, use_tz=True, time_zone="UTC")
        if _model is None:
            _model = _define_model()
        from tether.db import connection

        self.Item = _model
        with connection.schema_editor() as editor:
            editor.create_model(_model)

    def teardown(self) -> None:
        from tether.db import connection

        connection.close()

    def sql_capture(self):  # noqa: ANN201 - used by --check-sql only
        import tether.db.core.run as run

        seen: list[str] = []
        original = run._perform

        def spy(conn, request):  # noqa: ANN001, ANN202
            sql = getattr(request, "sql", None)
            if sql and sql not in seen:
                seen.append(sql)
            return original(conn, request)

        run._perform = spy
        return seen

    # ---- workloads (the timed bodies) ----------------------------------------------------

    def create(self, values: list) -> list:
        from tether.db import transaction

        create = self.Item.objects.create
        with transaction.atomic():
            return [create(name=n, number=k, created=c) for n, k, c in values]

    def bulk(self, values: list) -> list:
        Item = self.Item
        return Item.objects.bulk_create([Item(name=n, number=k, created=c) for n, k, c in values])

    def materialize(self) -> list:
        return list(self.Item.objects.filter(number__gte=0).order_by("id"))

    def get(self, ids: list[int]) -> list:
        get = self.Item.objects.get
        return [get(pk=i) for i in ids]
