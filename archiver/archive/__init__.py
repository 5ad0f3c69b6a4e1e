"""The SQLite archive (store), its schema, and what reads it: search, revision diffs, export,
reparse."""
