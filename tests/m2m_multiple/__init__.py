"""Several many-to-many fields between the same two models."""
