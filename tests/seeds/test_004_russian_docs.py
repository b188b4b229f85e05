"""Seed 004: Django's many-to-many docs in Russian (Article and Publication).

Same walkthrough and printed reprs as the English seed, but the headline is "Web apps" (upper
case). The same two departures from Django 5.2 apply: the TypeError's ", got <Article: ...>"
tail, and a4's publications printed as Science News before set() although a4's link had been
removed; the test asserts what Django 5.2 prints (an empty QuerySet).
"""

from .press_walkthrough import ArticlePublicationWalkthrough


class RussianSeedTests(ArticlePublicationWalkthrough):
    __test__ = True
    headline = "Django lets you build Web apps easily"
