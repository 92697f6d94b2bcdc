-- Hoshin database, schema version 2: stable identities, rows updated in
-- place, history by change, photos stored once.
--
-- * Every node (issue, strategy, initiative, activity, indicator, photo) has
--   `uid`, its stable identity, unique within its plan (the interchange
--   format's `id`). The integer `id` is the row's key inside this file.
-- * Sibling order is `position` (0, 1, 2 …); numbers 5-1-2 are derived from
--   it, never stored. Uniqueness of positions, years and numbers is checked
--   by the core before writing, not by constraints, so that an undo can put
--   rows back in any order.
-- * Row ids are AUTOINCREMENT: never reused, so an undo in one plan can put
--   a row back without meeting a newer row of another plan under its id.
-- * No ON DELETE CASCADE: the core deletes children itself, so that every
--   deleted row is in the change set that undo replays.
-- * Images live once in `image`, keyed by their SHA-256; photos and the
--   history refer to them by hash.
-- * History: one row in `change_set` per user action with the SQLite session
--   changeset of that action (exact undo and redo) and, in `change`, the
--   changed fields for people to read.

-- Migration from version 1: move the old tables aside, create the new ones,
-- copy, drop the old ones.
DROP INDEX budget_by_initiative;
DROP INDEX budget_by_issue;
DROP INDEX indicator_by_issue;
DROP INDEX indicator_by_strategy;
DROP INDEX indicator_by_initiative;
DROP INDEX change_set_by_plan;
ALTER TABLE plan RENAME TO v1_plan;
ALTER TABLE issue RENAME TO v1_issue;
ALTER TABLE issue_sdg RENAME TO v1_issue_sdg;
ALTER TABLE issue_main_strategy RENAME TO v1_issue_main_strategy;
ALTER TABLE strategy RENAME TO v1_strategy;
ALTER TABLE initiative RENAME TO v1_initiative;
ALTER TABLE budget RENAME TO v1_budget;
ALTER TABLE activity RENAME TO v1_activity;
ALTER TABLE activity_result RENAME TO v1_activity_result;
ALTER TABLE indicator RENAME TO v1_indicator;
ALTER TABLE indicator_result RENAME TO v1_indicator_result;
ALTER TABLE photo RENAME TO v1_photo;
ALTER TABLE council_opinion RENAME TO v1_council_opinion;
ALTER TABLE change_set RENAME TO v1_change_set;
ALTER TABLE change RENAME TO v1_change;

CREATE TABLE plan (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id         INTEGER NOT NULL REFERENCES plan (id),
    uid             TEXT    NOT NULL,
    position        INTEGER NOT NULL CHECK (position >= 0),
    number          INTEGER NOT NULL CHECK (number >= 1),
    title           TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    summary         TEXT,
    recognition     TEXT,
    -- JSON arrays: [3, 11] and ["…", "…"]
    sdgs            TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(sdgs)),
    main_strategies TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(main_strategies)),
    UNIQUE (plan_id, uid)
);
CREATE INDEX issue_by_plan ON issue (plan_id, position);

CREATE TABLE strategy (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id         INTEGER NOT NULL REFERENCES plan (id),
    issue_id        INTEGER NOT NULL REFERENCES issue (id),
    uid             TEXT    NOT NULL,
    position        INTEGER NOT NULL CHECK (position >= 0),
    numbered        INTEGER NOT NULL CHECK (numbered IN (0, 1)),
    title           TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    goal_state      TEXT,
    current_state   TEXT,
    challenges      TEXT,
    direction       TEXT,
    self_evaluation TEXT,
    improvements    TEXT,
    UNIQUE (plan_id, uid)
);
CREATE INDEX strategy_by_issue ON strategy (issue_id, position);

CREATE TABLE initiative (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id          INTEGER NOT NULL REFERENCES plan (id),
    strategy_id      INTEGER NOT NULL REFERENCES strategy (id),
    uid              TEXT    NOT NULL,
    position         INTEGER NOT NULL CHECK (position >= 0),
    title            TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    summary          TEXT,
    section          TEXT,
    council_opinions TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(council_opinions)),
    UNIQUE (plan_id, uid)
);
CREATE INDEX initiative_by_strategy ON initiative (strategy_id, position);

-- A budget belongs to exactly one issue or one initiative.
CREATE TABLE budget (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id      INTEGER REFERENCES issue (id),
    initiative_id INTEGER REFERENCES initiative (id),
    position      INTEGER NOT NULL CHECK (position >= 0),
    fiscal_year   INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2200),
    kind          TEXT    NOT NULL CHECK (kind IN ('settled', 'budget')),
    amount_yen    INTEGER CHECK (amount_yen IS NULL OR (typeof(amount_yen) = 'integer' AND amount_yen >= 0)),
    CHECK ((issue_id IS NULL) <> (initiative_id IS NULL))
);
CREATE INDEX budget_by_issue ON budget (issue_id);
CREATE INDEX budget_by_initiative ON budget (initiative_id);

CREATE TABLE activity (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plan (id),
    initiative_id INTEGER NOT NULL REFERENCES initiative (id),
    uid           TEXT    NOT NULL,
    position      INTEGER NOT NULL CHECK (position >= 0),
    text          TEXT    NOT NULL CHECK (length(trim(text)) > 0),
    UNIQUE (plan_id, uid)
);
CREATE INDEX activity_by_initiative ON activity (initiative_id, position);

CREATE TABLE activity_result (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES activity (id),
    position    INTEGER NOT NULL CHECK (position >= 0),
    fiscal_year INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2200),
    text        TEXT    NOT NULL
);
CREATE INDEX activity_result_by_activity ON activity_result (activity_id);

-- An indicator hangs off exactly one issue, strategy (outcome) or initiative
-- (process). Values keep their JSON spelling: the columns have no type, so
-- SQLite stores 70 as an integer and 62.0 as a real.
CREATE TABLE indicator (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id           INTEGER NOT NULL REFERENCES plan (id),
    issue_id          INTEGER REFERENCES issue (id),
    strategy_id       INTEGER REFERENCES strategy (id),
    initiative_id     INTEGER REFERENCES initiative (id),
    uid               TEXT    NOT NULL,
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
    UNIQUE (plan_id, uid)
);
CREATE INDEX indicator_by_issue ON indicator (issue_id);
CREATE INDEX indicator_by_strategy ON indicator (strategy_id);
CREATE INDEX indicator_by_initiative ON indicator (initiative_id);

CREATE TABLE indicator_result (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    indicator_id INTEGER NOT NULL REFERENCES indicator (id),
    position     INTEGER NOT NULL CHECK (position >= 0),
    fiscal_year  INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1989 AND 2200),
    value        CHECK (value IS NULL OR (typeof(value) IN ('integer', 'real') AND value >= 0)),
    -- 〇 = 1, － = 0, not judged = NULL: the mark the planner confirmed.
    achieved     INTEGER CHECK (achieved IN (0, 1)),
    source       TEXT,
    rating       TEXT,
    note         TEXT
);
CREATE INDEX indicator_result_by_indicator ON indicator_result (indicator_id);

-- Image bytes, once per content. Not part of any change set: photos and
-- history refer to an image by hash, and unreferenced images are removed
-- when history is pruned.
CREATE TABLE image (
    hash       TEXT    PRIMARY KEY,
    media_type TEXT    NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
    data       BLOB    NOT NULL
) WITHOUT ROWID;

CREATE TABLE photo (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plan (id),
    initiative_id INTEGER NOT NULL REFERENCES initiative (id),
    uid           TEXT    NOT NULL,
    position      INTEGER NOT NULL CHECK (position >= 0),
    caption       TEXT    NOT NULL,
    image_hash    TEXT    REFERENCES image (hash),
    UNIQUE (plan_id, uid)
);
CREATE INDEX photo_by_initiative ON photo (initiative_id, position);

-- History. `plan_key` names the plan the action belonged to (its plan row
-- may have been deleted by the action); `changeset` is NULL where the set
-- can no longer be undone (pruned, sealed, or condensed from version 1).
CREATE TABLE change_set (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL,
    ward        TEXT    NOT NULL,
    fiscal_year INTEGER NOT NULL,
    at          TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    scope       TEXT    NOT NULL DEFAULT 'edit' CHECK (scope IN ('edit', 'create_plan', 'replace_plan', 'delete_plan')),
    state       TEXT    NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone')),
    changeset   BLOB
);
CREATE INDEX change_set_by_plan ON change_set (plan_id, id);

CREATE TABLE change (
    change_set_id INTEGER NOT NULL REFERENCES change_set (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    entity        TEXT    NOT NULL,
    field         TEXT    NOT NULL,
    old_value     TEXT,
    new_value     TEXT,
    PRIMARY KEY (change_set_id, position)
) WITHOUT ROWID;

-- Images referred to by a change set (kept while the set can be replayed).
CREATE TABLE change_set_image (
    change_set_id INTEGER NOT NULL REFERENCES change_set (id) ON DELETE CASCADE,
    hash          TEXT    NOT NULL,
    PRIMARY KEY (change_set_id, hash)
) WITHOUT ROWID;

-- Copy version 1's rows. Stable identities are new random ids.
INSERT INTO plan SELECT * FROM v1_plan;

INSERT INTO issue (id, plan_id, uid, position, number, title, summary, recognition, sdgs, main_strategies)
SELECT i.id, i.plan_id, lower(hex(randomblob(16))), i.position, i.number, i.title, i.summary, i.recognition,
       (SELECT json_group_array(goal ORDER BY position) FROM v1_issue_sdg WHERE issue_id = i.id),
       (SELECT json_group_array(text ORDER BY position) FROM v1_issue_main_strategy WHERE issue_id = i.id)
FROM v1_issue i;

INSERT INTO strategy (id, plan_id, issue_id, uid, position, numbered, title, goal_state, current_state, challenges,
                      direction, self_evaluation, improvements)
SELECT s.id, i.plan_id, s.issue_id, lower(hex(randomblob(16))), s.position, s.numbered, s.title, s.goal_state,
       s.current_state, s.challenges, s.direction, s.self_evaluation, s.improvements
FROM v1_strategy s JOIN v1_issue i ON i.id = s.issue_id;

INSERT INTO initiative (id, plan_id, strategy_id, uid, position, title, summary, section, council_opinions)
SELECT n.id, i.plan_id, n.strategy_id, lower(hex(randomblob(16))), n.position, n.title, n.summary, NULL,
       (SELECT json_group_array(text ORDER BY position) FROM v1_council_opinion WHERE initiative_id = n.id)
FROM v1_initiative n JOIN v1_strategy s ON s.id = n.strategy_id JOIN v1_issue i ON i.id = s.issue_id;

INSERT INTO budget (id, issue_id, initiative_id, position, fiscal_year, kind, amount_yen)
SELECT id, issue_id, initiative_id, position, fiscal_year, kind, amount_yen FROM v1_budget;

INSERT INTO activity (id, plan_id, initiative_id, uid, position, text)
SELECT a.id, n.plan_id, a.initiative_id, lower(hex(randomblob(16))), a.position, a.text
FROM v1_activity a JOIN initiative n ON n.id = a.initiative_id;

INSERT INTO activity_result (activity_id, position, fiscal_year, text)
SELECT activity_id, position, fiscal_year, text FROM v1_activity_result ORDER BY activity_id, position;

INSERT INTO indicator (id, plan_id, issue_id, strategy_id, initiative_id, uid, position, text, target_value,
                       target_unit, target_comparison, target_by_year, target_from_year, target_cumulative, target_text)
SELECT d.id, coalesce(i.plan_id, s.plan_id, n.plan_id), d.issue_id, d.strategy_id, d.initiative_id,
       lower(hex(randomblob(16))), d.position, d.text, d.target_value, d.target_unit, d.target_comparison,
       d.target_by_year, d.target_from_year, d.target_cumulative, d.target_text
FROM v1_indicator d
LEFT JOIN issue i ON i.id = d.issue_id
LEFT JOIN strategy s ON s.id = d.strategy_id
LEFT JOIN initiative n ON n.id = d.initiative_id;

INSERT INTO indicator_result (indicator_id, position, fiscal_year, value, achieved, source, rating, note)
SELECT indicator_id, position, fiscal_year, value, achieved, source, rating, note
FROM v1_indicator_result ORDER BY indicator_id, position;

-- Photos and their images are copied by the migration's hook (SHA-256 is
-- computed in Rust); then v1_photo is dropped there.

INSERT INTO change_set (id, plan_id, ward, fiscal_year, at, action, scope, state, changeset)
SELECT c.id, coalesce(p.id, 0), c.ward, c.fiscal_year, c.at, c.action,
       CASE WHEN c.before_json IS NULL THEN 'create_plan' WHEN c.after_json IS NULL THEN 'delete_plan' ELSE 'edit' END,
       c.state, NULL
FROM v1_change_set c LEFT JOIN v1_plan p ON p.ward = c.ward AND p.fiscal_year = c.fiscal_year
WHERE c.state = 'done';
INSERT INTO change SELECT * FROM v1_change WHERE change_set_id IN (SELECT id FROM change_set);

DROP TABLE v1_change;
DROP TABLE v1_change_set;
DROP TABLE v1_council_opinion;
DROP TABLE v1_indicator_result;
DROP TABLE v1_indicator;
DROP TABLE v1_activity_result;
DROP TABLE v1_activity;
DROP TABLE v1_budget;
DROP TABLE v1_issue_main_strategy;
DROP TABLE v1_issue_sdg;
