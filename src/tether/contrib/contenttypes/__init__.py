"""`tether.contrib.contenttypes`: Django's `django.contrib.contenttypes`.

`models.ContentType` is a row per model in Django's `django_content_type` table;
`fields.GenericForeignKey` and `fields.GenericRelation` link any model to any other through a
(content type, object id) pair.
"""
