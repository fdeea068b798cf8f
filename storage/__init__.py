"""storage: the DuckDB history of every crawl.

Owns the schema (named migrations), every SQL statement of the project, batched ingest, run bookkeeping,
the read-only queries for the monitor and analysts, export and snapshot diffs. Imports nothing of ours
(crawler and monitor import storage, never the reverse). The write pattern — short transactions with the file
closed between them, so analysts can read during a crawl — is in docs/schema.md, with every table and column.

Public names:
- run life cycle (crawler): `start_run`, `crawl_history` (`CrawlHistory`: what a crawl reads before it
  starts, in one open), `load_previous[_sites]`, `known_columns[_sites]`, `revisit_history`
  (`RevisitHistory`), `RunWriter`, `finish_run`, `mark_run`
- runs of a crawl split into jobs (storage.jobs: a Scrapyd cluster): `run_outcomes`, `run_progress`,
  `run_is_open`, `record_unreached`, `crawl_volume` (pages and bytes per crawl)
- the spool (storage.spool: what a crawl could not write while another process held the file, written by the
  next open): `pending_writes`, `PendingWrite`
- connections: `open_readonly`, `open_readwrite` (a DuckDB file, or the shared catalog's locator:
  storage/lake.py, docs/scale.md), `exists`, `label` (how messages name it); errors: `StorageError` and
  its kinds `DatabaseBusy` (`lake.CatalogUnavailable` too), `DatabaseDamaged`, `SchemaTooNew`, `DiskFull`
- analysts: `run_sql`, `export`, `diff_snapshots`
- monitor queries (storage.queries, dataclasses in storage.facts): `column_facts`, `site_facts`, `item_facts`,
  `deleted_items`, `edited_items`, `broken_links`, `column_snapshots`, `crawl_times`, `items_published`,
  `runs_summary`, `site_titles`
- the judgement as rows (storage.judgements): `record_judgement`, `JudgedColumn`, `JudgedItem`
- weekly email log: `EmailLog` (records before and after each send, spooling while the file is busy),
  `EmailSend`, `email_states`, `record_email_send`, `email_sent`, `last_email`, states `SENDING`, `SENT`,
  `FAILED`
"""

from typing import TYPE_CHECKING

from storage import connection
from storage.connection import DEFAULT_WAIT, exists, label, open_readonly, open_readwrite
from storage.errors import DatabaseBusy, DatabaseDamaged, DiskFull, SchemaTooNew, StorageError
from storage.finalize import finish_run
from storage.history import CrawlHistory, crawl_history
from storage.ingest import RunWriter, apply_spooled
from storage.jobs import crawl_volume, record_unreached, run_is_open, run_outcomes, run_progress
from storage.previous import known_columns, known_columns_sites, load_previous, load_previous_sites
from storage.revisit import RevisitHistory, revisit_history
from storage.runs import mark_run, sites_down, start_run
from storage.spool import Pending as PendingWrite
from storage.spool import pending as pending_writes

# every read-write open writes the crawl spool first (storage/spool.py), with the statements ingest owns
connection.APPLY_SPOOLED = apply_spooled

# What a crawl never uses is imported on first use (PEP 562), so a crawl's start does not pay for it
# (~25 ms): the monitor's queries and their dataclasses, the judgement and email tables, export, diff, SQL.
_ON_FIRST_USE = {
    "storage.diff": ("diff_snapshots",),
    "storage.email_log": (
        "FAILED",
        "SENDING",
        "SENT",
        "EmailLog",
        "EmailSend",
        "email_sent",
        "email_states",
        "last_email",
        "record_email_send",
    ),
    "storage.export": ("export",),
    "storage.facts": (
        "ColumnFacts",
        "EditFacts",
        "EmailFacts",
        "ItemFacts",
        "LinkFacts",
        "PublishedCount",
        "RunFacts",
        "SiteFacts",
        "SnapshotFacts",
    ),
    "storage.judgements": ("JudgedColumn", "JudgedItem", "record_judgement"),
    "storage.queries": (
        "broken_links",
        "column_facts",
        "column_snapshots",
        "crawl_times",
        "deleted_items",
        "edited_items",
        "item_facts",
        "items_published",
        "runs_summary",
        "site_facts",
        "site_titles",
    ),
    "storage.readonly": ("run_sql",),
}
_MODULE_OF = {name: module for module, names in _ON_FIRST_USE.items() for name in names}

if TYPE_CHECKING:
    from storage.diff import diff_snapshots
    from storage.email_log import (
        FAILED,
        SENDING,
        SENT,
        EmailLog,
        EmailSend,
        email_sent,
        email_states,
        last_email,
        record_email_send,
    )
    from storage.export import export
    from storage.facts import (
        ColumnFacts,
        EditFacts,
        EmailFacts,
        ItemFacts,
        LinkFacts,
        PublishedCount,
        RunFacts,
        SiteFacts,
        SnapshotFacts,
    )
    from storage.judgements import JudgedColumn, JudgedItem, record_judgement
    from storage.queries import (
        broken_links,
        column_facts,
        column_snapshots,
        crawl_times,
        deleted_items,
        edited_items,
        item_facts,
        items_published,
        runs_summary,
        site_facts,
        site_titles,
    )
    from storage.readonly import run_sql
else:

    def __getattr__(name: str) -> object:
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module 'storage' has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


__all__ = [
    "DEFAULT_WAIT",
    "FAILED",
    "SENDING",
    "SENT",
    "ColumnFacts",
    "CrawlHistory",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DiskFull",
    "EditFacts",
    "EmailFacts",
    "EmailLog",
    "EmailSend",
    "ItemFacts",
    "JudgedColumn",
    "JudgedItem",
    "LinkFacts",
    "PendingWrite",
    "PublishedCount",
    "RevisitHistory",
    "RunFacts",
    "RunWriter",
    "SchemaTooNew",
    "SiteFacts",
    "SnapshotFacts",
    "StorageError",
    "broken_links",
    "column_facts",
    "column_snapshots",
    "crawl_history",
    "crawl_times",
    "crawl_volume",
    "deleted_items",
    "diff_snapshots",
    "edited_items",
    "email_sent",
    "email_states",
    "exists",
    "export",
    "finish_run",
    "item_facts",
    "items_published",
    "known_columns",
    "known_columns_sites",
    "label",
    "last_email",
    "load_previous",
    "load_previous_sites",
    "mark_run",
    "open_readonly",
    "open_readwrite",
    "pending_writes",
    "record_email_send",
    "record_judgement",
    "record_unreached",
    "revisit_history",
    "run_is_open",
    "run_outcomes",
    "run_progress",
    "run_sql",
    "runs_summary",
    "site_facts",
    "site_titles",
    "sites_down",
    "start_run",
]
