"""A many-to-many and a foreign key between the same two models."""
