-- 清单 coverage from evidence (issue 19 §2): a 清单 item is covered by the columns mapped to it and/or by items
-- whose titles show it in any column of the institution. Each judged item now says how (`via`), which titles
-- (`titles`: site, column, title, url, date shown; newest first), and the numbers of the evidence that decided
-- its status. Rows stored before this migration read via 'column' (the only kind of evidence then).
ALTER TABLE judged_items ADD COLUMN via VARCHAR DEFAULT 'column';
-- The empty list as the text '[]' (cast to the column's type), not the expression []: DuckDB 1.5 cannot replay
-- a write-ahead log holding a column default that is a function call (list_value), so a file whose process
-- died before its first checkpoint would not open again.
ALTER TABLE judged_items ADD COLUMN titles STRUCT(site VARCHAR, column_name VARCHAR, title VARCHAR, url VARCHAR,
    date_shown DATE)[] DEFAULT '[]';
ALTER TABLE judged_items ADD COLUMN decided_by VARCHAR;
ALTER TABLE judged_items ADD COLUMN newest_title VARCHAR;
ALTER TABLE judged_items ADD COLUMN newest_url VARCHAR;
ALTER TABLE judged_items ADD COLUMN age_days INTEGER;
ALTER TABLE judged_items ADD COLUMN limit_days INTEGER;
ALTER TABLE judged_items ADD COLUMN due DATE;
ALTER TABLE judged_items ADD COLUMN reason VARCHAR;

DROP VIEW v_catalog_coverage;
CREATE VIEW v_catalog_coverage AS
SELECT as_of, judged_at, institution, category, item_id, item, status, via AS covered_via, covered_by, titles,
       last_published AS newest, newest_title, newest_url, age_days, limit_days, due, reason
FROM judged_items
WHERE as_of = (SELECT max(as_of) FROM judged_items);
