"""Tables owned by snapshots: institutions, rounds, pages (the evidence index), crawls."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("snapshots")


@migrations()
def create_core_tables(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE institutions (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            funded TEXT NOT NULL CHECK (funded IN ('bekostigd', 'niet-bekostigd')),
            website TEXT NOT NULL,
            brin TEXT,
            kind TEXT,
            region TEXT,
            start_urls TEXT NOT NULL,      -- JSON list of URLs
            hosts TEXT NOT NULL,           -- JSON list of host names that belong to the crawl
            render TEXT CHECK (render IN ('auto', 'always', 'never')),
            imported_at TEXT NOT NULL
        );

        CREATE TABLE rounds (
            label TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            settings TEXT                  -- JSON of the crawl options used
        );

        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            round TEXT NOT NULL REFERENCES rounds(label),
            institution_id INTEGER NOT NULL REFERENCES institutions(id),
            url TEXT NOT NULL,             -- canonical URL requested
            final_url TEXT NOT NULL,       -- URL after redirects
            canonical_url TEXT,            -- rel=canonical when present
            status INTEGER,
            content_type TEXT,
            kind TEXT NOT NULL,            -- page | robots | sitemap | pdf | error
            gone INTEGER NOT NULL DEFAULT 0,   -- soft 404 / redirected to home page
            rendered INTEGER NOT NULL DEFAULT 0,
            payload_digest TEXT,
            payload_length INTEGER,
            warc_file TEXT,                -- relative to the workspace
            warc_offset INTEGER,
            warc_length INTEGER,
            record_type TEXT,              -- response | revisit
            warc_date TEXT,
            revisit_of INTEGER REFERENCES pages(id),
            text_length INTEGER,
            fetched_at TEXT NOT NULL,
            UNIQUE (round, institution_id, url, rendered)
        );
        CREATE INDEX pages_digest ON pages(payload_digest);
        CREATE INDEX pages_round_institution ON pages(round, institution_id);

        CREATE TABLE crawls (
            round TEXT NOT NULL REFERENCES rounds(label),
            institution_id INTEGER NOT NULL REFERENCES institutions(id),
            health TEXT CHECK (health IN ('ok', 'partial', 'failed')),
            reason TEXT,
            pages INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            requests INTEGER NOT NULL DEFAULT 0,
            suspect INTEGER NOT NULL DEFAULT 0,
            suspect_reason TEXT,
            stats TEXT,                    -- JSON of the relevant Scrapy stats
            started_at TEXT,
            finished_at TEXT,
            PRIMARY KEY (round, institution_id)
        );

        CREATE VIEW crawl_health AS
        SELECT c.round, i.name AS institution, i.funded, c.health, c.reason, c.pages,
               c.errors, c.requests, c.suspect, c.suspect_reason, c.started_at, c.finished_at
        FROM crawls c JOIN institutions i ON i.id = c.institution_id;
        """
    )


# --- Offline checks (owner: review helper): analysts' verdicts on offers that went offline ---


@migrations()
def create_offline_checks(db: Database) -> None:
    """Analysts' verdicts on an offer the diff found offline in `round`: confirmed `offline`,
    or `still_offered` at a URL of that round. Append-only like the decision log; the latest
    row per (round, institution, code) is in force and the diff reads it."""
    db.executescript(
        """
        CREATE TABLE offline_checks (
            id INTEGER PRIMARY KEY,
            round TEXT NOT NULL REFERENCES rounds(label),        -- the round it went missing in
            compared_with TEXT NOT NULL REFERENCES rounds(label), -- the earlier round checked
            institution_id INTEGER NOT NULL REFERENCES institutions(id),
            code TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('offline', 'still_offered')),
            offered_at TEXT,               -- the URL where it is still offered
            note TEXT,
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            supersedes INTEGER REFERENCES offline_checks(id),
            CHECK (verdict != 'still_offered' OR offered_at IS NOT NULL)
        );
        CREATE INDEX offline_checks_offer ON offline_checks(round, institution_id, code);
        CREATE TRIGGER offline_checks_no_update BEFORE UPDATE ON offline_checks BEGIN
            SELECT RAISE(ABORT, 'offline checks are append-only: record a new verdict instead');
        END;
        CREATE TRIGGER offline_checks_no_delete BEFORE DELETE ON offline_checks BEGIN
            SELECT RAISE(ABORT, 'offline checks are append-only: record a new verdict instead');
        END;

        CREATE VIEW offline_check_in_force AS
        SELECT c.* FROM offline_checks c
        WHERE c.id = (
            SELECT MAX(c2.id) FROM offline_checks c2
            WHERE c2.round = c.round AND c2.institution_id = c.institution_id
              AND c2.code = c.code
        );
        """
    )
