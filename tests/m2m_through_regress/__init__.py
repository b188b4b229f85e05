"""Through-model regressions: to_field keys, through rows as models, reverse managers."""
