"""`xxgk diff`: what changed on a page between two stored snapshots, as a unified diff of its visible text.

Bodies are stored once per content hash; a run's snapshot of a URL is the body its latest successful fetch at
or before that run confirmed (a 304 confirms the previous body). The HTML is reduced to its visible text lines
(scripts, styles and tags dropped) so the diff shows what a reader would see change.
"""

from __future__ import annotations

import difflib
from html.parser import HTMLParser

from storage import codec
from storage.connection import DEFAULT_WAIT, open_readonly
from storage.errors import StorageError
from storage.timeutil import shown

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr"),
        *("li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "title", "tr", "ul"),
    }
)
_SKIP = frozenset({"script", "style", "noscript", "template"})


class _TextLines(HTMLParser):
    """Visible text of an HTML document, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _break(self) -> None:
        line = " ".join("".join(self._current).split())
        if line:
            self.lines.append(line)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._break()


def visible_lines(html: str) -> list[str]:
    parser = _TextLines()
    parser.feed(html)
    parser.close()
    return parser.lines


# The snapshots of a URL: per run, the hash its successful fetch confirmed, with the run's time.
_SNAPSHOTS = """
SELECT f.run_id, r.observed_at, f.content_hash
FROM fetches f JOIN runs r USING (run_id)
WHERE f.url = $url AND f.content_hash IS NOT NULL AND f.outcome IN ('ok', 'not_modified')
  AND EXISTS (SELECT 1 FROM bodies b WHERE b.content_hash = f.content_hash)
ORDER BY r.observed_at, f.run_id
"""


def _pick(snapshots: list[tuple], run: int | None, url: str) -> tuple:
    """The snapshot as of run `run` (its own fetch, or the latest before it); the latest if `run` is None."""
    if run is None:
        return snapshots[-1]
    order = {row[0]: i for i, row in enumerate(snapshots)}
    if run in order:
        return snapshots[order[run]]
    earlier = [row for row in snapshots if row[0] < run]
    if not earlier:
        raise StorageError(f"no snapshot of {url} at or before run {run}")
    return earlier[-1]


def diff_snapshots(
    path: str,
    url: str,
    from_run: int | None,
    to_run: int | None,
    *,
    wait: float = DEFAULT_WAIT,
    zone: str = "UTC",
) -> str:
    """A unified diff of the visible text of `url` between two runs' snapshots ('' when they are the same).

    Defaults: `to_run` is the latest snapshot; `from_run` the last snapshot before it with a different body.
    The headers give each run's time in `zone`, named. Fewer than two stored snapshots is a StorageError.
    """
    with open_readonly(path, wait=wait) as conn:
        snapshots = conn.execute(_SNAPSHOTS, {"url": url}).fetchall()
        if not snapshots:
            raise StorageError(f"no stored snapshot of {url}")
        if len({row[0] for row in snapshots}) < 2:
            (run, at, _), *_ = snapshots
            raise StorageError(
                f"only one stored snapshot of {url} (run {run}, {shown(at, zone, seconds=False)}):"
                " a diff needs two; crawl again later"
            )
        new = _pick(snapshots, to_run, url)
        if from_run is None:
            before = [row for row in snapshots if row[1] <= new[1] and row[0] != new[0] and row[2] != new[2]]
            old = before[-1] if before else new
        else:
            old = _pick(snapshots, from_run, url)
        texts = {}
        for digest in {old[2], new[2]}:
            found = conn.execute(
                "SELECT b.codec, b.body, (SELECT any_value(encoding) FROM page_parses p"
                " WHERE p.content_hash = b.content_hash) FROM bodies b WHERE b.content_hash = ? LIMIT 1",
                [digest],
            ).fetchone()
            assert found is not None  # guaranteed by _SNAPSHOTS
            texts[digest] = visible_lines(codec.body_text(found[0], found[1], found[2]))
    return "".join(
        difflib.unified_diff(
            [line + "\n" for line in texts[old[2]]],
            [line + "\n" for line in texts[new[2]]],
            fromfile=f"{url} run {old[0]} ({shown(old[1], zone, seconds=False)})",
            tofile=f"{url} run {new[0]} ({shown(new[1], zone, seconds=False)})",
        )
    )
