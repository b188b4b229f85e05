"""The models of `tether demo`'s core tour, written exactly as a Django user would.

They register in a private registry (not the process-wide one), so importing this module never
gives `tether migrate --run-syncdb` or the test database extra tables to create.
"""

from __future__ import annotations

from tether import models
from tether.apps import Apps, swapped_registry

registry = Apps()

with swapped_registry(registry):

    class Publication(models.Model):
        title = models.CharField(max_length=30)

        class Meta:
            app_label = "demo"
            ordering = ["title"]

        def __str__(self):  # untyped, as a Django user writes it
            return self.title

    class Article(models.Model):
        headline = models.CharField(max_length=100)
        pub_date = models.DateField()
        views = models.IntegerField(default=0)

        class Meta:
            app_label = "demo"

        def __str__(self):  # untyped, as a Django user writes it
            return self.headline


__all__ = ["Article", "Publication", "registry"]
