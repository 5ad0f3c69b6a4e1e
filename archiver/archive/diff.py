"""Field-level differences between two revisions of an archived article, for `archiver diff`."""

from __future__ import annotations

import difflib
import json

from archiver.archive.store import Archive, ArchiveError

_FIELDS = ("title", "lead", "authors", "published_at", "updated_at")


def revision_diff(
    archive: Archive, url: str, from_revision: int | None = None, to_revision: int | None = None
) -> str:
    """A readable report: each changed field before and after, then paragraphs removed/added."""
    row = archive.db.execute(
        "SELECT id, revision_count FROM articles WHERE canonical_url = ? OR url = ? LIMIT 1",
        [url, url],
    ).fetchone()
    if row is None:
        raise ArchiveError(f"no archived article at {url}")
    article_id, count = row
    newer = to_revision or count
    older = from_revision or newer - 1
    if older < 1:
        raise ArchiveError(f"{url} has a single revision: nothing to compare yet")

    def revision(number: int) -> dict[str, object]:
        cursor = archive.db.execute(
            "SELECT * FROM revisions WHERE article_id = ? AND number = ?", [article_id, number]
        )
        values = cursor.fetchone()
        if values is None:
            raise ArchiveError(f"{url} has no revision {number} (it has {count})")
        return dict(zip([d[0] for d in cursor.description], values, strict=True))

    before, after = revision(older), revision(newer)
    lines = [
        f"{url}: revision {older} ({before['captured_at']}) -> {newer} ({after['captured_at']})"
    ]
    for name in _FIELDS:
        if before[name] != after[name]:
            old, new = before[name], after[name]
            if name == "authors":
                old, new = ", ".join(json.loads(str(old))), ", ".join(json.loads(str(new)))
            lines += [f"{name}:", f"  - {old}", f"  + {new}"]
    old_paragraphs = str(before["body"] or "").split("\n\n")
    new_paragraphs = str(after["body"] or "").split("\n\n")
    changes = [
        line
        for line in difflib.ndiff(old_paragraphs, new_paragraphs)
        if line.startswith(("- ", "+ "))
    ]
    if changes:
        lines.append("body:")
        lines += [f"  {line}" for line in changes]
    if len(lines) == 1:
        lines.append("no difference in title, lead, body, authors or dates")
    return "\n".join(lines)
