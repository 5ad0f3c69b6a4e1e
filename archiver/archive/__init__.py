"""The SQLite archive and what reads it: search, revisions and their diff, export, reparse."""
