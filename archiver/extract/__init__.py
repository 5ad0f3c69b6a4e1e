"""parsel code that reads raw fields (still strings) out of an HTML page; no normalization here."""
