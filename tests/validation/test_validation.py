"""full_clean(): field validation, clean(), unique checks and constraints, with Django's
messages and message_dict; constraints enforced by the database too."""

from __future__ import annotations

import decimal

from tether import validators
from tether.db import IntegrityError, connection, transaction
from tether.exceptions import NON_FIELD_ERRORS, ValidationError
from tether.test import SimpleTestCase, TestCase

from .models import Article, FeaturedArticle, Handle, Membership


class FullCleanTests(TestCase):
    def test_valid(self):
        Article(title="ok", slug="ok", email="a@b.org", url="https://x.org").full_clean()

    def test_field_errors(self):
        article = Article(
            title="x" * 11, slug="not a slug", email="nope", url="ftp:/x", rating=-1, status="z"
        )
        with self.assertRaises(ValidationError) as ctx:
            article.full_clean()
        errors = ctx.exception.message_dict
        self.assertEqual(
            errors["title"], ["Ensure this value has at most 10 characters (it has 11)."]
        )
        self.assertEqual(
            errors["slug"],
            ["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."],
        )
        self.assertEqual(errors["email"], ["Enter a valid email address."])
        self.assertEqual(errors["url"], ["Enter a valid URL."])
        self.assertEqual(errors["rating"], ["Ensure this value is greater than or equal to 0."])
        self.assertEqual(errors["status"], ["Value 'z' is not a valid choice."])

    def test_blank(self):
        with self.assertRaises(ValidationError) as ctx:
            Article(title="", slug="s").full_clean()
        self.assertEqual(ctx.exception.message_dict, {"title": ["This field cannot be blank."]})

    def test_exclude(self):
        Article(title="x" * 11, slug="s").full_clean(exclude=["title"])

    def test_clean_hook_goes_to_non_field_errors(self):
        with self.assertRaises(ValidationError) as ctx:
            Article(title="forbidden", slug="s").full_clean()
        self.assertEqual(
            ctx.exception.message_dict, {NON_FIELD_ERRORS: ["This title is forbidden."]}
        )

    def test_decimal(self):
        with self.assertRaises(ValidationError) as ctx:
            Article(title="t", slug="s", price=decimal.Decimal("1234.5")).full_clean()
        self.assertIn("price", ctx.exception.message_dict)

    def test_validate_unique(self):
        Article.objects.create(title="a", slug="taken")
        with self.assertRaises(ValidationError) as ctx:
            Article(title="b", slug="taken").full_clean()
        self.assertEqual(
            ctx.exception.message_dict, {"slug": ["Article with this Slug already exists."]}
        )
        Article(title="b", slug="taken").full_clean(validate_unique=False)
        saved = Article.objects.get(slug="taken")
        saved.full_clean()  # itself is no duplicate

    def test_validate_unique_of_a_parent_field(self):
        # As Django: the parent's table is searched, not only the rows that are children.
        Article.objects.create(title="a", slug="taken")
        with self.assertRaises(ValidationError) as ctx:
            FeaturedArticle(title="b", slug="taken").full_clean()
        self.assertEqual(
            ctx.exception.message_dict, {"slug": ["Article with this Slug already exists."]}
        )
        featured = FeaturedArticle.objects.create(title="c", slug="own")
        FeaturedArticle.objects.get(pk=featured.pk).full_clean()  # itself is no duplicate

    def test_unique_together(self):
        Membership.objects.create(user="u", group="g", active=False)
        with self.assertRaises(ValidationError) as ctx:
            Membership(user="u", group="g", active=False).full_clean()
        self.assertEqual(
            ctx.exception.message_dict,
            {NON_FIELD_ERRORS: ["Membership with this User and Group already exists."]},
        )


class ConstraintTests(TestCase):
    def test_conditional_unique_reported(self):
        Membership.objects.create(user="u", group="g1", active=True)
        Membership(user="u", group="g2", active=False).full_clean()
        with self.assertRaises(ValidationError) as ctx:
            Membership(user="u", group="g2", active=True).full_clean()
        self.assertEqual(
            ctx.exception.message_dict, {NON_FIELD_ERRORS: ["Only one active membership per user."]}
        )

    def test_conditional_unique_enforced_by_the_database(self):
        Membership.objects.create(user="u", group="g1", active=True)
        Membership.objects.create(user="u", group="g2", active=False)
        if not connection.features.supports_partial_indexes:
            return  # MariaDB/MySQL: no partial indexes; Django skips the index too
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(user="u", group="g3", active=True)

    def test_check_constraint(self):
        with self.assertRaises(ValidationError) as ctx:
            Membership(user="kid", group="g", age=12).validate_constraints()
        self.assertEqual(
            ctx.exception.message_dict,
            {NON_FIELD_ERRORS: ["Constraint “adults_only” is violated."]},
        )
        Membership(user="kid", group="g", age=12).validate_constraints(exclude=["age"])
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(user="kid", group="g", age=12)


class ValidatorTests(SimpleTestCase):
    def assertInvalid(self, validator, value, message, code):
        with self.assertRaises(ValidationError) as ctx:
            validator(value)
        self.assertEqual(ctx.exception.messages, [message])
        self.assertEqual(ctx.exception.error_list[0].code, code)

    def test_validators(self):
        self.assertInvalid(
            validators.MaxValueValidator(5),
            6,
            "Ensure this value is less than or equal to 5.",
            "max_value",
        )
        self.assertInvalid(
            validators.MinLengthValidator(3),
            "ab",
            "Ensure this value has at least 3 characters (it has 2).",
            "min_length",
        )
        self.assertInvalid(
            validators.RegexValidator(r"^\d+$"), "x", "Enter a valid value.", "invalid"
        )
        self.assertInvalid(
            validators.validate_ipv46_address,
            "1.2.3",
            "Enter a valid IPv4 or IPv6 address.",
            "invalid",
        )
        self.assertInvalid(
            validators.DecimalValidator(4, 2),
            decimal.Decimal("123.4"),
            "Ensure that there are no more than 2 digits before the decimal point.",
            "max_whole_digits",
        )
        self.assertInvalid(
            validators.ProhibitNullCharactersValidator(),
            "a\x00",
            "Null characters are not allowed.",
            "null_characters_not_allowed",
        )
        validators.validate_email("user.name+tag@example.co.uk")
        validators.URLValidator()("http://localhost:8000/x")
        validators.validate_slug("a_b-c")
        validators.validate_ipv46_address("::1")


class ExpressionConstraintTests(TestCase):
    def test_unique_constraint_over_expressions(self):
        # validate() compared nothing for a constraint over expressions and always passed.
        ann = Handle.objects.create(name="Ann")
        with self.assertRaises(ValidationError) as ctx:
            Handle(name="ANN").full_clean()
        self.assertEqual(
            ctx.exception.message_dict,
            {NON_FIELD_ERRORS: ["Constraint “unique_lower_handle” is violated."]},
        )
        Handle(name="ANN", domain="y").full_clean()  # another domain
        Handle(name="Bob").full_clean()
        ann.name = "aNN"
        ann.full_clean()  # itself is no duplicate
        Handle(name="ANN").validate_constraints(exclude=["name"])
        Handle(name="ANN").validate_constraints(exclude=["domain"])
