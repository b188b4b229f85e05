"""Seed 002: Django's many-to-many docs in English (reStructuredText source).

Its printed reprs are asserted as printed, with two places where Django 5.2 says more or
differently: the TypeError of `a2.publications.add(a1)` also names the object (", got
<Article: ...>"), and `a4.publications.all()` just before set() prints `<QuerySet [<Publication:
Science News>]>` in the docs although a4's only link was removed a few steps earlier; the test
asserts Django's real (empty) result. The seed prints nothing for delete(); the test asserts
Django's counts. The headline is "web apps" (lower case) in this translation.
"""

from .press_walkthrough import ArticlePublicationWalkthrough


class EnglishSeedTests(ArticlePublicationWalkthrough):
    __test__ = True
    headline = "Django lets you build web apps easily"
