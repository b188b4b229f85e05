"""The managers of relations: `reporter.article_set` and `article.publications`, and the
many-to-many writes they run. The relation fields keep Django's paths in `tether.models.fields`
(`related`, `reverse_related`, `related_descriptors`)."""
