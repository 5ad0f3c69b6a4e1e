"""The garbage-collector extension: thresholds raised for the crawl and put back after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from archiver.crawl.collector import GarbageCollection


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)
    gc.unfreeze()


def test_a_crawl_raises_the_threshold_freezes_and_puts_both_back(thresholds):
    crawler = get_crawler(settings_dict={"ARCHIVE_GC_THRESHOLD": 7000})
    extension = GarbageCollection.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    assert gc.get_threshold() == (7000, *thresholds[1:])
    assert gc.get_freeze_count() > 0
    gc.collect(0)
    crawler.signals.send_catch_log(signals.spider_closed, reason="finished")
    crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0
    assert crawler.stats.get_value("gc/collections/0") >= 1
    assert extension.before is None


def test_a_threshold_below_pythons_own_is_not_lowered(thresholds):
    crawler = get_crawler(settings_dict={"ARCHIVE_GC_THRESHOLD": 10})
    GarbageCollection.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    assert gc.get_threshold() == thresholds


def test_zero_leaves_the_collector_alone():
    with pytest.raises(NotConfigured):
        GarbageCollection.from_crawler(get_crawler(settings_dict={"ARCHIVE_GC_THRESHOLD": 0}))


def test_a_host_that_froze_its_objects_or_turned_collection_off_is_left_so(thresholds):
    keep = [object() for _ in range(3)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    crawler = get_crawler(settings_dict={"ARCHIVE_GC_THRESHOLD": 7000})
    GarbageCollection.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_freeze_count() >= frozen > 0  # not unfrozen by the crawl
    assert keep

    gc.set_threshold(0, *thresholds[1:])  # automatic collection off
    crawler = get_crawler(settings_dict={"ARCHIVE_GC_THRESHOLD": 7000})
    GarbageCollection.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    assert gc.get_threshold()[0] == 0
