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
