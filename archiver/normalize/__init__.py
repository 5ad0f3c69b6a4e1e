"""Pure functions that turn strings found on French news pages into clean values.

Nothing here imports Scrapy, and nothing here raises on bad input: a value that cannot be
read comes back as None, and the caller keeps the raw string.
"""
