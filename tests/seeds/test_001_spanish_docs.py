"""Seed 001: Django's many-to-many docs in Spanish (Article and Publication).

The Spanish page lost every printed repr in extraction (`]>`, `, , , ]>`) and the ValueError's
object (`"" needs to have a value...`), so the expected results are Django 5.2's, as the
English and Russian pages print them. Its headline is spelled "Web apps" like the Russian one.
Like seed 004 it shows Science News among a4's publications just before set(), contradicting
its own remove() a few steps earlier; the test asserts Django's real (empty) result there.
"""

from .press_walkthrough import ArticlePublicationWalkthrough


class SpanishSeedTests(ArticlePublicationWalkthrough):
    __test__ = True
    headline = "Django lets you build Web apps easily"
