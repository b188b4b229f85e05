"""contenttypes' migrations, under Django's names: a database Django migrated has them recorded
(django_migrations), and one tether migrated continues under Django."""
