"""Crawls that span machines: one frontier and duplicate filter in Redis, an archive per node.

`archiver crawl URL --redis redis://HOST:PORT/DB --job NAME` (the `redis` extra); the node
archives are then united with `archiver merge`. How and why: docs/scaling.md.
"""
