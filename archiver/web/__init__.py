"""`archiver serve`: the archive in a browser, built on Datasette. Its plugin (plugin.py) adds
the reader's pages (views.py, templates/) to Datasette's own table, SQL and JSON views, and
app.py applies its configuration to the archive whatever its file is called."""
