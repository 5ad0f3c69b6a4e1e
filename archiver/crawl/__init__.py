"""Scrapy glue: pipelines, the crawl frontier, the extraction worker, progress and logging."""
