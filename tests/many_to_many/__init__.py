"""Many-to-many: managers on both sides, query semantics, deletion and counting across relations."""
