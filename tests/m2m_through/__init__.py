"""Through models with extra columns, through_defaults, through_fields, self relations."""
