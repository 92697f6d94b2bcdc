-- Hoshin database, schema version 1. Many plans (ward × fiscal year) per file.
-- Sibling order is data (`position`); strategy and initiative numbers (5-1-2)
-- are derived from the tree, never stored, so they cannot disagree with it.

-- The file is marked as Hoshin's by PRAGMA application_id (see store/mod.rs).

CREATE TABLE plan (
    id              INTEGER PRIMARY KEY,
    ward            TEXT    NOT NULL CHECK (length(trim(ward)) > 0),
    fiscal_year     INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2200),
    stage           TEXT    CHECK (stage IN ('plan', 'midterm', 'final')),
    source          TEXT,
    goal            TEXT,
    mission         TEXT,
    basic_policy    TEXT,
    self_evaluation TEXT,
    future_policy   TEXT,
    UNIQUE (ward, fiscal_year)
);

CREATE TABLE issue (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    number      INTEGER NOT NULL CHECK (number >= 1),
    title       TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    summary     TEXT,
    recognition TEXT,
    UNIQUE (plan_id, position),
    UNIQUE (plan_id, number)
);

CREATE TABLE issue_sdg (
    issue_id INTEGER NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    goal     INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 17),
    PRIMARY KEY (issue_id, position),
    UNIQUE (issue_id, goal)
);

CREATE TABLE issue_main_strategy (
    issue_id INTEGER NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    text     TEXT    NOT NULL,
    PRIMARY KEY (issue_id, position)
);

CREATE TABLE strategy (
    id              INTEGER PRIMARY KEY,
    issue_id        INTEGER NOT NULL REFERENCES issue (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (position >= 0),
    numbered        INTEGER NOT NULL CHECK (numbered IN (0, 1)),
    title           TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    goal_state      TEXT,
    current_state   TEXT,
    challenges      TEXT,
    direction       TEXT,
    self_evaluation TEXT,
    improvements    TEXT,
    UNIQUE (issue_id, position)
);

CREATE TABLE initiative (
    id          INTEGER PRIMARY KEY,
    strategy_id INTEGER NOT NULL REFERENCES strategy (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    title       TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    summary     TEXT,
    UNIQUE (strategy_id, position)
);

-- A budget belongs to exactly one initiative or one issue.
CREATE TABLE budget (
    id            INTEGER PRIMARY KEY,
    issue_id      INTEGER REFERENCES issue (id) ON DELETE CASCADE,
    initiative_id INTEGER REFERENCES initiative (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    fiscal_year   INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2200),
    kind          TEXT    NOT NULL CHECK (kind IN ('settled', 'budget')),
    amount_yen    INTEGER CHECK (amount_yen IS NULL OR (typeof(amount_yen) = 'integer' AND amount_yen >= 0)),
    CHECK ((issue_id IS NULL) <> (initiative_id IS NULL))
);
CREATE INDEX budget_by_initiative ON budget (initiative_id);
CREATE INDEX budget_by_issue ON budget (issue_id);

CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    text          TEXT    NOT NULL CHECK (length(trim(text)) > 0),
    UNIQUE (initiative_id, position)
);

CREATE TABLE activity_result (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 0),
    fiscal_year INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2200),
    text        TEXT    NOT NULL,
    PRIMARY KEY (activity_id, position),
    UNIQUE (activity_id, fiscal_year)
);

-- An indicator hangs off exactly one issue, strategy (outcome) or initiative
-- (process). Values keep their JSON spelling: the columns have no type, so
-- SQLite stores 70 as an integer and 62.0 as a real.
CREATE TABLE indicator (
    id                INTEGER PRIMARY KEY,
    issue_id          INTEGER REFERENCES issue (id) ON DELETE CASCADE,
    strategy_id       INTEGER REFERENCES strategy (id) ON DELETE CASCADE,
    initiative_id     INTEGER REFERENCES initiative (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL CHECK (position >= 0),
    text              TEXT    NOT NULL CHECK (length(trim(text)) > 0),
    target_value      CHECK (target_value IS NULL OR (typeof(target_value) IN ('integer', 'real') AND target_value >= 0)),
    target_unit       TEXT    NOT NULL,
    target_comparison TEXT    CHECK (target_comparison IN ('at_least', 'at_most')),
    target_by_year    INTEGER CHECK (target_by_year BETWEEN 1989 AND 2200),
    target_from_year  INTEGER CHECK (target_from_year BETWEEN 1989 AND 2200),
    target_cumulative INTEGER CHECK (target_cumulative IN (0, 1)),
    target_text       TEXT,
    CHECK ((issue_id IS NOT NULL) + (strategy_id IS NOT NULL) + (initiative_id IS NOT NULL) = 1),
    CHECK (target_unit NOT IN ('%', '％') OR target_value IS NULL OR target_value <= 100)
);
CREATE INDEX indicator_by_issue ON indicator (issue_id);
CREATE INDEX indicator_by_strategy ON indicator (strategy_id);
CREATE INDEX indicator_by_initiative ON indicator (initiative_id);

CREATE TABLE indicator_result (
    indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position >= 0),
    fiscal_year  INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2200),
    value        CHECK (value IS NULL OR (typeof(value) IN ('integer', 'real') AND value >= 0)),
    -- 〇 = 1, － = 0, not judged = NULL: the mark the planner confirmed.
    achieved     INTEGER CHECK (achieved IN (0, 1)),
    source       TEXT,
    rating       TEXT,
    note         TEXT,
    PRIMARY KEY (indicator_id, position),
    UNIQUE (indicator_id, fiscal_year)
);

CREATE TABLE photo (
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    caption       TEXT    NOT NULL,
    media_type    TEXT    CHECK (media_type IN ('image/png', 'image/jpeg')),
    data          BLOB,
    CHECK (data IS NULL OR media_type IS NOT NULL),
    PRIMARY KEY (initiative_id, position)
);

CREATE TABLE council_opinion (
    initiative_id INTEGER NOT NULL REFERENCES initiative (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    text          TEXT    NOT NULL,
    PRIMARY KEY (initiative_id, position)
);

-- History: one change set per user action, written in the same transaction
-- as the action. The plan as it was before and after makes undo and redo
-- exact for any kind of edit; `change` lists the fields for people to read.
CREATE TABLE change_set (
    id          INTEGER PRIMARY KEY,
    ward        TEXT    NOT NULL,
    fiscal_year INTEGER NOT NULL,
    at          TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    state       TEXT    NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone'))
);
CREATE INDEX change_set_by_plan ON change_set (ward, fiscal_year, id);

CREATE TABLE change (
    change_set_id INTEGER NOT NULL REFERENCES change_set (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    entity        TEXT    NOT NULL,
    field         TEXT    NOT NULL,
    old_value     TEXT,
    new_value     TEXT,
    PRIMARY KEY (change_set_id, position)
);
