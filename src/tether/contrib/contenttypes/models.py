"""ContentType: one row per model (Django's `django_content_type` table), and its manager.

Rows are made on demand: `get_for_model()` creates the row of a model that has none, and the
test databases get the rows of every registered model when their tables are created (the
`post_migrate` receiver below), as Django's migrate does. Each process keeps the rows it has
read in a cache per database alias. A row created inside a transaction is cached only once that
transaction commits, so a rollback (a test's) never leaves the cache naming a row that is gone.
Every lookup is a plan, so prefetching and deleting (which run as plans) use them too.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import Any

import tether.apps
from tether import models
from tether.db.connections import connections
from tether.db.core.run import arun_plan, run_plan
from tether.db.transaction import on_commit
from tether.models.signals import post_migrate

Plan = Generator[Any, Any, Any]


def _opts_for(model: Any, for_concrete_model: bool) -> Any:
    """The _meta whose (app_label, model_name) names `model`'s row."""
    if for_concrete_model:
        model = model._meta.concrete_model
    return model._meta


class ContentTypeManager(models.Manager):
    use_in_migrations = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # {alias: {(app_label, model) or id: ContentType}}: shared by db_manager() copies.
        self._cache: dict[str, dict[Any, Any]] = {}
        # {alias: {(app_label, model): on_commit hook}}: rows created in a transaction that
        # has not committed (yet: a hook that is no longer queued was rolled back).
        self._uncommitted: dict[str, dict[tuple[str, str], Any]] = {}

    # ---- the cache -----------------------------------------------------------------------

    def clear_cache(self) -> None:
        """Forget every cached row (the next lookups read the table again)."""
        self._cache.clear()
        self._uncommitted.clear()

    def _uncommitted_row(self, conn: Any, key: tuple[str, str]) -> bool:
        """Whether the row of `key` was created in a transaction still open on `conn`."""
        pending = self._uncommitted.get(conn.alias, {})
        hook = pending.get(key)
        if hook is None:
            return False
        if any(queued is hook for _, queued, _ in conn.run_on_commit):
            return True
        del pending[key]  # its transaction rolled back: the row read now is a committed one
        return False

    def _add_to_cache(self, conn: Any, ct: Any) -> None:
        key = (ct.app_label, ct.model)
        if self._uncommitted_row(conn, key):
            return
        cache = self._cache.setdefault(conn.alias, {})
        cache[key] = ct
        cache[ct.id] = ct

    def _created(self, conn: Any, ct: Any) -> None:
        """A row this process inserted: cache it once its transaction commits."""
        key = (ct.app_label, ct.model)
        pending = self._uncommitted.setdefault(conn.alias, {})

        def committed() -> None:
            pending.pop(key, None)
            self._add_to_cache(conn, ct)

        pending[key] = committed
        on_commit(committed, using=conn.alias)

    # ---- lookups as plans ----------------------------------------------------------------

    def _conn(self) -> Any:
        return connections[self.db]

    def _for_model_plan(self, conn: Any, model: Any, for_concrete_model: bool = True) -> Plan:
        opts = _opts_for(model, for_concrete_model)
        key = (opts.app_label, opts.model_name)
        cached = self._cache.get(conn.alias, {}).get(key)
        if cached is not None:
            return cached
        queryset = self.db_manager(conn.alias).get_queryset()
        try:
            ct = yield from queryset._get_plan(conn, (), {"app_label": key[0], "model": key[1]})
        except self.model.DoesNotExist:
            ct, created = yield from queryset._get_or_create_plan(
                conn, None, {"app_label": key[0], "model": key[1]}
            )
            if created:
                self._created(conn, ct)
                return ct
        self._add_to_cache(conn, ct)
        return ct

    def _for_models_plan(
        self, conn: Any, models_: Iterable[Any], for_concrete_models: bool = True
    ) -> Plan:
        results: dict[Any, Any] = {}
        wanted: dict[tuple[str, str], list[Any]] = {}
        cache = self._cache.get(conn.alias, {})
        for model in models_:
            opts = _opts_for(model, for_concrete_models)
            key = (opts.app_label, opts.model_name)
            if key in cache:
                results[model] = cache[key]
            else:
                wanted.setdefault(key, []).append(model)
        if not wanted:
            return results
        predicate = models.Q()
        for app_label, model_name in wanted:
            predicate |= models.Q(app_label=app_label, model=model_name)
        queryset = self.db_manager(conn.alias).get_queryset().filter(predicate)
        for ct in (yield from queryset._fetch_plan(conn)):
            self._add_to_cache(conn, ct)
            for model in wanted.pop((ct.app_label, ct.model), ()):
                results[model] = ct
        for (app_label, model_name), found in wanted.items():
            ct = (
                yield from self.db_manager(conn.alias)
                .get_queryset()
                ._create_plan(conn, {"app_label": app_label, "model": model_name})
            )
            self._created(conn, ct)
            for model in found:
                results[model] = ct
        return results

    def _for_id_plan(self, conn: Any, id: Any) -> Plan:  # noqa: A002 - Django's name
        cached = self._cache.get(conn.alias, {}).get(id)
        if cached is not None:
            return cached
        queryset = self.db_manager(conn.alias).get_queryset()
        ct = yield from queryset._get_plan(conn, (), {"pk": id})
        self._add_to_cache(conn, ct)
        return ct

    # ---- the public methods --------------------------------------------------------------

    def get_for_model(self, model: Any, for_concrete_model: bool = True) -> Any:
        """The ContentType of `model` (an instance or a class), created if it has no row.

        A cached row is returned without running anything (so async code may call it)."""
        conn = self._conn()
        opts = _opts_for(model, for_concrete_model)
        cached = self._cache.get(conn.alias, {}).get((opts.app_label, opts.model_name))
        if cached is not None:
            return cached
        return run_plan(self._for_model_plan(conn, model, for_concrete_model), conn)

    def get_for_models(self, *models_: Any, for_concrete_models: bool = True) -> dict[Any, Any]:
        """{model: ContentType} for every model given, with one query for those not cached."""
        conn = self._conn()
        return run_plan(self._for_models_plan(conn, models_, for_concrete_models), conn)  # type: ignore[no-any-return]

    def get_for_id(self, id: Any) -> Any:  # noqa: A002 - Django's name
        """The ContentType with this id, from the cache when it was read before."""
        conn = self._conn()
        cached = self._cache.get(conn.alias, {}).get(id)
        if cached is not None:
            return cached
        return run_plan(self._for_id_plan(conn, id), conn)

    async def aget_for_model(self, model: Any, for_concrete_model: bool = True) -> Any:
        conn = self._conn()
        return await arun_plan(self._for_model_plan(conn, model, for_concrete_model), conn)

    async def aget_for_models(
        self, *models_: Any, for_concrete_models: bool = True
    ) -> dict[Any, Any]:
        conn = self._conn()
        plan = self._for_models_plan(conn, models_, for_concrete_models)
        return await arun_plan(plan, conn)  # type: ignore[no-any-return]

    async def aget_for_id(self, id: Any) -> Any:  # noqa: A002 - Django's name
        conn = self._conn()
        return await arun_plan(self._for_id_plan(conn, id), conn)

    def get_by_natural_key(self, app_label: str, model: str) -> Any:
        key = (app_label, model)
        cached = self._cache.get(self.db, {}).get(key)
        if cached is not None:
            return cached
        ct = self.get_queryset().get(app_label=app_label, model=model)
        self._add_to_cache(self._conn(), ct)
        return ct


class ContentType(models.Model):
    # Typed Any: on an instance these are the strings, on the class the fields.
    app_label: Any = models.CharField(max_length=100)
    model: Any = models.CharField("python model class name", max_length=100)
    objects = ContentTypeManager()

    class Meta:
        app_label = "contenttypes"
        verbose_name = "content type"
        verbose_name_plural = "content types"
        db_table = "django_content_type"
        unique_together = [["app_label", "model"]]

    def __str__(self) -> str:
        return self.app_labeled_name

    @property
    def name(self) -> str:
        model = self.model_class()
        if model is None:
            return self.model
        return str(model._meta.verbose_name)

    @property
    def app_labeled_name(self) -> str:
        model = self.model_class()
        if model is None:
            return self.model
        # Django shows the app config's verbose_name, which defaults to the label title-cased.
        return f"{model._meta.app_label.title()} | {model._meta.verbose_name}"

    def model_class(self) -> Any:
        """The model class this row names, or None when no such model is registered."""
        try:
            return tether.apps.apps.get_model(self.app_label, self.model)
        except LookupError:
            return None

    def get_object_for_this_type(self, using: str | None = None, **kwargs: Any) -> Any:
        """`get(**kwargs)` on the model's base manager (on `using`, else where the router
        reads the model, as Django 5.1+)."""
        return self.model_class()._base_manager.using(using).get(**kwargs)

    def get_all_objects_for_this_type(self, **kwargs: Any) -> Any:
        return self.model_class()._base_manager.filter(**kwargs)

    def natural_key(self) -> tuple[str, str]:
        return (self.app_label, self.model)


def create_contenttypes(using: str = "default", apps: Any = None, **kwargs: Any) -> None:
    """Give every registered model its row (Django does this after migrate), and cache them.

    Inside a transaction it does nothing: the rows would go with a rollback, and get_for_model()
    makes them on demand anyway.
    """
    conn = connections[using]
    if conn.in_atomic_block:
        return
    registry = apps if apps is not None else tether.apps.apps
    manager = ContentType.objects.db_manager(using)
    manager.clear_cache()
    wanted = {(m._meta.app_label, m._meta.model_name) for m in registry.get_models()}
    existing = set(manager.values_list("app_label", "model"))
    missing = sorted(wanted - existing)
    if missing:
        manager.bulk_create([ContentType(app_label=a, model=m) for a, m in missing])
    for ct in manager.all():  # committed rows: cache them all (async code reads the cache)
        manager._add_to_cache(conn, ct)


post_migrate.connect(create_contenttypes, dispatch_uid="tether.contrib.contenttypes")
