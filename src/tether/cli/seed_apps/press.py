"""Publication and Article, as Django's many-to-many documentation declares them."""

from tether import models
from tether.apps import swapped_registry
from tether.cli.seed_apps import registry

with swapped_registry(registry):

    class Publication(models.Model):
        title = models.CharField(max_length=30)

        class Meta:
            app_label = "press"
            ordering = ["title"]

        def __str__(self):  # untyped, as a Django user writes it
            return self.title

    class Article(models.Model):
        headline = models.CharField(max_length=100)
        publications = models.ManyToManyField(Publication)

        class Meta:
            app_label = "press"
            ordering = ["headline"]

        def __str__(self):  # untyped, as a Django user writes it
            return self.headline


__all__ = ["Article", "Publication"]
