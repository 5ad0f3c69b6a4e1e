"""One distributed crawl job in Redis: its queue, its duplicate filter, its nodes and their leases.

Keys, under `archiver:JOB:`:
    queue          list of requests to fetch, each `URL\\0payload`
    seen           set of the fingerprints (Scrapy's own) of every request ever queued
    nodes          hash: node -> its last heartbeat (Redis server time, seconds)
    leased:NODE    hash: URL -> the request the node took and has not finished
    node:NODE      hash: the node's state, pages and articles, for `archiver status`; never
                   deleted, so that a node whose hash is gone knows Redis lost the job
    site:SITE:next      the Redis time before which no node may start a fetch on SITE
    site:SITE:fetching  sorted set: the turns (fetches under way) on SITE -> when they expire

A request taken is leased, not popped: it stays in its node's leased hash until the node has
committed what came of it. A node whose heartbeat is older than the lease time is dead; any
node then gives its leased requests back to the front of the queue. Every step that must not
be cut in two is one Lua script, and every time is the Redis server's, so the nodes' clocks
need not agree. The job persists: nothing is deleted when it finishes, but the site keys,
which expire on their own. Calls go through the node's RedisLink (link.py), which raises
Unreachable while the server does not answer.

A site's pace is the whole job's: a node starts a fetch only once it has taken a turn on the
site, which needs its delay since the last fetch by any node to have passed and one of its
concurrent fetches to be free. A turn ends with its fetch, or expires a lease time after its
node last renewed it (each heartbeat), so a node killed mid-fetch blocks no site for long.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic
from typing import Any

from archiver.distributed.link import RedisLink, shown_url

_PUSH = """
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  redis.call('RPUSH', KEYS[1], ARGV[2])
  return 1
end
return 0
"""
_LEASE = """
local item = redis.call('LPOP', KEYS[1])
if not item then return false end
local cut = string.find(item, '\\0', 1, true)
redis.call('HSET', KEYS[2], string.sub(item, 1, cut - 1), item)
return item
"""
_HEARTBEAT = """
local now = redis.call('TIME')
local known = redis.call('EXISTS', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], now[1] + now[2] / 1e6)
redis.call('HSET', KEYS[2], 'state', 'running', 'pages', ARGV[2], 'articles', ARGV[3],
           'heartbeat', now[1] + now[2] / 1e6)
return known
"""
_REAP = """
local now = redis.call('TIME')
local now_s = now[1] + now[2] / 1e6
local beats = redis.call('HGETALL', KEYS[1])
local given = 0
for i = 1, #beats, 2 do
  local node = beats[i]
  if now_s - tonumber(beats[i + 1]) > tonumber(ARGV[1]) then
    local leased = ARGV[2] .. 'leased:' .. node
    local items = redis.call('HVALS', leased)
    for _, item in ipairs(items) do redis.call('LPUSH', KEYS[2], item) end
    given = given + #items
    redis.call('DEL', leased)
    redis.call('HDEL', KEYS[1], node)
    redis.call('HSET', ARGV[2] .. 'node:' .. node, 'state', 'dead')
  end
end
return given
"""
_RELEASE = """
local items = redis.call('HVALS', KEYS[1])
for _, item in ipairs(items) do redis.call('LPUSH', KEYS[2], item) end
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' then
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('HSET', KEYS[4], 'state', ARGV[2])
end
return #items
"""
_TAKE_TURN = """
local now = redis.call('TIME')
local now_s = now[1] + now[2] / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now_s)
local wait = tonumber(redis.call('GET', KEYS[1]) or '0') - now_s
if wait > 0 then return math.ceil(wait * 1e6) end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then return -1 end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], now_s + lease, ARGV[3])
redis.call('PEXPIRE', KEYS[2], math.ceil(lease * 1000))
local delay = tonumber(ARGV[1])
if delay > 0 then
  redis.call('SET', KEYS[1], string.format('%.6f', now_s + delay), 'PX', math.ceil(delay * 1000))
end
return 0
"""
_RENEW_TURNS = """
local now = redis.call('TIME')
local until_s = now[1] + now[2] / 1e6 + tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', string.format('%.6f', until_s), ARGV[i + 1])
  redis.call('PEXPIRE', key, math.ceil(tonumber(ARGV[1]) * 1000))
end
"""
_WORK = """
local left = redis.call('LLEN', KEYS[1])
for _, node in ipairs(redis.call('HKEYS', KEYS[2])) do
  left = left + redis.call('HLEN', ARGV[1] .. 'leased:' .. node)
end
return left
"""


@dataclass
class NodeStatus:
    """One node of a job, as `archiver status --redis` shows it."""

    node: str
    state: str
    heartbeat: float | None
    leased: int
    pages: int
    articles: int


@dataclass
class JobStatus:
    job: str
    queued: int
    seen: int
    leased: int
    nodes: list[NodeStatus]
    now: float


class RedisJob:
    """The job JOB in Redis, seen from node `node`."""

    def __init__(
        self, client: Any, job: str, node: str, link: RedisLink, lease_seconds: float = 60.0
    ) -> None:
        self.client = client
        self.job = job
        self.node = node
        self.link = link
        self.lease_seconds = lease_seconds
        self.prefix = f"archiver:{job}:"
        self.queue = self.prefix + "queue"
        self.seen = self.prefix + "seen"
        self.nodes = self.prefix + "nodes"
        self.leased = f"{self.prefix}leased:{node}"
        self.state = f"{self.prefix}node:{node}"
        register = client.register_script
        self._push, self._lease, self._heartbeat = map(register, (_PUSH, _LEASE, _HEARTBEAT))
        self._reap, self._release, self._work = map(register, (_REAP, _RELEASE, _WORK))
        self._take_turn, self._renew_turns = map(register, (_TAKE_TURN, _RENEW_TURNS))

    @classmethod
    def connect(
        cls, url: str, job: str, node: str, lease_seconds: float = 60.0, retry_seconds: float = 60.0
    ) -> RedisJob:
        """The job on the Redis server at `url` (redis://HOST:PORT/DB), waited for at most
        `retry_seconds` when it stops answering, trying again at least every quarter lease."""
        link = RedisLink(url, retry_seconds, most_backoff=lease_seconds / 4)
        return cls(redis_client(url), job, node, link, lease_seconds)

    def push(self, fingerprint: bytes, url: str, payload: bytes) -> bool:
        """Queue a request unless one with this fingerprint was ever queued; whether it was."""
        item = url.encode() + b"\0" + payload
        keys, args = [self.queue, self.seen], [fingerprint, item]
        return bool(self.link.call(self._push, keys=keys, args=args))

    def lease(self) -> tuple[str, bytes] | None:
        """Take the next request, leased to this node: (URL, payload), or None."""
        item = self.link.call(self._lease, keys=[self.queue, self.leased])
        if item is None:
            return None
        url, _, payload = item.partition(b"\0")
        return url.decode(), payload

    def ack(self, urls: list[str]) -> None:
        """These leased requests are finished: what came of them is committed."""
        if urls:
            self.link.call(self.client.hdel, self.leased, *urls)

    def heartbeat(self, pages: int, articles: int) -> bool:
        """This node is alive; whether the job knew it already (False at its first heartbeat,
        or when Redis lost the job)."""
        keys, args = [self.nodes, self.state], [self.node, pages, articles]
        return bool(self.link.call(self._heartbeat, keys=keys, args=args))

    def reap(self) -> int:
        """Give the requests of dead nodes back to the queue; how many there were. Not until
        a lease time after Redis came back from an outage: every node's heartbeat stopped
        with it, and the live ones need that long to beat again."""
        if monotonic() - self.link.back_since < self.lease_seconds:
            return 0
        keys, args = [self.nodes, self.queue], [self.lease_seconds, self.prefix]
        return int(self.link.call(self._reap, keys=keys, args=args))

    def release(self, state: str = "") -> int:
        """What this node holds goes back to the front of the queue; with a `state`, the node
        leaves the job."""
        keys = [self.leased, self.queue, self.nodes, self.state]
        return int(self.link.call(self._release, keys=keys, args=[self.node, state]))

    def work_left(self) -> int:
        """Requests queued or held by a node not yet known dead: 0 when the job is done."""
        keys = [self.queue, self.nodes]
        return int(self.link.call(self._work, keys=keys, args=[self.prefix]))

    def take_turn(self, site: str, delay: float, concurrency: int, turn: str) -> float | None:
        """Start a fetch on `site` as turn `turn` (None), or the seconds to wait before asking
        again: the site's delay since the job's last fetch there, or -1 when its `concurrency`
        fetches are all under way, whose end nobody can foretell."""
        site_key = f"{self.prefix}site:{site}:"
        waited = int(
            self.link.call(
                self._take_turn,
                keys=[site_key + "next", site_key + "fetching"],
                args=[delay, concurrency, turn, self.lease_seconds],
            )
        )
        return None if waited == 0 else (-1.0 if waited < 0 else waited / 1e6)

    def end_turn(self, site: str, turn: str) -> None:
        """The fetch of turn `turn` is over: another may start on the site."""
        self.link.call(self.client.zrem, f"{self.prefix}site:{site}:fetching", turn)

    def renew_turns(self, turns: dict[str, str]) -> None:
        """Turns (turn -> site) still under way here: each expires a lease time from now."""
        if turns:
            keys = [f"{self.prefix}site:{site}:fetching" for site in turns.values()]
            self.link.call(self._renew_turns, keys=keys, args=[self.lease_seconds, *turns])

    def status(self) -> JobStatus:
        client = self.client
        now_s, now_us = client.time()
        beats = {k.decode(): float(v) for k, v in client.hgetall(self.nodes).items()}
        nodes = []
        for key in sorted(client.scan_iter(match=f"{self.prefix}node:*")):
            name = key.decode()[len(self.prefix) + len("node:") :]
            fields = {k.decode(): v.decode() for k, v in client.hgetall(key).items()}
            nodes.append(
                NodeStatus(
                    node=name, state=fields.get("state", "?"),
                    heartbeat=float(fields["heartbeat"]) if "heartbeat" in fields else None,
                    leased=int(client.hlen(f"{self.prefix}leased:{name}")),
                    pages=int(fields.get("pages", 0)), articles=int(fields.get("articles", 0)),
                )
            )  # fmt: skip
        leased = sum(int(client.hlen(f"{self.prefix}leased:{n}")) for n in beats)
        queued, seen = int(client.llen(self.queue)), int(client.scard(self.seen))
        return JobStatus(self.job, queued, seen, leased, nodes, now_s + now_us / 1e6)


class JobError(Exception):
    """A Redis job that cannot be reached or used, worded for the user."""


def redis_client(url: str) -> Any:
    """A client of the Redis server at `url` that tries a failed command once more at once
    (a connection the server closed on restart), never more: RedisLink waits, not redis-py."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url, socket_connect_timeout=5, socket_timeout=10, retry=Retry(NoBackoff(), 1)
    )


def open_job(url: str, job: str, node: str = "status") -> RedisJob:
    """The job at `url`, checked: JobError when the redis extra is missing or the server does
    not answer."""
    try:
        import redis
    except ImportError:
        raise JobError("--redis needs the redis extra: pip install 'archiver[redis]'") from None
    try:
        client = redis_client(url)
        client.ping()
    except (ValueError, redis.RedisError) as error:
        raise JobError(f"cannot reach Redis at {shown_url(url)}: {error}") from None
    return RedisJob(client, job, node, RedisLink(url, retry_seconds=0, most_backoff=0))
