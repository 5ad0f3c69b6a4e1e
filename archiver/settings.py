"""Scrapy settings for the archiver; every one can be overridden with `-s NAME=VALUE`."""

from archiver.items import Article, exported_fields

BOT_NAME = "archiver"

SPIDER_MODULES = ["archiver.spiders"]
NEWSPIDER_MODULE = "archiver.spiders"

# Politeness: obey robots.txt, identify ourselves, and let AutoThrottle pace each site.
ROBOTSTXT_OBEY = True
USER_AGENT = "archiver/0.1 (+https://github.com/archiver-fr/archiver)"
CONCURRENT_REQUESTS = 16
# Outputs of one response handled at a time. Scrapy starts this many asyncio tasks for every
# response, whatever it yields; the default, 100, cost about 0.9 ms of CPU per page here, and
# our pipelines are synchronous, so more than a few gain nothing.
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Writes every request down in the archive before it is fetched, so any crawl can resume.
SPIDER_MIDDLEWARES = {"archiver.crawl.frontier.FrontierMiddleware": 50}

# `scrapy check`: @path (a sample page on a spider's site) and @filled (fields with a value).
SPIDER_CONTRACTS = {
    "archiver.crawl.contracts.SitePath": 10,
    "archiver.crawl.contracts.FilledFields": 10,
}

# Every request, redirects included, kept on the crawl's sites and off private addresses
# (archiver/crawl/sites.py); Scrapy's meta refresh redirects, without decoding every page to look
# for one; robots.txt fetched once a site, where the spider requests it too for its sitemaps.
DOWNLOADER_MIDDLEWARES = {
    "archiver.crawl.sites.SiteGuard": 40,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "archiver.crawl.refresh.QuickMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "archiver.crawl.robots.SharedRobotsTxtMiddleware": 100,
}

# A crawl with ARCHIVE_REDIS_URL and ARCHIVE_REDIS_JOB set (by `archiver crawl --redis URL --job
# NAME`, by `-s`, or by a Scrapyd job's `setting=`) is a node of that job: archiver/distributed/.
ADDONS = {"archiver.distributed.node.RedisNodeAddon": 0}

# Python's garbage collector waits for this many new objects, not 700, during a crawl: a page's
# extraction makes thousands that die with it (see archiver/crawl/collector.py). 0 keeps Python's own.
# CrawlProgress shows pages, articles, failures and URLs left (archiver/crawl/progress.py):
# one live line on a terminal ("auto" or "live"), a log line every interval otherwise ("log").
# ArchiveSession holds the crawl's one connection to ARCHIVE_DB, for the frontier and pipelines.
EXTENSIONS = {
    "archiver.crawl.collector.GarbageCollection": 0,
    "archiver.crawl.progress.CrawlProgress": 0,
    "archiver.crawl.session.ArchiveSession": 0,
    "scrapy.extensions.logstats.LogStats": None,
}
ARCHIVE_GC_THRESHOLD = 5000
ARCHIVE_PROGRESS = "auto"
ARCHIVE_PROGRESS_INTERVAL = 60

ITEM_PIPELINES = {
    "archiver.crawl.pipelines.NormalizePipeline": 100,
    "archiver.crawl.pipelines.ValidatePipeline": 200,
    "archiver.crawl.pipelines.ArchivePipeline": 300,
}

# Where articles are stored, how many are written per transaction (a batch is committed at
# ARCHIVE_BATCH_SIZE articles or ARCHIVE_BATCH_SECONDS after its first, whichever comes first,
# so that a kill loses at most that much work), and the timezone assumed for dates printed
# without one.
ARCHIVE_DB = "archive.db"
ARCHIVE_BATCH_SIZE = 50
ARCHIVE_BATCH_SECONDS = 2.0
ARCHIVE_TIMEZONE = "Europe/Paris"
# A folder of site profiles (TOML) of one's own, beside those in archiver/profiles/.
ARCHIVE_PROFILES = None
# Keep each article's response body (compressed, stored once per SHA-256) for `archiver reparse`.
ARCHIVE_RAW = True
# How those bodies are compressed: "zstd" (levels 1 to 22; 3 keeps about 21% of the HTML for a
# third of the CPU of zlib level 1) or "zlib" (levels 0 to 9; 1 keeps about 24%, 6 about 20%).
# No level means the codec's default: 3 for zstd, 1 for zlib.
ARCHIVE_RAW_CODEC = "zstd"
ARCHIVE_RAW_COMPRESSION = None

# Read pages (decode, parse, extract) in a second process, so that a crawl uses two cores: "auto"
# when the machine has two cores for each of the crawl's processes (--processes), or True or
# False. It changes where pages are read, not how fast they are fetched.
ARCHIVE_EXTRACT_WORKER = "auto"
# CPU seconds the worker may spend on one page: past them it gives up on the page, which is
# recorded in fetch_errors as extraction_timeout with its links still followed; 0 for no limit.
# A worker that answers nothing for twice as long and 30 s more is killed. Pages read in the
# crawl process have no limit.
ARCHIVE_EXTRACT_TIMEOUT = 60

# `archiver crawl --resume`: continue the last crawl of the same start URLs from its frontier,
# without fetching again what is archived (unless ARCHIVE_REFRESH).
ARCHIVE_RESUME = False
ARCHIVE_REFRESH = False

# Fetch addresses that are not on the public internet (loopback, private, link-local) even
# when no start URL is one: for a site on one's own network, reached by name.
ARCHIVE_ALLOW_PRIVATE = False
# No telnet console into a running crawl (Scrapy prints its password in the log).
TELNETCONSOLE_ENABLED = False

# Bad responses end in fetch_errors rather than in memory or in a hang.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 3
# A truncated page is archived as far as it goes, flagged in parse_warnings, not thrown away.
DOWNLOAD_FAIL_ON_DATALOSS = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# `scrapy crawl -o FILE` writes articles with these fields, in this order: not the page's bytes
# nor the frontier's key (failures are not items: they go to fetch_errors and the log). A feed
# of other items names its own with the FEEDS option `fields`.
FEED_EXPORT_FIELDS = exported_fields(Article)
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "archiver.crawl.logformat.ArchiverLogFormatter"
LOG_LEVEL = "INFO"
