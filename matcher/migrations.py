"""Tables owned by matcher: register versions, candidates, matches, decisions."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("matcher")


@migrations()
def create_register_tables(db: Database) -> None:
    """Register versions (one per import, dated by --as-of), their certificates and aliases."""
    db.executescript(
        """
        CREATE TABLE register_versions (
            id INTEGER PRIMARY KEY,
            as_of TEXT NOT NULL,           -- date the register is valid for (YYYY-MM-DD)
            imported_at TEXT NOT NULL,
            source TEXT NOT NULL,          -- file name imported
            certificates INTEGER NOT NULL  -- number of certificates in this version
        );
        CREATE INDEX register_versions_as_of ON register_versions(as_of);

        CREATE TABLE certificates (
            version_id INTEGER NOT NULL REFERENCES register_versions(id),
            code TEXT NOT NULL,
            title TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('keuzedeel', 'beroepsgericht onderdeel')),
            sector TEXT,
            sbu INTEGER,
            level TEXT,
            qualification TEXT,
            lnv INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (version_id, code)
        );

        CREATE TABLE certificate_aliases (
            version_id INTEGER NOT NULL,
            code TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('title', 'code')),
            alias TEXT NOT NULL,
            PRIMARY KEY (version_id, code, kind, alias),
            FOREIGN KEY (version_id, code) REFERENCES certificates(version_id, code)
        );
        """
    )


# --- Offers (owner: offers helper): match runs, candidates, ranked codes, decisions, views ---


@migrations()
def create_offer_tables(db: Database) -> None:
    """Match runs, candidates and their ranked codes, the append-only decision log, views."""
    db.executescript(
        """
        CREATE TABLE match_runs (
            id INTEGER PRIMARY KEY,
            round TEXT NOT NULL REFERENCES rounds(label),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            config TEXT NOT NULL,          -- MatchConfig JSON used for this run
            register TEXT NOT NULL,        -- which register version (source, as_of)
            pages INTEGER NOT NULL DEFAULT 0,
            candidates INTEGER NOT NULL DEFAULT 0,
            last_page_id INTEGER,          -- MAX(pages.id) of the round when matched
            page_count INTEGER             -- pages of the round then (a stale match shows)
        );

        -- The certificates of the register a run used (titles for the offers view).
        CREATE TABLE match_certificates (
            run_id INTEGER NOT NULL REFERENCES match_runs(id),
            code TEXT NOT NULL,
            title TEXT NOT NULL,
            type TEXT NOT NULL,
            sector TEXT,
            PRIMARY KEY (run_id, code)
        );

        -- Course names found on archived pages; replaced when a round is matched again.
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES match_runs(id),
            round TEXT NOT NULL REFERENCES rounds(label),
            institution_id INTEGER NOT NULL REFERENCES institutions(id),
            page_id INTEGER NOT NULL REFERENCES pages(id),
            page_kind TEXT NOT NULL,       -- detail | listing | pdf
            name TEXT NOT NULL,
            normalised_name TEXT NOT NULL,
            source TEXT NOT NULL,          -- jsonld | h1 | og:title | title | card | list | pdf
            snippet TEXT,
            cues TEXT NOT NULL,            -- comma-separated cue names
            codes_on_page TEXT NOT NULL,   -- comma-separated codes near the name
            link TEXT,
            excluded TEXT,                 -- why this is no offer (diploma programme, ...)
            decision TEXT NOT NULL CHECK (decision IN ('auto', 'review', 'none')),
            code TEXT,                     -- best certificate code (NULL when none ranked)
            score REAL NOT NULL,
            explanation TEXT,
            b2b INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX candidates_round ON candidates(round, institution_id);
        CREATE INDEX candidates_name ON candidates(institution_id, normalised_name);

        CREATE TABLE candidate_codes (
            candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,
            code TEXT NOT NULL,
            score REAL NOT NULL,
            title TEXT NOT NULL,
            PRIMARY KEY (candidate_id, rank)
        );

        -- Analysts' decisions: append-only; the latest row per (institution, name) wins and
        -- applies to its round and later rounds. candidate_id has no foreign key because
        -- candidates are replaced when a round is matched again.
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            round TEXT NOT NULL REFERENCES rounds(label),
            institution_id INTEGER NOT NULL REFERENCES institutions(id),
            normalised_name TEXT NOT NULL,
            code TEXT NOT NULL,            -- a certificate code, 'none' or 'withdrawn'
            b2b_only INTEGER,              -- NULL: keep what the page cues say
            note TEXT,
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            supersedes INTEGER REFERENCES decisions(id),
            candidate_id INTEGER
        );
        CREATE INDEX decisions_name ON decisions(institution_id, normalised_name);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN
            SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead');
        END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN
            SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead');
        END;

        -- Each candidate with the analysts' latest applicable decision applied; a latest
        -- decision 'withdrawn' (undo of a first decision) counts as no decision.
        CREATE VIEW candidate_status AS
        SELECT c.*, d.id AS decision_id, d.reviewer,
            CASE WHEN d.id IS NOT NULL THEN d.code ELSE c.code END AS offer_code,
            CASE
                WHEN d.id IS NOT NULL
                    THEN CASE WHEN d.code = 'none' THEN 'none' ELSE 'confirmed' END
                WHEN c.excluded IS NOT NULL THEN 'none'
                WHEN c.decision = 'auto' THEN 'confirmed'
                WHEN c.decision = 'review' THEN 'review'
                ELSE 'none'
            END AS status,
            COALESCE(d.b2b_only, c.b2b) AS b2b_only,
            CASE WHEN d.id IS NULL OR d.code = c.code THEN c.score
                 ELSE COALESCE((SELECT cc.score FROM candidate_codes cc
                                WHERE cc.candidate_id = c.id AND cc.code = d.code), 0)
            END AS offer_score
        FROM candidates c
        LEFT JOIN decisions d ON d.id = (
            SELECT d2.id FROM decisions d2
            JOIN rounds rd ON rd.label = d2.round
            JOIN rounds rc ON rc.label = c.round
            WHERE d2.institution_id = c.institution_id
              AND d2.normalised_name = c.normalised_name
              AND (d2.round = c.round OR rd.started_at < rc.started_at)
            ORDER BY d2.id DESC LIMIT 1
        ) AND d.code != 'withdrawn';

        -- Offers per round: one row per (institution, code), confirmed before review; the
        -- evidence is the course's own page before listing cards and PDFs, never a copy
        -- that names another page as canonical, ties broken by URL (not crawl order).
        CREATE VIEW offers AS
        WITH live AS (
            SELECT s.*, p.final_url, ROW_NUMBER() OVER (
                PARTITION BY s.round, s.institution_id, s.offer_code
                ORDER BY s.source IN ('card', 'list'), s.page_kind = 'listing',
                         s.page_kind = 'pdf',
                         COALESCE(p.canonical_url NOT IN (p.url, p.final_url), 0),
                         s.status != 'confirmed', s.offer_score DESC,
                         length(p.final_url), p.final_url, s.page_id
            ) AS evidence_rank
            FROM candidate_status s
            JOIN pages p ON p.id = s.page_id
            WHERE s.status IN ('confirmed', 'review') AND s.offer_code IS NOT NULL
        )
        SELECT l.round, i.name AS institution, i.funded, l.offer_code AS code,
            mc.title, mc.type, mc.sector,
            CASE WHEN SUM(l.status = 'confirmed') > 0 THEN 'confirmed' ELSE 'review' END
                AS status,
            MAX(l.b2b_only) AS b2b_only,
            MAX(CASE WHEN l.evidence_rank = 1 THEN l.final_url END) AS evidence_url,
            MAX(l.offer_score) AS score,
            l.institution_id,
            group_concat(DISTINCT l.page_id) AS evidence_page_ids,
            json_group_array(DISTINCT l.name) AS names
        FROM live l
        JOIN institutions i ON i.id = l.institution_id
        LEFT JOIN match_certificates mc ON mc.run_id = l.run_id AND mc.code = l.offer_code
        GROUP BY l.round, l.institution_id, l.offer_code;
        """
    )


@migrations()
def define_decision_in_force(db: Database) -> None:
    """The decision in force, written once as views that everything reads.

    `latest_decision`: per round x institution x normalised name, the latest decision that
    applies there (a decision applies to its own round and to rounds started later; the
    latest wins), a withdrawal included. `decision_in_force`: the same without names whose
    latest row is a withdrawal (the matcher's own routing applies again). `candidate_status`
    and `offers` are rebuilt on it; `review_candidates` is the review queue's join.
    """
    offers_sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'offers'").fetchone()[0]
    db.executescript(
        """
        DROP VIEW offers;
        DROP VIEW candidate_status;

        -- A row (round r, decision d) when d is the latest decision that applies in r to d's
        -- name. Written as a keyed subquery so that SQLite looks up one name by its index.
        CREATE VIEW latest_decision AS
        SELECT r.label AS for_round, d.*
        FROM rounds r
        JOIN decisions d
        WHERE d.id = (
            SELECT d2.id FROM decisions d2
            JOIN rounds rd ON rd.label = d2.round
            WHERE d2.institution_id = d.institution_id
              AND d2.normalised_name = d.normalised_name
              AND (d2.round = r.label OR rd.started_at < r.started_at)
            ORDER BY d2.id DESC LIMIT 1
        );

        CREATE VIEW decision_in_force AS
        SELECT * FROM latest_decision WHERE code != 'withdrawn';

        -- Each candidate with the decision in force applied.
        CREATE VIEW candidate_status AS
        SELECT c.*, d.id AS decision_id, d.reviewer,
            CASE WHEN d.id IS NOT NULL THEN d.code ELSE c.code END AS offer_code,
            CASE
                WHEN d.id IS NOT NULL
                    THEN CASE WHEN d.code = 'none' THEN 'none' ELSE 'confirmed' END
                WHEN c.excluded IS NOT NULL THEN 'none'
                WHEN c.decision = 'auto' THEN 'confirmed'
                WHEN c.decision = 'review' THEN 'review'
                ELSE 'none'
            END AS status,
            COALESCE(d.b2b_only, c.b2b) AS b2b_only,
            CASE WHEN d.id IS NULL OR d.code = c.code THEN c.score
                 ELSE COALESCE((SELECT cc.score FROM candidate_codes cc
                                WHERE cc.candidate_id = c.id AND cc.code = d.code), 0)
            END AS offer_score
        FROM candidates c
        LEFT JOIN decisions d ON d.id = (
            SELECT f.id FROM decision_in_force f
            WHERE f.for_round = c.round
              AND f.institution_id = c.institution_id
              AND f.normalised_name = c.normalised_name
        );

        -- Candidates the matcher routed to review, with their institution and page.
        CREATE VIEW review_candidates AS
        SELECT c.id, c.round, c.institution_id, i.name AS institution, c.page_id, c.name,
            c.normalised_name, c.snippet, c.b2b, c.score, p.final_url AS page_url
        FROM candidates c
        JOIN institutions i ON i.id = c.institution_id
        LEFT JOIN pages p ON p.id = c.page_id
        WHERE c.decision = 'review' AND c.excluded IS NULL;
        """
    )
    db.execute(offers_sql)  # unchanged; recreated because it reads candidate_status


# --- Learned aliases (owner: learning helper): names analysts decided, used everywhere ---


@migrations()
def define_learned_aliases(db: Database) -> None:
    """Names analysts decided become learned aliases (a code) or learned negatives ('none').

    `learned_aliases`: per round and normalised name, the code on which every decision in force
    there agrees (across institutions), when that code was also in force for the name in an
    earlier round: a decision teaches the rounds after its own. A name whose decisions in
    force disagree is not learned (unanimity), so a later contradicting decision, or the
    withdrawal of the only source, takes the alias back. `decision_id` is the cited source:
    the latest decision with that code in force in an earlier round.
    `match_runs.learned` records which learned aliases a match run used (stale when changed).
    """
    db.executescript(
        """
        CREATE INDEX decisions_normalised_name ON decisions(normalised_name);

        CREATE VIEW learned_aliases AS
        WITH agreed AS (
            SELECT for_round, normalised_name, MIN(code) AS code
            FROM decision_in_force
            GROUP BY for_round, normalised_name
            HAVING COUNT(DISTINCT code) = 1
        ), taught AS (
            SELECT a.for_round, a.normalised_name, a.code, (
                SELECT MAX(e.id) FROM decision_in_force e
                JOIN rounds re ON re.label = e.for_round
                WHERE re.started_at < r.started_at
                  AND e.normalised_name = a.normalised_name
                  AND e.code = a.code
            ) AS decision_id
            FROM agreed a
            JOIN rounds r ON r.label = a.for_round
        )
        SELECT t.for_round, t.normalised_name, t.code, t.decision_id,
            d.reviewer, d.decided_at, d.institution_id
        FROM taught t
        JOIN decisions d ON d.id = t.decision_id;

        ALTER TABLE match_runs ADD COLUMN learned TEXT;  -- learned-alias state the run used
        """
    )


# --- Register (owner: report helper): LNV as a certificate type ---


@migrations()
def allow_lnv_certificate_type(db: Database) -> None:
    """The register's type may be 'LNV' (green-sector legal certificates) besides keuzedeel
    and beroepsgericht onderdeel. SQLite cannot alter a CHECK: the table is rebuilt under the
    same name; the aliases' foreign keys are checked at commit (defer_foreign_keys)."""
    db.executescript(
        """
        PRAGMA defer_foreign_keys = ON;
        CREATE TEMP TABLE certificates_before AS SELECT * FROM certificates;
        DROP TABLE certificates;
        CREATE TABLE certificates (
            version_id INTEGER NOT NULL REFERENCES register_versions(id),
            code TEXT NOT NULL,
            title TEXT NOT NULL,
            type TEXT NOT NULL
                CHECK (type IN ('keuzedeel', 'beroepsgericht onderdeel', 'LNV')),
            sector TEXT,
            sbu INTEGER,
            level TEXT,
            qualification TEXT,
            lnv INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (version_id, code)
        );
        INSERT INTO certificates (version_id, code, title, type, sector, sbu, level,
                                  qualification, lnv)
            SELECT version_id, code, title, type, sector, sbu, level, qualification, lnv
            FROM certificates_before;
        DROP TABLE certificates_before;
        """
    )
