-- 002_pager_partial: a list page whose script pager cannot be read says so, so a 304 keeps saying it.
-- The column of such a page is recorded `partial` (column_snapshots.error 'partial: …', state ok): its
-- count is what the readable pages hold, its newest date still counts, and it vanishes no item.

ALTER TABLE page_parses ADD COLUMN pager_partial BOOLEAN DEFAULT false;
