#!/usr/bin/env python3
"""Crash-safety and concurrency harness for `sijill` (python3, stdlib only; CI runs it on every push).

Crash safety: `sijill ingest`, `reocr`, `reindex` and `disposition execute` are killed with SIGKILL
at seeded random moments spread over the phases of a clean run (measured first), re-run after each
kill and finally run to completion. After every kill and at the end the archive is checked: the
catalog (read with sqlite3, read-only), the FTS index (its docsize table, and search results
compared with a clean archive or a rebuilt index), the blob store (re-hashed here, and
`sijill fsck --json`) and the audit log (nothing added, revised or destroyed twice).

Concurrency: `sijill serve` answers /v1/search and /v1/objects to client threads while
`sijill ingest` writes to the same archive (no error, no 5xx, the new box is then found), and
several `sijill ingest` processes start at once on one data directory (fresh and shared, with
overlapping boxes): no "database is locked", nothing twice, the same archive as one after the
other.

    python3 Tests/crash/crash_harness.py [--seed N] [--kills N] [--other-kills N] [--only SECTION,...]
                                         [--keep] [--verbose]

Sections: ingest, reocr, reindex, serve, disposition, parallel (all by default). Kill moments are
drawn from --seed (a new seed is printed each run); --verbose prints every kill.

$SIJILL names the binary (default .build/debug/sijill); it is copied to a temporary directory
first. Every data directory is a fresh temporary one; Fixtures/ is only read. Exit 0 when every
check passes, 1 otherwise (each failed check is printed with what was expected).
"""

import argparse
import atexit
import collections
import csv
import hashlib
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/support"))
from sijill_process import free_port  # noqa: E402

FIXTURES = ROOT / "Fixtures"
BOX_ZIP = FIXTURES / "boxes" / "box-zip.zip"
BOX_TGZ = FIXTURES / "boxes" / "box-targz.tar.gz"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
SECTIONS = ["ingest", "reocr", "reindex", "serve", "disposition", "parallel", "worker", "worker-pg"]
CERTIFICATE_SERIES = "DISPOSITION-CERTIFICATE"


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def short(x):
    return str(x)[:12]


# ----------------------------------------------------------------------------------------------
# Processes


class Proc:
    """A running sijill process whose stderr lines are time-stamped as they arrive."""

    def __init__(self, argv, env, cwd):
        self.argv = argv
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(
            argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = []  # (monotonic time, text)
        self.stdout = b""
        self.stderr_closed = False
        self.killed_at = None
        self.cv = threading.Condition()
        self.threads = [threading.Thread(target=self._read_err, daemon=True),
                        threading.Thread(target=self._read_out, daemon=True)]
        for t in self.threads:
            t.start()

    def _read_err(self):
        for raw in self.p.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            with self.cv:
                self.lines.append((time.monotonic(), line))
                self.cv.notify_all()
        with self.cv:
            self.stderr_closed = True
            self.cv.notify_all()

    def _read_out(self):
        self.stdout = self.p.stdout.read()

    def wait_line(self, pred, timeout=120):
        """The first stderr (time, line) for which pred(line) holds; None if the process ended first."""
        deadline = time.monotonic() + timeout
        i = 0
        with self.cv:
            while True:
                while i < len(self.lines):
                    if pred(self.lines[i][1]):
                        return self.lines[i]
                    i += 1
                if self.stderr_closed or time.monotonic() > deadline:
                    return None
                self.cv.wait(0.05)

    def kill_at(self, when):
        """SIGKILL at monotonic time `when`, if it is still running then."""
        while True:
            left = when - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(left, 0.05))
        if self.p.poll() is None:
            self.killed_at = time.monotonic()
            try:
                os.kill(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def finish(self, timeout=180):
        try:
            rc = self.p.wait(timeout)
            self.ended = time.monotonic()
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            raise CheckFailed(f"{' '.join(map(str, self.argv[1:3]))} did not finish within {timeout} s")
        for t in self.threads:
            t.join(10)
        self.rc = rc
        return rc

    @property
    def killed(self):
        return self.rc == -signal.SIGKILL

    @property
    def stderr(self):
        return "\n".join(line for _, line in self.lines)

    def lines_before(self, when):
        return [line for t, line in self.lines if t <= when]


# ----------------------------------------------------------------------------------------------
# Reading an archive (never through sijill's own code: sqlite3 read-only, and the files)


class PostgresCatalog:
    """The few reads the harness makes, on a PostgreSQL catalog (through psql, as CSV): rows as
    dicts of ints and strings, like sqlite3.Row."""

    NULL = "@@NULL@@"

    def __init__(self, url):
        self.url = url

    @staticmethod
    def translate(sql):
        """The harness's SQLite statements in PostgreSQL's terms."""
        # The search index's entries are page_index rows (FTS5's page_text_docsize on SQLite).
        sql = sql.replace("SELECT name FROM sqlite_master WHERE type = 'table'",
                          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' UNION ALL "
                          "SELECT 'page_text_docsize' FROM pg_tables WHERE schemaname = 'public' AND tablename = 'page_index'")
        sql = sql.replace("SELECT id FROM page_text_docsize ORDER BY id",
                          "SELECT page_id AS id FROM page_index ORDER BY page_id")
        return sql.replace("FROM page_text_docsize", "FROM page_index")

    def consistent(self, queries):
        """Several reads in one statement, so in one snapshot: a worker still running commits a
        record and its pages together, and separate reads could see one without the other.
        Returns {name: [rows as dicts]}."""
        parts = ", ".join(
            f"'{name}', (SELECT coalesce(json_agg(t), '[]'::json) FROM ({self.translate(sql)}) t)"
            for name, sql in queries.items())
        out = subprocess.run(["psql", "-X", "-q", "-t", "-A", self.url, "-c", f"SELECT json_build_object({parts})"],
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise CheckFailed(f"psql on the catalog failed: {out.stderr.strip()[-500:]}")
        return json.loads(out.stdout)

    def execute(self, sql):
        sql = self.translate(sql)
        out = subprocess.run(["psql", "-X", "-q", "--csv", "-P", f"null={self.NULL}", self.url, "-c", sql],
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise CheckFailed(f"psql on the catalog failed: {out.stderr.strip()[-500:]}")
        reader = csv.reader(io.StringIO(out.stdout))
        header = next(reader, [])
        rows = []
        for values in reader:
            rows.append(_PGRow(zip(header, (None if v == self.NULL else int(v) if re.fullmatch(r"-?\d{1,18}", v) else v
                                            for v in values))))
        return _PGResult(rows)

    def close(self):
        pass


class _PGRow(dict):
    def __getitem__(self, key):
        return list(self.values())[key] if isinstance(key, int) else dict.__getitem__(self, key)


class _PGResult(list):
    def fetchone(self):
        return self[0] if self else None


def catalog(home):
    url_file = Path(home) / "catalog.url"
    if url_file.exists():
        return PostgresCatalog(url_file.read_text().strip())
    path = Path(home) / "catalog.sqlite"
    if not path.exists():
        return None
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as e:
        if "readonly" not in str(e):
            raise
        # A process killed while creating the catalog (before its switch to WAL) leaves a hot
        # rollback journal, which a read-only connection cannot roll back. The next sijill run
        # rolls it back; here it is rolled back on a copy, so the kill's evidence stays as it is.
        con.close()
        copy = Path(tempfile.mkdtemp(prefix="sijill-crash-catalog-"))
        atexit.register(shutil.rmtree, copy, True)
        for f in Path(home).glob("catalog.sqlite*"):
            shutil.copy2(f, copy / f.name)
        con = sqlite3.connect(copy / "catalog.sqlite", timeout=30)
    con.row_factory = sqlite3.Row
    return con


class Snapshot:
    """What the catalog holds, as plain Python data."""

    def __init__(self, home):
        self.home = Path(home)
        con = catalog(home)
        self.records, self.pages, self.fts, self.ocr, self.audit = {}, [], [], [], []
        self.revisions, self.dispositions, self.items, self.batches, self.runs = [], {}, [], [], []
        if con is None:
            return
        try:
            # A process killed while creating the schema leaves some tables (or none) behind.
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

            queries = {
                "record": "SELECT * FROM record", "page": "SELECT * FROM page ORDER BY record_id, page_no",
                "page_text_docsize": "SELECT id FROM page_text_docsize ORDER BY id", "ocr_result": "SELECT * FROM ocr_result",
                "audit_entry": "SELECT seq, actor, action, target FROM audit_entry ORDER BY seq",
                "page_revision": "SELECT * FROM page_revision ORDER BY id",
                "record_disposition": "SELECT * FROM record_disposition", "disposition_item": "SELECT * FROM disposition_item",
                "disposition_batch": "SELECT * FROM disposition_batch ORDER BY id", "ingest_run": "SELECT * FROM ingest_run ORDER BY id",
            }
            together = (con.consistent({t: q for t, q in queries.items() if t in tables})
                        if isinstance(con, PostgresCatalog) else None)

            def rows(table, sql):
                if table not in tables:
                    return []
                if together is not None:
                    return [dict(r) for r in together[table]]
                return [dict(r) for r in con.execute(sql)]

            self.records = {r["id"]: r for r in rows("record", "SELECT * FROM record")}
            self.pages = rows("page", "SELECT * FROM page ORDER BY record_id, page_no")
            self.fts = [r["id"] for r in rows("page_text_docsize", "SELECT id FROM page_text_docsize ORDER BY id")]
            self.ocr = rows("ocr_result", "SELECT * FROM ocr_result")
            self.audit = rows("audit_entry", "SELECT seq, actor, action, target FROM audit_entry ORDER BY seq")
            self.revisions = rows("page_revision", "SELECT * FROM page_revision ORDER BY id")
            self.dispositions = {r["record_id"]: r
                                 for r in rows("record_disposition", "SELECT * FROM record_disposition")}
            self.items = rows("disposition_item", "SELECT * FROM disposition_item")
            self.batches = rows("disposition_batch", "SELECT * FROM disposition_batch ORDER BY id")
            self.runs = rows("ingest_run", "SELECT * FROM ingest_run ORDER BY id")
        finally:
            con.close()

    def page_keys(self):
        """(record, page number, image, source file, text, hOCR) of every page."""
        return sorted((p["record_id"], p["page_no"], p["image_id"], p["source_id"], p["text_id"], p["hocr_id"])
                      for p in self.pages)

    def audit_count(self, action):
        return collections.Counter(a["target"] for a in self.audit if a["action"] == action)

    def ocr_images(self, settings=None):
        return {o["image_id"] for o in self.ocr if settings is None or o["settings"] == settings}

    def object_path(self, oid):
        return self.home / "objects" / oid[:2] / oid[2:4] / oid


def write_signature(home):
    """The catalog file's size and modification time, and the size and header (salts, checkpoint
    number) of its WAL: changes when a transaction commits, or is checkpointed at exit."""
    db = os.stat(Path(home) / "catalog.sqlite")
    wal = None
    try:
        with open(Path(home) / "catalog.sqlite-wal", "rb") as f:
            size = os.fstat(f.fileno()).st_size
            wal = (size, f.read(32)) if size else None  # opening makes an empty one
    except FileNotFoundError:
        pass
    return db.st_size, db.st_mtime_ns, wal


def store_inventory(home):
    """Re-hashes every file under objects/: (count, corrupt, misplaced, leftover temp files)."""
    home = Path(home)
    count, corrupt, misplaced = 0, [], []
    objects = home / "objects"
    if objects.is_dir():
        for dirpath, _, files in os.walk(objects):
            for name in files:
                path = Path(dirpath) / name
                rel = path.relative_to(objects).parts
                count += 1
                if len(rel) != 3 or not re.fullmatch(r"[0-9a-f]{64}", name) or rel[:2] != (name[:2], name[2:4]):
                    misplaced.append(str(path.relative_to(home)))
                    continue
                h = hashlib.sha256()
                with open(path, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                if h.hexdigest() != name:
                    corrupt.append(name)
    tmp = home / "tmp"
    leftovers = len(os.listdir(tmp)) if tmp.is_dir() else 0
    return count, corrupt, misplaced, leftovers


def check_consistent(snap, what):
    """Invariants that must hold after any kill: whole records, an index entry per page and none
    else, every object the catalog names present, the blob store intact."""
    by_record = collections.Counter(p["record_id"] for p in snap.pages)
    for rid, rec in snap.records.items():
        if snap.dispositions.get(rid, {}).get("state") == "destroyed":
            expect(by_record[rid] == 0, f"{what}: destroyed record {short(rid)} still has {by_record[rid]} page row(s)")
        else:
            expect(by_record[rid] == rec["page_count"],
                   f"{what}: record {short(rid)} has {by_record[rid]} page rows, its page_count is {rec['page_count']}"
                   " (a record was committed without all its pages)")
    orphan_pages = set(by_record) - set(snap.records)
    expect(not orphan_pages, f"{what}: page rows of missing records {sorted(map(short, orphan_pages))}")
    keys = [(p["record_id"], p["page_no"]) for p in snap.pages]
    expect(len(keys) == len(set(keys)), f"{what}: a (record, page) appears twice")
    page_ids = sorted(p["id"] for p in snap.pages)
    expect(len(snap.fts) == len(set(snap.fts)), f"{what}: the index holds a page twice")
    expect(sorted(snap.fts) == page_ids,
           f"{what}: index entries {sorted(set(snap.fts) - set(page_ids))} have no page, pages "
           f"{sorted(set(page_ids) - set(snap.fts))} have no index entry")
    named = set()
    for p in snap.pages:
        named.update((p["image_id"], p["source_id"], p["text_id"], p["hocr_id"]))
    for o in snap.ocr:
        named.update((o["text_id"], o["hocr_id"]))
    missing = sorted(short(o) for o in named if not snap.object_path(o).exists())
    expect(not missing, f"{what}: the catalog names objects that are not stored: {missing}")
    count, corrupt, misplaced, _ = store_inventory(snap.home)
    expect(not corrupt, f"{what}: {len(corrupt)} stored object(s) do not match their hash: {list(map(short, corrupt))}")
    expect(not misplaced, f"{what}: stray files in objects/: {misplaced}")
    return count


# ----------------------------------------------------------------------------------------------
# The harness


class Harness:
    def __init__(self, args):
        self.args = args
        self.seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 1_000_000)
        self.rng = random.Random(self.seed)
        self.tmp = Path(tempfile.mkdtemp(prefix="sijill-crash-"))
        source = Path(os.environ.get("SIJILL") or ".build/debug/sijill")
        if not source.is_absolute() and not source.is_file():
            source = ROOT / source
        if not source.is_file():
            sys.exit(f"crash harness: no sijill binary at {source} (build it, or set $SIJILL)")
        self.bin = self.tmp / "sijill"
        shutil.copy2(source, self.bin)
        self.retention = self.tmp / "retention"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SIJILL")}
        self.env["SIJILL_RETENTION"] = str(self.retention)
        self.results = []  # (section, ok, summary, seconds)
        self.failures = []
        self.alt_ocr = None
        self.ref = None
        self.both = None  # box-zip.zip + box-targz.tar.gz, after the serve section

    # -- running sijill ------------------------------------------------------------------------

    def argv(self, args, home):
        argv = [str(self.bin)] + [str(a) for a in args]
        if home is not None:
            argv += ["--home", str(home)]
        return argv

    def start(self, args, home):
        return Proc(self.argv(args, home), self.env, self.tmp)

    def run(self, args, home, ok=(0,), timeout=180):
        proc = subprocess.run(self.argv(args, home), env=self.env, cwd=self.tmp, capture_output=True, timeout=timeout)
        proc.out = proc.stdout.decode("utf-8", "replace")
        proc.err = proc.stderr.decode("utf-8", "replace")
        if ok is not None and proc.returncode not in ok:
            raise CheckFailed(f"`sijill {' '.join(map(str, args))}` exited {proc.returncode} (expected {ok}):\n"
                              f"{proc.err.strip()[-2000:]}")
        return proc

    def fsck(self, home, what):
        proc = self.run(["fsck", "--json"], home, ok=None)
        try:
            report = json.loads(proc.out)
        except ValueError:
            raise CheckFailed(f"{what}: `sijill fsck --json` exited {proc.returncode} without JSON: "
                              f"{proc.err.strip()[-800:]}")
        problems = ("corrupt", "missing", "strays", "unindexed_pages", "stray_index_entries")
        bad = {k: report.get(k) for k in problems if report.get(k)}
        expect(proc.returncode == 0 and report.get("clean") is True and not bad and report.get("audit_intact") is True,
               f"{what}: fsck not clean (exit {proc.returncode}): {bad}, audit intact: {report.get('audit_intact')}")
        return report

    def search(self, home, query):
        """{(record, page): (score, snippet)} for every page `query` matches (exact bm25)."""
        proc = self.run(["search", query, "--json", "--exact", "--limit", "1000"], home, ok=(0, 5))
        if proc.returncode == 5 or not proc.out.strip():
            return {}
        hits = json.loads(proc.out).get("hits", [])
        return {(h["record"], h["page"]): (round(h["score"], 9), h.get("snippet")) for h in hits}

    def compare_search(self, got, want, what):
        if got == want:
            return
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        changed = sorted(k for k in set(got) & set(want) if got[k] != want[k])
        raise CheckFailed(f"{what}: search answers differ from the clean archive: missing pages "
                          f"{[(short(r), p) for r, p in missing]}, extra {[(short(r), p) for r, p in extra]}, "
                          f"different score or snippet "
                          f"{[(short(r), p, got[(r, p)][0], want[(r, p)][0]) for r, p in changed][:4]}")

    def copy_home(self, src, name):
        dst = self.tmp / name
        shutil.copytree(src, dst)
        return dst

    def note(self, text):
        print(f"  {text}", flush=True)

    def trace(self, text):
        if self.args.verbose:
            print(f"    {text}", flush=True)

    # -- fixtures ------------------------------------------------------------------------------

    @staticmethod
    def query(*boxes):
        terms = []
        for box in boxes:
            for r in EXPECTED["boxes"][box]["records"]:
                terms += [r["name_plain"], r["number"]]
        terms += ["وزارة", "طلب"]
        return " OR ".join(f'"{t}"' for t in terms)

    def setup(self):
        # Retention: the repository's schedules, with building permits destroyed a day after
        # their date, so that box-targz.tar.gz has two records due for destruction.
        self.retention.mkdir()
        for src in sorted((ROOT / "Retention").glob("*.yaml")):
            text = src.read_text(encoding="utf-8")
            if "BUILD-PERMIT:" in text:
                text, n = re.subn(r"(BUILD-PERMIT:\n(?:    .*\n)*?    retain: )\S+(\n(?:    .*\n)*?    action: )\S+",
                                  r"\g<1>1d\g<2>destroy", text)
                expect(n == 1, "Retention/*.yaml: cannot find the BUILD-PERMIT schedule's retain/action to edit")
            (self.retention / src.name).write_text(text, encoding="utf-8")
        self.run(["retention", "check", "--retention", self.retention], None)
        # OCR settings that differ from the built-in ones only in their fingerprint's orientation
        # threshold (so `reocr` without --force re-reads every page exactly once).
        config = json.loads((ROOT / "Ingest" / "ocr.json").read_text(encoding="utf-8"))
        config["orientationRetryBelow"] = config.get("orientationRetryBelow", 55) - 5
        self.alt_ocr = self.tmp / "ocr-alt.json"
        self.alt_ocr.write_text(json.dumps(config, indent=2), encoding="utf-8")

    # -- sections ------------------------------------------------------------------------------

    def reference(self):
        """A clean ingest of box-zip.zip: the archive every crashed one must equal, and the timing
        of its phases (stderr with --verbose: box listed, recognising pages, ocr n/n, box ingested)."""
        if self.ref is not None:
            return self.ref
        home = self.tmp / "ref-zip"
        proc = self.start(["ingest", BOX_ZIP, "--json", "--verbose"], home)
        rc = proc.finish()
        expect(rc == 0, f"clean ingest of box-zip.zip exited {rc}: {proc.stderr[-1500:]}")
        marks = {}
        for t, line in proc.lines:
            ev = ingest_event(line)
            if ev and ev[0] not in marks:
                marks[ev[0]] = t - proc.t0
        end = proc.ended - proc.t0
        expect("ocr_start" in marks and "ocr_done" in marks,
               f"clean ingest printed no 'recognising pages' / 'ocr n/n' lines on stderr:\n{proc.stderr[-1500:]}")
        report = json.loads(proc.stdout)
        box = EXPECTED["boxes"]["box-zip.zip"]
        snap = Snapshot(home)
        expect(len(snap.records) == len(box["records"]) and len(snap.pages) == box["total_pages"],
               f"clean ingest: {len(snap.records)} records / {len(snap.pages)} pages, expected "
               f"{len(box['records'])} / {box['total_pages']}")
        expect(report["summary"]["records_added"] == len(box["records"]), "clean ingest report: records_added")
        check_consistent(snap, "clean ingest")
        self.fsck(home, "clean ingest")
        self.ref = {
            "home": home, "snap": snap, "search": self.search(home, self.query("box-zip.zip")),
            "read": marks["ocr_start"], "ocr": marks["ocr_done"] - marks["ocr_start"],
            "catalog": marks.get("ingested", end) - marks["ocr_done"], "total": end,
        }
        expect(self.ref["search"], "clean ingest: the fixture names and numbers find nothing")
        self.note(f"clean ingest of box-zip.zip: {end:.1f} s (start+read {self.ref['read']:.2f} s, "
                  f"OCR {self.ref['ocr']:.2f} s, catalog+report {self.ref['catalog']:.2f} s)")
        return self.ref

    def section_ingest(self):
        ref = self.reference()
        ref_snap = ref["snap"]
        images = {p["image_id"] for p in ref_snap.pages}
        settings = {p["ocr_settings"] for p in ref_snap.pages}
        want = self.args.kills
        kills = collections.Counter()
        missed = collections.Counter()
        episodes = orphans = leftovers = 0
        while sum(kills.values()) < want and episodes < max(want, 3):
            episodes += 1
            home = self.tmp / f"ingest-{episodes}"
            # Each episode recognises the box once, so it takes several kills in phase order.
            plan = (["read"] * self.rng.randint(1, 3) + ["OCR"] * self.rng.randint(2, 3)
                    + ["catalog"] * self.rng.randint(2, 3))
            for target in plan[: want - sum(kills.values())]:
                before = Snapshot(home)
                pending = len(images - before.ocr_images())
                proc = self.start(["ingest", BOX_ZIP, "--json", "--verbose"], home)
                left = len(ref_snap.records) - len(before.records)
                if target == "catalog" and left >= 2 and self.rng.random() < 0.7:
                    # Between two records' transactions: right after the k-th commits.
                    k = len(before.records) + self.rng.randint(1, left - 1)
                    start_event = "ocr_done" if pending else "reading_done"
                    self.kill_when(proc, home, lambda con: count(con, "record") >= k,
                                   after=lambda line: event_kind(line) == start_event)
                else:
                    when = self.ingest_kill_time(proc, target, ref)
                    if when is not None:
                        proc.kill_at(when)
                rc = proc.finish()
                if not proc.killed:
                    expect(rc == 0, f"ingest (episode {episodes}) exited {rc}: {proc.stderr[-1500:]}")
                    missed[target] += 1
                    self.trace(f"episode {episodes}: aimed at {target}, the run ended first")
                    break
                phase = ingest_phase(proc.lines_before(proc.killed_at), pending)
                kills[phase] += 1
                snap = Snapshot(home)
                self.trace(f"episode {episodes}: aimed at {target}, killed at {proc.killed_at - proc.t0:.3f} s "
                           f"during {phase} ({len(snap.records)} records, {len(snap.ocr)} OCR results committed)")
                check_consistent(snap, f"ingest killed during {phase} (episode {episodes})")
            before = Snapshot(home)
            proc = self.start(["ingest", BOX_ZIP, "--json"], home)
            rc = proc.finish()
            what = f"ingest episode {episodes} (seed {self.seed})"
            expect(rc == 0, f"{what}: the final ingest exited {rc}: {proc.stderr[-1500:]}")
            report = json.loads(proc.stdout)
            snap = Snapshot(home)
            check_consistent(snap, what)
            self.check_same_archive(snap, ref_snap, what)
            # The final report: every record added or already there, none added that was there.
            statuses = {r["record"]: r["status"] for r in report["records"]}
            expect(set(statuses) == set(ref_snap.records) and set(statuses.values()) <= {"added", "existing"},
                   f"{what}: final report records {statuses}")
            twice = [r for r, s in statuses.items() if s == "added" and r in before.records]
            expect(not twice,
                   f"{what}: the final report adds records that were already catalogued: {list(map(short, twice))}")
            added_pages = sum(ref_snap.records[r]["page_count"] for r, s in statuses.items() if s == "added")
            expect(report["summary"]["pages_added"] == added_pages and report["summary"]["rejected"] == 0,
                   f"{what}: final report summary {report['summary']} (expected pages_added {added_pages})")
            adds = snap.audit_count("record.add")
            expect(all(adds[f"record:{r}"] == 1 for r in snap.records) and sum(adds.values()) == len(snap.records),
                   f"{what}: records added more than once (audit record.add: {dict(adds)})")
            expect({p["ocr_settings"] for p in snap.pages} == settings, f"{what}: pages read with other OCR settings")
            self.compare_search(self.search(home, self.query("box-zip.zip")), ref["search"], what)
            fsck = self.fsck(home, what)
            orphans += len(fsck.get("orphaned", []))
            leftovers += store_inventory(home)[3]
            shutil.rmtree(home)
        total = sum(kills.values())
        expect(total >= want,
               f"ingest: only {total} of {want} kills landed while the process ran ({dict(missed)} missed)")
        if want >= 6:
            short_of = [p for p in ("read", "OCR", "catalog") if kills[p] == 0]
            expect(not short_of, f"ingest: no kill landed during {short_of} ({dict(kills)})")
        n_pages, n_records = len(ref_snap.pages), len(ref_snap.records)
        return (f"{total} kills ({kills['read']} during read, {kills['OCR']} during OCR, {kills['catalog']} during "
                f"catalog) in {episodes} episodes ({sum(missed.values())} runs ended before their kill), "
                f"{n_pages}/{n_pages} pages once, {n_records}/{n_records} records once, 0 corrupt objects, fsck clean; "
                f"{orphans} orphaned objects, {leftovers} temp files left by kills")

    def ingest_kill_time(self, proc, target, ref):
        """When to kill an ingest aimed at `target`: a random moment in that phase, timed from the
        stderr line that starts it and the phase's length in the clean run. None: it ended first."""
        rng = self.rng
        if target == "read":
            return proc.t0 + rng.uniform(0, ref["read"])
        if target == "OCR":
            hit = proc.wait_line(lambda line: event_kind(line) in ("ocr_start", "catalogued", "ingested"))
            if hit is None:
                return None
            kind, pages = ingest_event(hit[1])
            if kind != "ocr_start":
                return hit[0]  # nothing left to recognise: dies cataloguing instead
            share = pages / max(1, len(ref["snap"].pages))
            return hit[0] + rng.uniform(0, ref["ocr"] * share * 0.95)
        hit = proc.wait_line(lambda line: event_kind(line) in ("ocr_done", "catalogued", "ingested"))
        if hit is None:
            return None
        return hit[0] + rng.uniform(0, ref["catalog"])

    def check_same_archive(self, snap, ref_snap, what):
        expect(set(snap.records) == set(ref_snap.records),
               f"{what}: records {sorted(map(short, snap.records))}, expected {sorted(map(short, ref_snap.records))}")
        got, want = snap.page_keys(), ref_snap.page_keys()
        if got != want:
            differing = [(short(k[0]), k[1], short(k[2]), short(k[4])) for k in sorted(set(got) ^ set(want))]
            raise CheckFailed(f"{what}: {len(got)} page rows, expected {len(want)}; differing (record, page, image, "
                              f"text): {differing[:6]}")

    def section_reocr(self):
        ref = self.reference()
        n = len(ref["snap"].pages)
        images = {p["image_id"] for p in ref["snap"].pages}
        base_settings = {p["ocr_settings"] for p in ref["snap"].pages}
        args = ["reocr", "--all", "--ocr-config", self.alt_ocr, "--json", "--verbose"]
        # Clean run: the reference result and the phase timing (OCR, then page revisions).
        clean = self.copy_home(ref["home"], "reocr-clean")
        proc = self.start(args, clean)
        rc = proc.finish()
        end = proc.ended - proc.t0
        expect(rc == 0, f"clean reocr exited {rc}: {proc.stderr[-1500:]}")
        done = next((t - proc.t0 for t, l in proc.lines if re.match(r"ocr\s+(\d+)/\1\b", l)), None)
        expect(done is not None, f"clean reocr printed no 'ocr n/n' line:\n{proc.stderr[-800:]}")
        clean_snap = Snapshot(clean)
        alt = {p["ocr_settings"] for p in clean_snap.pages}
        expect(len(alt) == 1 and not alt & base_settings, f"clean reocr: page settings {alt}")
        alt = alt.pop()
        expect(json.loads(proc.stdout)["updated"] == n, f"clean reocr updated {proc.stdout}")
        clean_search = self.search(clean, self.query("box-zip.zip"))
        prof = {"ocr": done}
        self.note(f"clean reocr: {end:.1f} s (OCR {done:.2f} s, revisions and exit {end - done:.2f} s)")

        want = max(3, self.args.other_kills)
        kills = collections.Counter()
        missed = episodes = 0
        while sum(kills.values()) < want and episodes < 4:
            episodes += 1
            home = self.copy_home(ref["home"], f"reocr-{episodes}")
            plan = ["OCR"] * 2 + ["revise"] * max(1, want - 2)
            for target in plan[: want - sum(kills.values())]:
                before = Snapshot(home)
                pending = len(images - before.ocr_images(alt))
                proc = self.start(args, home)
                if target == "OCR" and pending:
                    proc.kill_at(proc.t0 + self.rng.uniform(0, prof["ocr"] * pending / len(images)))
                    rc = proc.finish()
                else:
                    # Right after the k-th page revision of this run commits (pages are revised
                    # one transaction each, once all are recognised).
                    left = len(before.pages) - sum(1 for p in before.pages if p["ocr_settings"] == alt)
                    k = len(before.revisions) + self.rng.randint(1, max(1, (left - 1) // 2))
                    self.kill_when(proc, home, lambda con: count(con, "page_revision") >= k,
                                   after=(lambda l: re.match(r"ocr\s+(\d+)/\1\b", l)) if pending else None)
                    rc = proc.finish()
                if not proc.killed:
                    expect(rc == 0, f"reocr exited {rc}: {proc.stderr[-1500:]}")
                    missed += 1
                    break
                seen = proc.lines_before(proc.killed_at)
                phase = "OCR" if pending and not any(re.match(r"ocr\s+(\d+)/\1\b", l) for l in seen) else "revise"
                kills[phase] += 1
                snap = Snapshot(home)
                what = f"reocr killed during {phase}"
                check_consistent(snap, what)
                self.check_revised_once(snap, alt, what, final=False)
            self.run(["reocr", "--all", "--ocr-config", self.alt_ocr, "--json"], home)
            what = f"reocr episode {episodes} (seed {self.seed})"
            snap = Snapshot(home)
            check_consistent(snap, what)
            self.check_revised_once(snap, alt, what, final=True)
            self.check_same_archive(snap, clean_snap, what)
            self.compare_search(self.search(home, self.query("box-zip.zip")), clean_search, what)
            self.fsck(home, what)
            shutil.rmtree(home)
        total = sum(kills.values())
        expect(total >= want, f"reocr: only {total} of {want} kills landed ({missed} missed)")
        shutil.rmtree(clean)
        return (f"{total} kills ({kills['OCR']} during OCR, {kills['revise']} during revisions) in {episodes} "
                f"episode(s), "
                f"{n}/{n} pages re-read and revised exactly once, index = clean run, fsck clean")

    @staticmethod
    def check_revised_once(snap, alt, what, final):
        revisions = collections.Counter((r["record_id"], r["page_no"])
                                        for r in snap.revisions if r["reason"] == "reocr")
        audited = snap.audit_count("page.revise")
        for p in snap.pages:
            key = (p["record_id"], p["page_no"])
            n = revisions[key]
            if p["ocr_settings"] == alt:
                expect(n == 1, f"{what}: page {short(key[0])}/{key[1]} revised {n} times (expected once)")
            else:
                expect(not final, f"{what}: page {short(key[0])}/{key[1]} still has settings {p['ocr_settings']}")
                expect(n == 0, f"{what}: page {short(key[0])}/{key[1]} has {n} revisions but its old settings")
            entries = audited[f"page:{key[0]}/{key[1]}"]
            expect(entries == n, f"{what}: page {short(key[0])}/{key[1]}: {n} revisions, {entries} audit entries")

    def section_reindex(self):
        ref = self.reference()
        home = self.copy_home(ref["home"], "reindex")
        # A clean run's lifetime (spawn to exit), the least of three.
        lifetimes = []
        for _ in range(3):
            proc = self.start(["reindex"], home)
            rc = proc.finish()
            lifetimes.append(proc.ended - proc.t0)
            expect(rc == 0 and f"reindexed {len(ref['snap'].pages)} pages" in proc.stdout.decode(),
                   f"reindex exited {rc}: {proc.stdout.decode().strip()} {proc.stderr[-800:]}")
        clean = min(lifetimes)
        self.compare_search(self.search(home, self.query("box-zip.zip")), ref["search"], "clean reindex")
        want = max(3, self.args.other_kills)
        kills = collections.Counter()
        fractions = []
        missed = 0
        while len(fractions) < want and missed < 4 * want:
            before = write_signature(home)
            proc = self.start(["reindex"], home)
            # Half anywhere in the run, half in its second half, where the one transaction is.
            frac = self.rng.uniform(0, 1) if len(fractions) % 2 == 0 else self.rng.uniform(0.5, 1)
            proc.kill_at(proc.t0 + frac * clean)
            rc = proc.finish()
            if not proc.killed:
                expect(rc == 0, f"reindex exited {rc}: {proc.stderr[-1000:]}")
                missed += 1
                self.trace(f"reindex: kill at {frac:.0%} of {clean:.3f} s came after the exit "
                           f"({proc.ended - proc.t0:.3f} s)")
                clean = min(clean, proc.ended - proc.t0)  # runs get quicker once files are cached
                continue
            fractions.append(frac)
            # The rebuild is one transaction: the catalog's files change only if it committed.
            phase = "after commit" if write_signature(home) != before else "before commit"
            kills[phase] += 1
            what = f"reindex killed at {frac:.0%} of a clean run ({phase})"
            snap = Snapshot(home)
            check_consistent(snap, what)
            self.check_same_archive(snap, ref["snap"], what)
            self.compare_search(self.search(home, self.query("box-zip.zip")), ref["search"], what)
        expect(len(fractions) >= want, f"reindex: only {len(fractions)} of {want} kills landed ({missed} missed)")
        self.run(["reindex"], home)
        snap = Snapshot(home)
        check_consistent(snap, "reindex after kills")
        self.check_same_archive(snap, ref["snap"], "reindex after kills")
        self.compare_search(self.search(home, self.query("box-zip.zip")), ref["search"], "reindex after kills")
        self.fsck(home, "reindex after kills")
        shutil.rmtree(home)
        return (f"{len(fractions)} kills ({kills['before commit']} before the rebuild committed, "
                f"{kills['after commit']} after) at {min(fractions):.0%}-{max(fractions):.0%} of a clean run "
                f"({clean:.2f} s), index whole and answering "
                f"as the clean one after every kill, fsck clean")

    def disposition_base(self):
        """box-zip.zip + box-targz.tar.gz, two admin tokens, a destroy batch prepared and approved."""
        ref = self.reference()
        if self.both is not None:  # left by the serve section: the same two boxes, checked
            home = self.copy_home(self.both, "disposition-ready")
        else:
            home = self.copy_home(ref["home"], "disposition-ready")
            self.run(["ingest", BOX_TGZ, "--json"], home)
        tokens = []
        for name in ("admin-prepares", "admin-approves"):
            out = self.run(["token", "create", "--role", "admin", "--name", name, "--json"], home).out
            tokens.append(json.loads(out)["token"])
        out = self.run(["disposition", "list", "--prepare", "--token", tokens[0]], home).out
        m = re.search(r"prepared batch (\d+): destroy, (\d+) record", out)
        expect(m, f"disposition list --prepare made no destroy batch:\n{out}")
        batch = int(m.group(1))
        self.run(["disposition", "approve", batch, "--token", tokens[1]], home)
        snap = Snapshot(home)
        targets = {i["record_id"] for i in snap.items if i["batch_id"] == batch}
        want = {r["id"] for r in snap.records.values() if r["series"] in ("TAX-RECEIPT", "BUILD-PERMIT")}
        expect(targets == want and len(targets) == 2,
               f"the destroy batch holds {sorted(map(short, targets))}, expected the 2 records of box-targz.tar.gz")
        return home, tokens, batch, targets

    def section_disposition(self):
        base, tokens, batch, targets = self.disposition_base()
        ready = Snapshot(base)
        kept_pages = sorted(k for k in ready.page_keys() if k[0] not in targets)
        used_elsewhere = set()
        for p in ready.pages:
            if p["record_id"] not in targets:
                used_elsewhere.update((p["image_id"], p["source_id"], p["text_id"], p["hocr_id"]))
        doomed = set()
        for p in ready.pages:
            if p["record_id"] in targets:
                doomed.update((p["image_id"], p["source_id"], p["text_id"], p["hocr_id"]))
        doomed -= used_elsewhere
        args = ["disposition", "execute", batch, "--token", tokens[0], "--verbose"]
        clean = self.copy_home(base, "disposition-clean")
        proc = self.start(args, clean)
        rc = proc.finish()
        duration = proc.ended - proc.t0
        expect(rc == 0, f"clean disposition execute exited {rc}: {proc.stderr[-1500:]}")
        self.check_disposed(Snapshot(clean), batch, targets, kept_pages, doomed, "clean disposition execute")
        shutil.rmtree(clean)
        self.note(f"clean disposition execute: {duration:.2f} s")

        def finish(home, what):
            proc = self.run(args, home, ok=None)
            executed = any(b["id"] == batch and b["executed_at"] for b in Snapshot(home).batches)
            expect(proc.returncode == 0 or (proc.returncode == 2 and "already executed" in proc.err and executed),
                   f"{what}: disposition execute after the kills exited {proc.returncode}: {proc.err.strip()[-1500:]}")
            self.check_disposed(Snapshot(home), batch, targets, kept_pages, doomed, what)
            shutil.rmtree(home)

        def killed(proc, home, what):
            rc = proc.finish()
            if not proc.killed:
                expect(rc == 0, f"{what}: disposition execute exited {rc}: {proc.stderr[-1500:]}")
                return None
            snap = Snapshot(home)
            phase = disposition_phase(snap, batch, targets)
            check_consistent(snap, f"{what}: killed ({phase})")
            certs = [r for r in snap.records.values() if r["series"] == CERTIFICATE_SERIES]
            expect(len(certs) <= 1, f"{what}: killed ({phase}): {len(certs)} certificates filed")
            self.trace(f"{what}: killed at {proc.killed_at - proc.t0:.3f} s, {phase}")
            return phase

        # Aimed kills: as soon as the certificate is filed as a record (the process is stepped
        # with SIGSTOP/SIGCONT once every record is done). Were filing it a step of its own before
        # the batch is marked executed, most land between the two, and the run after that (not
        # within the same second: the certificate names the moment of execution) would file a
        # second certificate.
        aimed = []
        for i in range(4):
            home = self.copy_home(base, f"disposition-aimed-{i}")
            proc = self.start(args, home)
            self.kill_when(
                proc, home,
                lambda con: count(con, "record", "series = ?", CERTIFICATE_SERIES) > 0,
                step_from=lambda con: count(con, "disposition_item", "batch_id = ? AND outcome IS NOT NULL", batch)
                >= len(targets))
            phase = killed(proc, home, f"disposition aimed kill {i + 1}")
            aimed.append(phase or "ended first")
            if phase == "certificate filed":
                time.sleep(1.1)
            finish(home, f"disposition aimed kill {i + 1} (seed {self.seed})")
            if phase == "certificate filed":
                break

        # Kills at random moments, or right after the next record is destroyed, or once all are
        # (objects removal and certificate), re-running after each on the same data directory.
        def destroyed(con):
            return count(con, "disposition_item", "batch_id = ? AND outcome = 'destroyed'", batch)

        want = max(3, self.args.other_kills)
        kills = collections.Counter()
        missed = episodes = 0
        while sum(kills.values()) < want and episodes < 3 * want:
            episodes += 1
            home = self.copy_home(base, f"disposition-{episodes}")
            what = f"disposition episode {episodes} (seed {self.seed})"
            for _ in range(want - sum(kills.values())):
                if any(b["id"] == batch and b["executed_at"] for b in Snapshot(home).batches):
                    break  # killed after it finished: the next run can only say "already executed"
                done = sum(1 for i in Snapshot(home).items if i["batch_id"] == batch and i["outcome"] == "destroyed")
                proc = self.start(args, home)
                points = ["time", "time", "next destroyed", "all destroyed"] if done < len(targets) else ["time"]
                point = self.rng.choice(points)
                if point == "time":
                    proc.kill_at(proc.t0 + self.rng.uniform(0, duration))
                else:
                    n = min(done + 1, len(targets)) if point == "next destroyed" else len(targets)
                    self.kill_when(proc, home, lambda con: destroyed(con) >= n, step_from=lambda con: True)
                phase = killed(proc, home, what)
                if phase is None:
                    missed += 1
                    break
                kills[phase] += 1
            finish(home, what)
        total = sum(kills.values())
        expect(total >= want, f"disposition: only {total} of {want} kills landed ({missed} missed)")
        phases = ", ".join(f"{v} {k}" for k, v in sorted(kills.items()))
        return (f"{total} kills ({phases}) in {episodes} episodes + {len(aimed)} aimed at the certificate's filing "
                f"({', '.join(aimed)}); {len(targets)}/{len(targets)} records destroyed once, 1 certificate, "
                f"{len(doomed)} objects removed, other records intact, fsck clean")

    @staticmethod
    def kill_when(proc, home, condition, after=None, timeout=120, step_from=None):
        """SIGKILL `proc` as soon as `condition(connection)` holds on its catalog, polled from the
        moment stderr shows a line matching `after` (from the start without one). Once
        `step_from(connection)` holds, the process is stopped (SIGSTOP) for each check and
        continued right after it, so that it moves on by a few microseconds between checks and a
        short window between two of its commits is seen. True when it was killed so, False when
        it ended first."""
        if after is not None and proc.wait_line(after, timeout) is None:
            return False
        path = Path(home) / "catalog.sqlite"
        deadline = time.monotonic() + timeout
        con = None
        pid = proc.p.pid
        stepping = False
        try:
            while proc.p.poll() is None and time.monotonic() < deadline:
                stopped = stepping and stop(pid)
                try:
                    if con is None and path.exists():
                        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
                    hit = con is not None and condition(con)
                    stepping = stepping or (step_from is not None and con is not None and step_from(con))
                except sqlite3.Error:
                    hit = False
                if hit:
                    proc.killed_at = time.monotonic()
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        return False
                    return True
                if stopped:
                    resume(pid)
                else:
                    time.sleep(0.0002)
            return False
        finally:
            if con is not None:
                con.close()

    def check_disposed(self, snap, batch, targets, kept_pages, doomed, what):
        check_consistent(snap, what)
        b = next((b for b in snap.batches if b["id"] == batch), None)
        expect(b and b["executed_at"] and b["certificate_id"], f"{what}: batch {batch} not marked executed: {b}")
        certs = [r for r in snap.records.values() if r["series"] == CERTIFICATE_SERIES]
        expect(len(certs) == 1, f"{what}: {len(certs)} destruction certificates filed for batch {batch}, expected 1 "
                                f"({[(short(c['id']), c['ingested_at']) for c in certs]})")
        expect(certs[0]["id"] == b["certificate_id"],
               f"{what}: the batch names certificate {short(b['certificate_id'])}, "
                                                      f"the filed one is {short(certs[0]['id'])}")
        cert_path = snap.object_path(b["certificate_id"])
        expect(cert_path.exists(), f"{what}: certificate object {short(b['certificate_id'])} is not stored")
        cert_text = cert_path.read_text(encoding="utf-8")
        for rid in targets:
            expect(rid in cert_text, f"{what}: the certificate does not name destroyed record {short(rid)}")
            expect(rid in snap.records, f"{what}: destroyed record {short(rid)} left no stub")
            expect(snap.dispositions.get(rid, {}).get("state") == "destroyed",
                   f"{what}: record {short(rid)} not marked destroyed")
        destroyed = snap.audit_count("record.destroy")
        expect(all(destroyed[f"record:{r}"] == 1 for r in targets) and sum(destroyed.values()) == len(targets),
               f"{what}: record.destroy audit entries {dict(destroyed)} (expected one per record)")
        executed = snap.audit_count("disposition.execute")
        expect(executed[f"batch:{batch}"] == 1, f"{what}: batch executed {executed[f'batch:{batch}']} times (audit)")
        expect(not any(p["record_id"] in targets for p in snap.pages), f"{what}: destroyed records keep page rows")
        left = sorted(short(o) for o in doomed if snap.object_path(o).exists())
        expect(not left, f"{what}: objects of destroyed pages still stored: {left}")
        now_pages = sorted(k for k in snap.page_keys() if k[0] not in targets)
        expect(now_pages == kept_pages, f"{what}: pages of records outside the batch changed")
        self.fsck(snap.home, what)

    def section_serve(self):
        ref = self.reference()
        home = self.copy_home(ref["home"], "serve")
        created = self.run(["token", "create", "--role", "clerk", "--name", "crash-clients", "--json"], home)
        token = json.loads(created.out)["token"]
        port = free_port()
        server = self.start(["serve", "--port", port], home)
        try:
            deadline = time.monotonic() + 30
            while True:
                expect(server.p.poll() is None, f"sijill serve exited {server.p.returncode}: {server.stderr[-1500:]}")
                expect(time.monotonic() < deadline, "sijill serve did not answer /health within 30 s")
                try:
                    status, _ = http_get(port, "/health", None)
                    if status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            objects = sorted({p["image_id"] for p in ref["snap"].pages} | {p["text_id"] for p in ref["snap"].pages})
            searches = []
            for box in ("box-zip.zip", "box-targz.tar.gz"):
                for r in EXPECTED["boxes"][box]["records"]:
                    searches += [r["name_plain"], r["number"]]
            searches += ["وزارة", "طلب*"]
            load = ClientLoad(port, token, objects, searches, threads=4, seed=self.seed)
            load.start()
            time.sleep(0.5)
            ingest_start = time.monotonic()
            proc = self.start(["ingest", BOX_TGZ, "--json"], home)
            rc = proc.finish()
            ingest_end = time.monotonic()
            expect(rc == 0, f"ingest while serving exited {rc}: {proc.stderr[-1500:]}")
            report = json.loads(proc.stdout)
            new = {r["record"] for r in report["records"] if r["status"] == "added"}
            expect(len(new) == len(EXPECTED["boxes"]["box-targz.tar.gz"]["records"]),
                   f"ingest while serving added {new}")
            time.sleep(0.5)
            load.stop()
            during = load.count_between(ingest_start, ingest_end)
            # The new box, through the server that was running all along.
            found = set()
            for r in EXPECTED["boxes"]["box-targz.tar.gz"]["records"]:
                for q in (r["number"], r["name_plain"]):
                    status, body = http_get(port, "/v1/search?" + urllib.parse.urlencode({"q": q}), token)
                    expect(status == 200, f"search {q!r} after the ingest: HTTP {status}")
                    found |= {x["record"] for x in json.loads(body).get("results", [])} & new
        finally:
            if server.p.poll() is None:
                server.p.send_signal(signal.SIGTERM)
            server_rc = server.finish(timeout=30)
        errors = load.errors
        expect(not errors, f"serve under ingest: {len(errors)} failed requests of {load.total}: "
                           f"{collections.Counter(errors).most_common(5)}")
        expect(during > 0, "serve under ingest: no request was answered while the ingest ran")
        expect(found == new, f"serve: after the ingest, search finds {len(found)} of the {len(new)} new records")
        expect(server_rc == 0, f"sijill serve exited {server_rc} on SIGTERM: {server.stderr[-1500:]}")
        bad_log = [l for l in server.stderr.splitlines() if re.search(r"\b(error|critical)\b", l)]
        expect(not bad_log, f"serve logged errors: {bad_log[:3]}")
        snap = Snapshot(home)
        check_consistent(snap, "serve + ingest")
        self.fsck(home, "serve + ingest")
        self.both = home
        kinds = load.by_kind
        return (f"4 clients, {load.total} requests ({kinds['search']} search, {kinds['object']} objects; "
                f"{during} while the ingest ran {ingest_end - ingest_start:.1f} s), 0 errors, 0 5xx; "
                f"{len(found)}/{len(new)} new records "
                f"found; audit chain and fsck clean")

    def section_parallel(self):
        ref = self.reference()
        # 1. Fresh data directory, several processes opening it at once (schema creation).
        empty = self.tmp / "empty-box"
        empty.mkdir()
        rounds, procs_per_round = 6, 3
        for i in range(rounds):
            home = self.tmp / f"open-race-{i}"
            procs = [self.start(["ingest", empty, "--json"], home) for _ in range(procs_per_round)]
            for j, proc in enumerate(procs):
                rc = proc.finish()
                expect(rc == 0, f"{procs_per_round} ingests opening a new data directory at once: process {j + 1} "
                                f"exited {rc}: {proc.stderr.strip()[-600:]}")
            self.fsck(home, f"open race {i + 1}")
            shutil.rmtree(home)
        # 2. Overlapping boxes at once, on a fresh data directory: box-zip.zip and a folder holding
        # two of its records (same files, same manifest rows: same record IDs) and its 2-page
        # TIFF under another name (another record, the same page images).
        overlap = self.overlap_box()
        sequential = self.copy_home(ref["home"], "parallel-sequential")
        self.run(["ingest", overlap, "--json"], sequential)
        seq_snap = Snapshot(sequential)
        results = []
        tgz = EXPECTED["boxes"]["box-targz.tar.gz"]
        for name, boxes, want in (("box-zip.zip + overlapping folder", [BOX_ZIP, overlap], seq_snap),
                                  ("box-targz.tar.gz twice", [BOX_TGZ, BOX_TGZ], None)):
            home = self.tmp / "parallel"
            procs = [self.start(["ingest", box, "--json"], home) for box in boxes]
            rcs = [p.finish() for p in procs]
            for p, rc in zip(procs, rcs):
                expect(rc in (0, 3), f"{name}: an ingest exited {rc}: {p.stderr.strip()[-1500:]}")
                expect("locked" not in p.stderr and "busy" not in p.stderr.lower(),
                       f"{name}: {p.stderr.strip()[-800:]}")
            snap = Snapshot(home)
            check_consistent(snap, name)
            if want is not None:
                self.check_same_archive(snap, want, name)
            else:
                reported = {r["record"] for p in procs for r in json.loads(p.stdout)["records"]}
                expect(set(snap.records) == reported and len(snap.records) == len(tgz["records"])
                       and len(snap.pages) == tgz["total_pages"],
                       f"{name}: {len(snap.records)} records / {len(snap.pages)} pages, expected "
                       f"{len(tgz['records'])} / {tgz['total_pages']}")
            adds = snap.audit_count("record.add")
            expect(all(v == 1 for v in adds.values()) and len(adds) == len(snap.records),
                   f"{name}: records added more than once (audit: {dict(adds)})")
            statuses = collections.Counter()
            for p in procs:
                for r in json.loads(p.stdout)["records"]:
                    statuses[r["record"]] += r["status"] == "added"
            expect(all(v == 1 for v in statuses.values()),
                   f"{name}: the two reports add a record twice: "
                   f"{[(short(r), v) for r, v in statuses.items() if v != 1]}")
            images = collections.Counter((o["image_id"], o["settings"]) for o in snap.ocr)
            expect(all(v == 1 for v in images.values()), f"{name}: an image has two OCR results for one setting")
            self.fsck(home, name)
            results.append(f"{name}: exits {rcs}, {len(snap.records)} records/{len(snap.pages)} pages once")
            shutil.rmtree(home)
        shutil.rmtree(sequential)
        return (f"{rounds}x{procs_per_round} processes creating one data directory: all exit 0; "
                + "; ".join(results) + "; the overlap equals one-after-the-other; no 'database is locked', fsck clean")

    def section_worker_pg(self):
        """The worker section with the catalog on PostgreSQL (a fresh database on the server
        `$SIJILL_TEST_PG` names; `script/test` starts one): claims with FOR UPDATE SKIP LOCKED."""
        base = os.environ.get("SIJILL_TEST_PG")
        if not base:
            if os.environ.get("CI"):
                raise CheckFailed("SIJILL_TEST_PG is not set: script/test starts PostgreSQL (script/pg-server)")
            return "skipped: no PostgreSQL (SIJILL_TEST_PG unset)"
        name = f"crash_{os.getpid()}_{self.seed}"
        subprocess.run(["psql", "-X", "-q", base, "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
        url = base.rsplit("/", 1)[0] + "/" + name
        return self.section_worker(home_name="worker-pg", catalog_url=url)

    def section_worker(self, home_name="worker", catalog_url=None):
        """Two boxes submitted to the queue, two `sijill worker --until-idle` processes with a 2 s
        lease; one of them SIGKILLed at random moments and replaced, so that its pages, its
        box reading or its finishing are taken over by the other after the lease."""
        ref = self.reference()
        home = self.tmp / home_name
        for n, box in enumerate((BOX_ZIP, BOX_TGZ)):
            # The first command records the catalog in the data directory; the others follow it.
            self.run(["submit", box] + (["--catalog", catalog_url] if catalog_url and n == 0 else []), home)
        want_records = sum(len(EXPECTED["boxes"][b]["records"]) for b in ("box-zip.zip", "box-targz.tar.gz"))
        want_pages = sum(EXPECTED["boxes"][b]["total_pages"] for b in ("box-zip.zip", "box-targz.tar.gz"))
        argv = ["worker", "--until-idle", "--lease", "2", "--jobs", "1"]
        procs = [self.start(argv, home) for _ in range(2)]
        # At most 4 kills: a page claimed 5 times (each claimant killed while holding it) is given
        # up by design (a page that crashes the engine); QueueTests covers that rule.
        kills, started = 0, 2
        while kills < min(self.args.other_kills, 4):
            time.sleep(self.rng.uniform(0.2, max(0.5, ref["total"] * 0.5)))
            running = [p for p in procs if p.p.poll() is None]
            if not running:
                break
            victim = self.rng.choice(running)
            victim.kill_at(time.monotonic())
            victim.finish()
            kills += victim.killed
            self.trace(f"worker kill {kills} at {victim.killed_at - victim.t0:.2f} s")
            check_consistent(Snapshot(home), f"after worker kill {kills}")
            procs.remove(victim)
            procs.append(self.start(argv, home))
            started += 1
        for p in procs:
            rc = p.finish(timeout=300)
            expect(rc == 0, f"a worker exited {rc}: {p.stderr.strip()[-1500:]}")
        snap = Snapshot(home)
        check_consistent(snap, "worker section")
        expect(len(snap.records) == want_records and len(snap.pages) == want_pages,
               f"workers: {len(snap.records)} records / {len(snap.pages)} pages, expected {want_records} / {want_pages}")
        expect(set(ref["snap"].records) <= set(snap.records), "workers: box-zip.zip's records differ from a clean ingest")
        adds = snap.audit_count("record.add")
        expect(all(v == 1 for v in adds.values()) and len(adds) == len(snap.records),
               f"workers: records added more than once (audit: {dict(adds)})")
        finished = snap.audit_count("box.ingest")
        expect(len(finished) == 2 and all(v == 1 for v in finished.values()),
               f"workers: boxes finished {dict(finished)} (expected each once)")
        images = collections.Counter((o["image_id"], o["settings"]) for o in snap.ocr)
        expect(all(v == 1 for v in images.values()), "workers: an image has two OCR results for one setting")
        jobs = json.loads(self.run(["jobs", "--json"], home).out)
        expect([j["state"] for j in jobs] == ["done", "done"], f"workers: jobs {[(j['name'], j['state']) for j in jobs]}")
        con = catalog(home)
        try:
            taken_over = con.execute("SELECT coalesce(sum(attempts - 1), 0) FROM ocr_task").fetchone()[0]
        finally:
            con.close()
        report = self.fsck(home, "workers")
        expect(not report.get("orphaned"), f"workers: objects left behind: {report.get('orphaned')}")
        shutil.rmtree(home)
        return (f"{'PostgreSQL catalog: ' if catalog_url else ''}"
                f"{kills} SIGKILLs of 2 workers ({started} started): {len(snap.records)} records / {len(snap.pages)} "
                f"pages once, {taken_over} page claim(s) taken over after a lease, both boxes finished once, fsck clean")

    def overlap_box(self):
        box = self.tmp / "overlap-box"
        box.mkdir()
        with zipfile.ZipFile(BOX_ZIP) as z:
            names = z.namelist()
            manifest = z.read("manifest.csv").decode("utf-8-sig").splitlines()
            for name in names:
                if name.startswith("dossier-81559/") and not name.endswith("/") or name == "letter-2001.png":
                    (box / name).parent.mkdir(parents=True, exist_ok=True)
                    (box / name).write_bytes(z.read(name))
            (box / "copy-4410.tif").write_bytes(z.read("scan-4410.tif"))
        rows = [manifest[0]]
        for line in manifest[1:]:
            if line.startswith("dossier-81559/,") or line.startswith("letter-2001.png,"):
                rows.append(line)
            elif line.startswith("scan-4410.tif,"):
                rows.append(line.replace("scan-4410.tif,", "copy-4410.tif,", 1).replace(",1995-", ",1996-", 1))
        expect(len(rows) == 4, f"box-zip.zip's manifest has unexpected rows: {manifest}")
        (box / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        return box

    # -- driver --------------------------------------------------------------------------------

    def run_all(self):
        print(f"sijill crash harness: seed {self.seed} (rerun: --seed {self.seed}), {self.args.kills} ingest kills, "
              f"{self.args.other_kills} per other command; binary {self.bin} (copy); temp {self.tmp}", flush=True)
        start = time.monotonic()
        try:
            self.setup()
        except CheckFailed as e:
            self.failures.append(("setup", str(e)))
        for name in self.args.only:
            if self.failures and self.failures[0][0] == "setup":
                break
            print(f"[{name}]", flush=True)
            t = time.monotonic()
            try:
                summary = getattr(self, f"section_{name.replace('-', '_')}")()
                ok = True
            except CheckFailed as e:
                summary, ok = str(e), False
                self.failures.append((name, str(e)))
            except Exception as e:  # a harness error is a failure too, with its traceback
                import traceback
                traceback.print_exc()
                summary, ok = f"harness error: {e!r}", False
                self.failures.append((name, summary))
            took = time.monotonic() - t
            self.results.append((name, ok, summary, took))
            print(f"  {'ok' if ok else 'FAILED'} ({took:.1f} s): {summary}", flush=True)
        total = time.monotonic() - start
        print()
        print(f"{'section':<12} {'result':<7} {'time':>7}  summary")
        for name, ok, summary, took in self.results:
            first = summary.splitlines()[0] if summary else ""
            print(f"{name:<12} {'PASS' if ok else 'FAIL':<7} {took:>6.1f}s  {first}")
        passed = sum(1 for r in self.results if r[1])
        failed = len(self.results) - passed + (1 if self.failures and self.failures[0][0] == "setup" else 0)
        print(f"wall time {total:.1f} s, seed {self.seed}")
        if self.failures:
            print()
            for name, message in self.failures:
                print(f"FAILED {name}: {message}")
            print(f"(data directories kept in {self.tmp}; rerun with --seed {self.seed})")
        elif not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        print(f"crash_harness: {passed} passed, {failed} failed")
        return 1 if self.failures else 0


# ----------------------------------------------------------------------------------------------
# stderr events and phases


def ingest_event(line):
    """(kind, pages) for an ingest stderr line that marks progress, else None."""
    if "box listed" in line:
        return ("listed", 0)
    m = re.search(r"recognising pages", line)
    if m:
        pages = re.search(r"\bpages=(\d+)", line)
        return ("ocr_start", int(pages.group(1)) if pages else 0)
    m = re.match(r"(reading|ocr)\s+(\d+)/(\d+)", line)
    if m:
        done = m.group(2) == m.group(3)
        if m.group(1) == "ocr":
            return ("ocr_done" if done else "ocr", 0)
        return ("reading_done" if done else "reading", 0)
    if "record catalogued" in line:
        return ("catalogued", 0)
    if "box ingested" in line:
        return ("ingested", 0)
    return None


def event_kind(line):
    return (ingest_event(line) or ("",))[0]


def count(con, table, where=None, *args):
    """Rows of `table` (matching `where`), read through connection `con`."""
    sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
    return con.execute(sql, args).fetchone()[0]


def ingest_phase(lines, pending_ocr):
    """Where an ingest was when killed, from the stderr lines it had written."""
    phase = "read"
    for line in lines:
        ev = ingest_event(line)
        if not ev:
            continue
        kind = ev[0]
        if kind in ("ocr_start", "ocr"):
            phase = "OCR"
        elif kind in ("ocr_done", "catalogued", "ingested"):
            phase = "catalog"
        elif kind == "reading_done" and pending_ocr == 0:
            phase = "catalog"
    return phase


def disposition_phase(snap, batch, targets):
    """Where an execution was when killed, from what it had committed."""
    b = next((b for b in snap.batches if b["id"] == batch), {})
    if b.get("executed_at"):
        return "after execute"
    if any(r["series"] == CERTIFICATE_SERIES for r in snap.records.values()):
        return "certificate filed"
    destroyed = sum(1 for r in targets if snap.dispositions.get(r, {}).get("state") == "destroyed")
    if destroyed == 0:
        return "before destroy"
    if destroyed < len(targets):
        return "mid destroy"
    return "objects/certificate"


# ----------------------------------------------------------------------------------------------
# HTTP


def thread_states(pid):
    """The scheduler state of each thread of `pid` (b"R", b"S", b"T"...); None if it is gone."""
    states = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                states.append(f.read().rsplit(b")", 1)[1].split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    if not states or any(s in (b"Z", b"X") for s in states):
        return None
    return states


def stop(pid):
    """SIGSTOP `pid` and wait until every one of its threads has stopped; False if it is gone."""
    try:
        os.kill(pid, signal.SIGSTOP)
    except ProcessLookupError:
        return False
    for _ in range(20000):
        states = thread_states(pid)
        if states is None:
            return False
        if all(s in (b"T", b"t") for s in states):
            return True
        time.sleep(0.00002)
    return True


def resume(pid):
    """SIGCONT `pid` and wait until it runs again (so that a stop right after is a new one)."""
    try:
        os.kill(pid, signal.SIGCONT)
    except ProcessLookupError:
        return
    for _ in range(20000):
        states = thread_states(pid)
        if states is None or not all(s in (b"T", b"t") for s in states):
            return
        time.sleep(0.00002)


def http_get(port, path, token, conn=None):
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        if own:
            conn.close()


class ClientLoad:
    """Client threads calling /v1/search and /v1/objects/{id} until stopped (bounded in time and count)."""

    def __init__(self, port, token, objects, searches, threads, seed, max_seconds=120, max_requests=200_000):
        self.port, self.token, self.objects, self.searches = port, token, objects, searches
        self.stop_flag = threading.Event()
        self.lock = threading.Lock()
        self.times = []
        self.errors = []
        self.by_kind = collections.Counter()
        self.deadline = time.monotonic() + max_seconds
        self.max_requests = max_requests
        self.threads = [threading.Thread(target=self.loop, args=(random.Random(seed * 100 + i),), daemon=True)
                        for i in range(threads)]

    @property
    def total(self):
        return len(self.times)

    def start(self):
        for t in self.threads:
            t.start()

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(30)

    def count_between(self, a, b):
        with self.lock:
            return sum(1 for t in self.times if a <= t <= b)

    def loop(self, rng):
        conn = None
        while not self.stop_flag.is_set() and time.monotonic() < self.deadline and len(self.times) < self.max_requests:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            if rng.random() < 0.5:
                kind = "search"
                path = "/v1/search?" + urllib.parse.urlencode({"q": rng.choice(self.searches), "limit": 10})
            else:
                kind = "object"
                oid = rng.choice(self.objects)
                path = f"/v1/objects/{oid if rng.random() < 0.7 else oid[:12]}"
            try:
                status, body = http_get(self.port, path, self.token, conn)
                problem = None
                if status != 200:
                    problem = f"HTTP {status} {path.split('?')[0]}"
                elif kind == "object" and hashlib.sha256(body).hexdigest() != oid:
                    problem = "object bytes do not match their ID"
                elif kind == "search":
                    json.loads(body)
            except (OSError, http.client.HTTPException, ValueError) as e:
                problem = f"{type(e).__name__}: {e}"
                conn.close()
                conn = None
            with self.lock:
                self.times.append(time.monotonic())
                self.by_kind[kind] += 1
                if problem:
                    self.errors.append(problem)
        if conn is not None:
            conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, help="random seed (default: a new one, printed)")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs of `sijill ingest` (default 20)")
    parser.add_argument("--other-kills", type=int, help="SIGKILLs of reocr, reindex and disposition execute each "
                                                        "(default: 30%% of --kills, at least 3)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run (default {','.join(SECTIONS)})")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    parser.add_argument("--verbose", action="store_true", help="print every kill")
    args = parser.parse_args()
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in args.only if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown sections {unknown}; known: {SECTIONS}")
    if args.other_kills is None:
        args.other_kills = max(3, round(args.kills * 0.3))
    sys.exit(Harness(args).run_all())


if __name__ == "__main__":
    main()
