"""Recursive many-to-many: symmetrical by default, non-symmetrical with a related_name."""
