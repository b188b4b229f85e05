"""The instance layer: what happens to one model instance (save plans, full_clean, the
links between a child and its concrete parents). Deletion keeps Django's path,
`tether.models.deletion`."""
