"""WARC in and out: record a crawl, export the archive, import WARC and ARC collections."""
