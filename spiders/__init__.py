"""Scrapy spiders: `news` for any site, and site spiders built on it."""
