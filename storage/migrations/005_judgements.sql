-- The monitor's judgement as data (issue 19 §3): what `xxgk report` / `xxgk email` decided for an as-of day,
-- one row per report section (a column, or a 清单 item no column maps to), and one row per 清单 item per
-- institution with the columns that cover it. A day judged again replaces that day's rows.
CREATE TABLE judged_columns (
    as_of          DATE NOT NULL,
    judged_at      TIMESTAMPTZ NOT NULL,
    institution    VARCHAR NOT NULL,
    site           VARCHAR,
    department     VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    url            VARCHAR,
    category       VARCHAR,
    item           VARCHAR,
    item_id        VARCHAR,
    covers         VARCHAR[] NOT NULL,
    last_published DATE,
    items          INTEGER NOT NULL,
    status         VARCHAR NOT NULL,
    age_days       INTEGER,
    limit_days     INTEGER,
    due            DATE,
    rule           VARCHAR NOT NULL,
    reason         VARCHAR NOT NULL,
    error          VARCHAR
);

CREATE TABLE judged_items (
    as_of          DATE NOT NULL,
    judged_at      TIMESTAMPTZ NOT NULL,
    institution    VARCHAR NOT NULL,
    category       VARCHAR,
    item_id        VARCHAR NOT NULL,
    item           VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    covered_by     VARCHAR[] NOT NULL,
    last_published DATE
);

-- The latest judged day's columns (missing 清单 items are in v_catalog_coverage).
CREATE VIEW v_column_judgement AS
SELECT as_of, judged_at, site, institution, department, name AS column_name, url, category, item, status,
       last_published AS newest, age_days, limit_days, due, reason, rule, items, error
FROM judged_columns
WHERE url IS NOT NULL AND as_of = (SELECT max(as_of) FROM judged_columns);

CREATE VIEW v_catalog_coverage AS
SELECT as_of, judged_at, institution, category, item_id, item, covered_by, status, last_published AS newest
FROM judged_items
WHERE as_of = (SELECT max(as_of) FROM judged_items);
