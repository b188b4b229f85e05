"""Database backends: one folder per vendor with the same file names (docs/architecture.md)."""
