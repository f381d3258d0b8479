#!/usr/bin/env python3
"""Fuzzes the HTTP API against API/openapi.yaml (Schemathesis) and checks who may do what.

Usage: Tests/api/api_fuzz.py [--examples N] [--seed S] [--keep] [--only fuzz|matrix]

Ingests Fixtures/boxes/box-zip.zip into a temporary home, makes a signing key, one token per
role and citizens' access codes, and runs `sijill serve` on free ports (a fresh server for each
part, so one part's failed credentials do not rate-limit the next). Then:

1. Schemathesis (every check) as an admin, a clerk, an auditor and a citizen, with the archive's
   real record, object, page and copy IDs mixed into the generated path parameters. Passes when
   no response is 5xx and every response matches the spec (status, content type, headers, body).
2. The authorization matrix: every operation of the spec and the web pages, for every caller
   (each staff role, a citizen's code on its record and on another, no credential, a malformed,
   an unknown and a revoked token, an expired and a revoked code), against the table EXPECTED
   below; then web sessions (sign-in, revocation ends a session) and the failed-credential limit.

Prints the matrix and a summary; exits 1 on any failure. The binary is $SIJILL, else
.build/debug/sijill. --keep keeps the temporary home (and the Schemathesis reports in it).
"""
import argparse, atexit, collections, glob, http.client, json, os, re, shutil, signal, sqlite3
import subprocess, sys, tempfile, time, urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/support"))
from sijill_process import ServeProcess, sijill  # noqa: E402
SPEC = ROOT / "API/openapi.yaml"
HOOKS = Path(__file__).resolve().parent / "st_hooks.py"
failures = []
servers = []


def check(ok, message, quiet=False):
    if not ok or not quiet:
        print(("ok   " if ok else "FAIL ") + message, flush=True)
    if not ok:
        failures.append(message)
    return ok


# ---------------------------------------------------------------------------------------------
# The archive and the server


class Server(ServeProcess):
    """`sijill serve` on a free port with the fixture schedules, stopped by stop() (or at exit, or
    on SIGTERM/SIGINT)."""

    def __init__(self, home, log_path):
        super().__init__(home, log_path, "--retention", str(ROOT / "Retention"))
        servers.append(self)

    def stop(self):
        super().stop()
        if self in servers:
            servers.remove(self)

    def logged_errors(self):
        """Lines the server logged for unexpected failures (a 500 that is not an integrity alert)."""
        text = Path(self.log_path).read_text(errors="replace")
        signs = ("request failed", "failed verification", "Fatal error")
        return [line for line in text.splitlines() if any(sign in line for sign in signs)]


def stop_all():
    for server in list(servers):
        server.stop()


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body)


source_counter = 0


def fresh_source():
    """A loopback address no request has used yet: the failed-credential limit counts per
    address, so each matrix request comes from its own (Linux routes all of 127/8 to lo)."""
    global source_counter
    source_counter += 1
    return f"127.1.{source_counter // 250}.{source_counter % 250 + 1}"


def request(server, method, path, headers=None, body=None, source=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120,
                                      source_address=(source or fresh_source(), 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        conn.close()


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"} if secret is not None else {}


def catalog(home, sql, args=(), write=False):
    """Rows from the data dir's SQLite catalog (read-only unless `write`)."""
    path = os.path.join(home, "catalog.sqlite")
    db = sqlite3.connect(path if write else f"file:{path}?mode=ro", uri=not write, timeout=30)
    try:
        rows = db.execute(sql, args).fetchall()
        db.commit()
        return rows
    finally:
        db.close()


def prepare(home):
    """Ingest the fixture box; a signing key; tokens, codes and the IDs the tests use."""
    report = json.loads(sijill(home, "ingest", str(ROOT / "Fixtures/boxes/box-zip.zip"), "--json", ok=(0, 3)))
    sijill(home, "keys", "init")
    tokens = {}
    for role in ("admin", "archivist", "clerk", "auditor"):
        tokens[role] = json.loads(sijill(home, "token", "create", "--role", role, "--name", role, "--json"))["token"]
    # Signed in on the web, then revoked while the session lasts (the session must end).
    tokens["clerk-session"] = json.loads(
        sijill(home, "token", "create", "--role", "clerk", "--name", "clerk-session", "--json"))["token"]
    tokens["revoked"] = json.loads(
        sijill(home, "token", "create", "--role", "admin", "--name", "revoked", "--json"))["token"]
    sijill(home, "token", "revoke", "revoked")

    records = list(dict.fromkeys(item["record"] for item in report["items"] if item.get("record")))
    if len(records) < 3:
        raise RuntimeError(f"box-zip.zip gave {len(records)} records; expected 3")
    pages = collections.Counter(item["record"] for item in report["items"] for _ in item.get("pages", []))
    rec_a = max(records, key=lambda r: pages[r])  # the dossier: 3 pages, PNG, JPEG and TIFF
    rec_b = next(r for r in records if r != rec_a)

    def grant(record, expires="1d"):
        out = json.loads(sijill(home, "access", "grant", record, "--expires", expires, "--json"))
        return out["code"], out["grant"]["id"]

    codes = {}
    codes["citizen"], _ = grant(rec_a)
    codes["citizen-session"], session_grant = grant(rec_a)  # revoked while its web session lasts
    codes["revoked-code"], revoked_grant = grant(rec_a)
    sijill(home, "access", "revoke", str(revoked_grant))
    codes["expired-code"], expired_grant = grant(rec_a, "1m")
    # The shortest expiry is a minute: move this grant's end into the past in the catalog.
    catalog(home, "UPDATE access_grant SET expires_at = '2001-01-01T00:00:00Z' WHERE id = ?", (expired_grant,),
            write=True)
    # The ingest report's object ID (auditors may read reports) is only in the catalog.
    report_ids = [row[0] for row in catalog(home, "SELECT report_id FROM ingest_run WHERE report_id IS NOT NULL")]
    if not report_ids:
        raise RuntimeError("no ingest report in the catalog")
    return dict(tokens=tokens, codes=codes, records=records, rec_a=rec_a, rec_b=rec_b, report=report_ids[0],
                session_grant=session_grant)


def collect_ids(server, data):
    """Record metadata (as admin) and one certified copy of records A and B."""
    admin = bearer(data["tokens"]["admin"])
    meta = {}
    for record in data["records"]:
        reply = request(server, "GET", f"/v1/records/{record}", admin)
        if reply.status != 200:
            raise RuntimeError(f"GET /v1/records/{record}: {reply.status}")
        meta[record] = reply.json()
    data["meta"] = meta
    for name, record in (("copy_a", data["rec_a"]), ("copy_b", data["rec_b"])):
        reply = request(server, "POST", f"/v1/records/{record}/copies",
                        {**admin, "Content-Type": "application/json"}, json.dumps({"pages": [1], "for": "api_fuzz"}))
        if reply.status != 202 or not reply.header("location"):
            raise RuntimeError(f"POST copies of {record}: {reply.status} {reply.body[:200]!r}")
        data["req_" + name[-1]] = reply.json()["request_id"]
        # Made off the request path by the server's copy worker: follow the request until done.
        deadline = time.time() + 120
        while True:
            status = request(server, "GET", reply.header("location"), admin)
            state = status.json().get("state") if status.status == 200 else None
            if state == "done":
                data[name] = status.json()["copy_id"]
                break
            if state not in ("queued", "running") or time.time() > deadline:
                raise RuntimeError(f"copy request of {record}: {status.status} {status.body[:200]!r}")
            time.sleep(0.2)
    pdf = request(server, "GET", f"/v1/copies/{data['copy_a']}/pdf", admin)
    if pdf.status != 200 or not pdf.body.startswith(b"%PDF"):
        raise RuntimeError(f"GET copy A's PDF: {pdf.status}")
    data["pdf_a"] = pdf.body
    # The copy's PDF as a stored object (served by /v1/objects to staff).
    data["pdf_a_id"] = catalog(data["home"], "SELECT pdf_id FROM certified_copy WHERE id = ?", (data["copy_a"],))[0][0]
    verdict = request(server, "GET", f"/v1/copies/{data['copy_a']}?format=json")
    if verdict.status != 200 or verdict.json().get("status") != "valid":
        raise RuntimeError(f"copy A does not verify: {verdict.status} {verdict.body[:200]!r}")
    # An uploaded box (a job the box routes can show).
    data["box_zip"] = (ROOT / "Fixtures/layouts/misplaced.zip").read_bytes()
    job = request(server, "POST", "/v1/boxes?name=matrix.zip", {**admin, "Content-Type": "application/zip"}, data["box_zip"])
    if job.status != 202:
        raise RuntimeError(f"POST /v1/boxes: {job.status} {job.body[:200]!r}")
    data["job"] = job.json()["id"]


# ---------------------------------------------------------------------------------------------
# Part 1: Schemathesis

# Where the schema cannot say which well-formed requests succeed, the positive-data check also
# accepts: 400 for /v1/search (a query with no words to look for, "-x" or "OR"; a date that does
# not exist, 2021-02-30; a cursor from another query) and for issuing a copy (a page the record
# does not have); 416 where a `Range` header (any string to the schema) can fall past the end.

PASSES = [  # (caller, share of --examples)
    ("admin", 1.0),
    ("clerk", 0.4),
    ("auditor", 0.4),
    ("citizen", 0.4),
]


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def schemathesis_config(data, path):
    """Real IDs for the path parameters (drawn with probability 0.6; otherwise generated)."""
    meta = data["meta"]
    objects = []
    for record in data["records"]:
        for page in meta[record]["pages"]:
            objects += [page["image_id"], page["source_id"], page["text_id"], page["hocr_id"]]
        objects.append(meta[record]["manifest_id"])
    objects += [data["report"], data["pdf_a_id"], objects[0][:12], objects[1].upper()]
    records = data["records"] + [data["rec_a"][:12], data["rec_b"].upper()]
    copies = [data["copy_a"], data["copy_b"]]
    lines = [
        "# Written by Tests/api/api_fuzz.py for one run.",
        f"[dictionaries.objects]\nvalues = {toml_list(list(dict.fromkeys(objects)))}",
        f"[dictionaries.records]\nvalues = {toml_list(records)}",
        "[dictionaries.pages]\nvalues = [1, 2, 3]",
        f"[dictionaries.copies]\nvalues = {toml_list(copies)}",
        '[[operations]]\ninclude-path-regex = "^/v1/objects/"\n'
        'parameters = { "path.id" = { dictionary = "objects", probability = 0.6 } }\n'
        'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 401, 403, 404, 409, 416, 429]',
        '[[operations]]\ninclude-path-regex = "^/v1/records/\\\\{id\\\\}/pages/"\n'
        'parameters = { "path.id" = { dictionary = "records", probability = 0.6 }, '
        '"path.n" = { dictionary = "pages", probability = 0.6 } }\n'
        'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 401, 403, 404, 409, 416, 429]',
        '[[operations]]\ninclude-path = "/v1/records/{id}"\n'
        'parameters = { "path.id" = { dictionary = "records", probability = 0.6 } }',
        '[[operations]]\ninclude-path = "/v1/records/{id}/copies"\n'
        'parameters = { "path.id" = { dictionary = "records", probability = 0.6 } }\n'
        'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 400, 401, 403, 404, 409, 429]',
        '[[operations]]\ninclude-path-regex = "^/v1/copies/"\n'
        'parameters = { "path.copy" = { dictionary = "copies", probability = 0.6 } }\n'
        'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 401, 403, 404, 409, 416, 429]',
        '[[operations]]\ninclude-path-regex = "^/v1/boxes"\n'
        'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 400, 401, 403, 404, 413, 429]',
        '[[operations]]\ninclude-path = "/v1/search"\n'
        'checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", 400, 401, 403, 404, 409, 429]',
    ]
    Path(path).write_text("\n\n".join(lines) + "\n")


def schemathesis_pass(home, data, caller, examples, seed, workdir):
    """One Schemathesis run as `caller` against its own server; returns the pass's figures."""
    secret = data["codes"]["citizen"] if caller == "citizen" else data["tokens"][caller]
    server = Server(home, os.path.join(workdir, f"server-st-{caller}.log"))
    reports = os.path.join(workdir, f"st-{caller}")
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", os.path.join(workdir, "schemathesis.toml"),
        "run", str(SPEC), "--url", server.base, "--header", f"Authorization: Bearer {secret}",
        "--checks", "all", "--max-examples", str(examples), "--seed", str(seed), "--workers", "1",
        "--generation-database", "none", "--no-color", "--report", "json,ndjson", "--report-dir", reports,
        "--request-timeout", "60", "--suppress-health-check", "all", "--header", "Connection: close",
    ]
    started = time.time()
    try:
        proc = subprocess.run(command, cwd=workdir, capture_output=True, text=True,
                              env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)})
    finally:
        server.stop()
    took = time.time() - started
    figures = dict(caller=caller, exit=proc.returncode, seconds=took, requests=0, statuses=collections.Counter(),
                   server_errors=[], failures={}, operations=0, errors=[], log_errors=server.logged_errors())
    ndjson = glob.glob(os.path.join(reports, "ndjson-*.ndjson"))
    summary = glob.glob(os.path.join(reports, "json-*.json"))
    if not ndjson or not summary:
        figures["errors"].append("no report written")
        print(proc.stdout[-4000:], proc.stderr[-4000:], sep="\n")
        return figures
    for line in open(ndjson[0]):
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        for interaction in (finished["recorder"].get("interactions") or {}).values():
            response = interaction.get("response")
            if not response:
                continue
            figures["requests"] += 1
            status = response["status_code"]
            figures["statuses"][status] += 1
            if status >= 500:
                figures["server_errors"].append(f"{interaction['request']['method']} {interaction['request']['uri']}: {status}")
    report = json.load(open(summary[0]))
    figures["operations"] = report["operations"]["tested"]
    figures["failures"] = {f"{f['code']} {f['title']}": (f["count"], f["operations"]) for f in report["failures"]}
    figures["errors"] = [f"{e['title']} ({e['count']})" for e in report.get("errors", [])]
    if proc.returncode != 0 or figures["failures"] or figures["errors"]:
        # The details: Schemathesis' own failure report (curl lines to reproduce).
        out = proc.stdout
        start = out.find("=== FAILURES")
        start = out.find("=== ERRORS") if out.find("=== ERRORS") >= 0 else start
        print(out[start if start >= 0 else 0:][-12000:])
        if proc.stderr.strip():
            print(proc.stderr[-3000:])
    return figures


def run_schemathesis(home, data, examples, seed, workdir):
    schemathesis_config(data, os.path.join(workdir, "schemathesis.toml"))
    results = []
    for caller, share in PASSES:
        n = max(3, round(examples * share))
        figures = schemathesis_pass(home, data, caller, n, seed, workdir)
        results.append(figures)
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(figures["statuses"].items()))
        print(f"schemathesis as {caller:8} n={n:<3} {figures['operations']} operations, {figures['requests']} requests "
              f"in {figures['seconds']:.0f} s; statuses {statuses}")
        check(not figures["server_errors"], f"schemathesis as {caller}: no 5xx ({len(figures['server_errors'])})"
              + "".join(f"\n       {e}" for e in figures["server_errors"][:10]))
        for name, (count, operations) in figures["failures"].items():
            check(False, f"schemathesis as {caller}: {name} ×{count}: {', '.join(operations)}")
        for error in figures["errors"]:
            check(False, f"schemathesis as {caller}: error {error}")
        if not figures["failures"] and not figures["errors"]:
            check(figures["exit"] == 0, f"schemathesis as {caller}: every check passed (exit {figures['exit']})")
        check(not figures["log_errors"], f"schemathesis as {caller}: server logged no unexpected failure"
              + "".join(f"\n       {line}" for line in figures["log_errors"][:5]))
    return results


# ---------------------------------------------------------------------------------------------
# Part 2: the authorization matrix

CALLERS = ["admin", "archivist", "clerk", "auditor", "citizen", "none", "malformed", "unknown", "revoked",
           "expired-code", "revoked-code"]
SHORT = ["admin", "arch", "clerk", "audit", "citA", "none", "malf", "unkn", "revT", "expC", "revC"]

# Citizens hold a code for record A. "303>/login" is a 303 redirect to /login.
# A citizen gets 404 (not 403, not 409) for anything outside its record, so a code cannot probe
# what exists; auditors read metadata and ingest reports, not page content, and do not search;
# the retention report is for auditors and admins; a credential that is sent is always checked
# (401 even on public routes); without one, the web pages send you to sign in.
L, A = "303>/login", "303>/access"
EXPECTED = {
    #                                          admin arch  clerk audit citA  none  malf  unkn  revT  expC  revC
    "GET /health":                            (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "GET /metrics":                           (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "GET /v1/openapi.yaml":                   (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "GET /v1/objects/{imgA}":                 (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "HEAD /v1/objects/{imgA}":                (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/{imgA:12}":              (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/{textA}":                (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/{manifestA}":            (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/{imgB}":                 (200,  200,  200,  403,  404,  401,  401,  401,  401,  401,  401),
    "HEAD /v1/objects/{imgB}":                (200,  200,  200,  403,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/{report}":               (200,  200,  200,  200,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/{copyPdfA}":             (200,  200,  200,  403,  404,  401,  401,  401,  401,  401,  401),
    # The role comes first: an auditor is refused what is not a report, whether it exists or not.
    "GET /v1/objects/{missing}":              (404,  404,  404,  403,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/{missing:12}":           (404,  404,  404,  404,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/objects/not-an-id":              (400,  400,  400,  400,  400,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{A}":                    (200,  200,  200,  200,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{A:12}":                 (200,  200,  200,  200,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{B}":                    (200,  200,  200,  200,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{B:12}":                 (200,  200,  200,  200,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{missing}":              (404,  404,  404,  404,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{A}/pages/1/text":       (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{A}/pages/1/hocr":       (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{A}/pages/99/text":      (404,  404,  404,  403,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{B}/pages/1/text":       (200,  200,  200,  403,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{B}/pages/1/hocr":       (200,  200,  200,  403,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{A}/pdf":                (200,  200,  200,  403,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{A}/pdf?pages=99":       (404,  404,  404,  403,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/records/{B}/pdf?pages=1":        (200,  200,  200,  403,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/search?q=طلب":                   (200,  200,  200,  403,  403,  401,  401,  401,  401,  401,  401),
    "POST /v1/records/{A}/copies":            (202,  202,  202,  403,  202,  401,  401,  401,  401,  401,  401),
    "POST /v1/records/{B}/copies":            (202,  202,  202,  403,  404,  401,  401,  401,  401,  401,  401),
    # Asked for by admin: followed by whoever asked and staff who read the record, else 404.
    "GET /v1/copy-requests/{reqA}":           (200,  200,  200,  404,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/copy-requests/{missing}":        (404,  404,  404,  404,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/copies/{copyA}/pdf":             (200,  200,  200,  404,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/copies/{copyA}/p7s":             (200,  200,  200,  404,  200,  401,  401,  401,  401,  401,  401),
    "GET /v1/copies/{copyB}/pdf":             (200,  200,  200,  404,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/copies/{copyB}/p7s":             (200,  200,  200,  404,  404,  401,  401,  401,  401,  401,  401),
    "GET /v1/copies/{copyA}":                 (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "GET /v1/copies/{copyA}?format=json":     (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "POST /v1/verify":                        (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "GET /v1/fields":                         (200,  200,  200,  200,  403,  401,  401,  401,  401,  401,  401),
    "GET /v1/fields?format=csv":              (200,  200,  200,  200,  403,  401,  401,  401,  401,  401,  401),
    "GET /v1/retention/report":               (200,  403,  403,  200,  403,  401,  401,  401,  401,  401,  401),
    "GET /v1/retention/report?format=csv":    (200,  403,  403,  200,  403,  401,  401,  401,  401,  401,  401),
    "POST /v1/boxes":                         (202,  202,  403,  403,  403,  401,  401,  401,  401,  401,  401),
    "GET /v1/boxes":                          (200,  200,  403,  403,  403,  401,  401,  401,  401,  401,  401),
    "GET /v1/boxes/{job}":                    (200,  200,  403,  403,  403,  401,  401,  401,  401,  401,  401),
    "GET /v1/boxes/{missing}":                (404,  404,  403,  403,  403,  401,  401,  401,  401,  401,  401),
    "DELETE /v1/records/{A}":                 (405,  405,  405,  405,  405,  405,  401,  401,  401,  401,  401),
    "GET /":                                  ("303>/search", "303>/search", "303>/search", "303>/search",
                                               "303>/access/record", L, 401, 401, 401, 401, 401),
    "GET /login":                             (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "GET /search?q=طلب":                      (200,  200,  200,  403,  L,    L,    401,  401,  401,  401,  401),
    "GET /records/{A}":                       (200,  200,  200,  200,  L,    L,    401,  401,  401,  401,  401),
    "GET /records/{B}":                       (200,  200,  200,  200,  L,    L,    401,  401,  401,  401,  401),
    "GET /access/record":                     (A,    A,    A,    A,    200,  A,    401,  401,  401,  401,  401),
    "GET /boxes":                             (200,  200,  403,  403,  403,  L,    401,  401,  401,  401,  401),
    "GET /boxes/{job}":                       (200,  200,  403,  403,  403,  L,    401,  401,  401,  401,  401),
    # A form post without the session's token is refused (CSRF), whoever sends it.
    "POST /boxes":                            (403,  403,  403,  403,  403,  L,    401,  401,  401,  401,  401),
    "POST /copies":                           (403,  403,  403,  403,  403,  A,    401,  401,  401,  401,  401),
    "GET /copies/{reqA}":                     (200,  200,  200,  404,  404,  A,    401,  401,  401,  401,  401),
    "GET /verify":                            (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    # Staff pages need a web session (their forms carry its token): a bearer token of a role the
    # page is for is sent to sign in; another role is refused first.
    "GET /reports":                           (L,    403,  403,  L,    L,    L,    401,  401,  401,  401,  401),
    "GET /admin/tokens":                      (L,    403,  403,  403,  L,    L,    401,  401,  401,  401,  401),
    "GET /verify/{copyA}":                    (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
    "POST /verify":                           (200,  200,  200,  200,  200,  200,  401,  401,  401,  401,  401),
}

# The same pages and reads through a web session (cookie from /login or /access), per caller.
SESSION_EXPECTED = {
    #                                          admin arch  clerk audit citA
    "GET /search?q=طلب":                      (200,  200,  200,  403,  L),
    "GET /records/{A}":                       (200,  200,  200,  200,  L),
    "GET /records/{B}":                       (200,  200,  200,  200,  L),
    "GET /access/record":                     (A,    A,    A,    A,    200),
    "GET /v1/objects/{imgA}":                 (200,  200,  200,  403,  200),
    "GET /v1/objects/{imgB}":                 (200,  200,  200,  403,  404),
    "GET /v1/records/{B}":                    (200,  200,  200,  200,  404),
    "GET /v1/records/{A}/pages/1/text":       (200,  200,  200,  403,  200),
    "GET /boxes":                             (200,  200,  403,  403,  403),
    "GET /boxes/{job}":                       (200,  200,  403,  403,  403),
    "GET /copies/{reqA}":                     (200,  200,  200,  404,  404),
    # Auditor and administrator pages (a citizen's session is not staff: sign in).
    "GET /reports":                           (200,  403,  403,  200,  L),
    "GET /audit-log":                         (200,  403,  403,  200,  L),
    "GET /audit-log.csv":                     (200,  403,  403,  200,  L),
    "GET /admin/tokens":                      (200,  403,  403,  403,  L),
    "GET /admin/keys":                        (200,  403,  403,  403,  L),
    "GET /admin/access":                      (200,  403,  200,  403,  L),
    "GET /admin/holds":                       (200,  200,  403,  403,  L),
    "GET /admin/disposition":                 (200,  200,  403,  403,  L),
    "GET /rescan":                            (200,  200,  200,  403,  L),
    # A form post without its token changes nothing, whoever sends it.
    "POST /admin/tokens":                     (403,  403,  403,  403,  L),
    "POST /admin/holds":                      (403,  403,  403,  403,  L),
    "POST /copies":                           (403,  403,  403,  403,  403),
}


def expand(label, data):
    """'GET /v1/objects/{imgA}' → (method, path) with the archive's IDs."""
    meta_a, meta_b = data["meta"][data["rec_a"]], data["meta"][data["rec_b"]]
    ids = {
        "A": data["rec_a"], "B": data["rec_b"], "A:12": data["rec_a"][:12], "B:12": data["rec_b"][:12],
        "imgA": meta_a["pages"][0]["image_id"], "imgA:12": meta_a["pages"][0]["image_id"][:12],
        "imgB": meta_b["pages"][0]["image_id"], "textA": meta_a["pages"][0]["text_id"],
        "manifestA": meta_a["manifest_id"], "report": data["report"], "copyPdfA": data["pdf_a_id"],
        "copyA": data["copy_a"], "copyB": data["copy_b"], "missing": "0" * 63 + "1", "missing:12": "0" * 12,
        "job": data["job"], "reqA": data["req_a"],
    }
    method, path = label.split(" ", 1)
    path = re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], path)
    parts = urllib.parse.urlsplit(path)
    query = urllib.parse.quote(parts.query, safe="=&")
    return method, parts.path + ("?" + query if query else "")


def body_for(method, path, data):
    if method == "POST" and path.endswith("/copies"):
        return {"Content-Type": "application/json"}, json.dumps({"pages": [1], "for": "matrix"}).encode()
    if method == "POST" and path.split("?")[0] in ("/v1/boxes", "/boxes"):
        return {"Content-Type": "application/zip"}, data["box_zip"]
    if method == "POST" and path == "/v1/verify":
        return {"Content-Type": "application/pdf"}, data["pdf_a"]
    if method == "POST" and path == "/verify":
        boundary = "sijillmatrix"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"copy.pdf\"\r\n"
                "Content-Type: application/pdf\r\n\r\n").encode() + data["pdf_a"] + f"\r\n--{boundary}--\r\n".encode()
        return {"Content-Type": f"multipart/form-data; boundary={boundary}"}, body
    return {}, None


def outcome(reply):
    if reply.status in (301, 302, 303, 307, 308):
        return f"{reply.status}>{reply.header('location')}"
    return reply.status


def shape_problems(label, method, path, reply, data, caller):
    """What the cell's answer says beyond its status."""
    problems = []
    if reply.status == 401 and not (reply.header("www-authenticate") or "").startswith("Bearer"):
        problems.append("401 without WWW-Authenticate: Bearer")
    if reply.status == 405 and not reply.header("allow"):
        problems.append("405 without Allow")
    api_error = path.startswith("/v1/") or reply.status in (401, 405, 429)
    if reply.status >= 400 and api_error and method != "HEAD":
        try:
            error = reply.json()["error"]
            assert all(isinstance(error[k], str) and error[k] for k in ("code", "message", "message_ar"))
        except Exception:
            problems.append(f"error body is not {{error: {{code, message, message_ar}}}}: {reply.body[:120]!r}")
    if reply.status == 200 and label == "GET /v1/records/{A}" and reply.json().get("id") != data["rec_a"]:
        problems.append("the record is not A")
    if reply.status == 200 and label == "GET /records/{A}":
        shows_pages = b'class="page-view"' in reply.body
        if shows_pages != (caller != "auditor"):
            problems.append("page content shown to an auditor" if shows_pages else "no page content for staff")
    if reply.status == 200 and label == "GET /access/record":
        if data["rec_a"].encode() not in reply.body or data["rec_b"].encode() in reply.body:
            problems.append("the citizen's page does not show record A (only)")
    if reply.status == 200 and label == "GET /v1/copies/{copyA}?format=json" and reply.json().get("status") != "valid":
        problems.append(f"verdict {reply.json().get('status')}, not valid")
    if reply.status == 200 and label == "POST /v1/verify" and reply.json().get("copy_id") != data["copy_a"]:
        problems.append("the PDF's bytes do not verify as copy A")
    return problems


REDIRECTS = {"303>/login": "303lgn", "303>/access": "303acc", "303>/search": "303srch", "303>/access/record": "303rec"}


def print_table(title, expected, got, callers):
    """The answers, one row per operation; a cell that differs from the table is marked '!'."""
    width = max(len(label) for label in expected) + 2
    header = "".join(f"{short:>8}" for short in (SHORT[CALLERS.index(c)] for c in callers))
    print(f"\n{title}\n{'':{width}}{header}")
    for label, cells in expected.items():
        row = []
        for caller, want in zip(callers, cells):
            have = got.get((label, caller), "-")
            text = REDIRECTS.get(str(have), str(have))
            row.append(f"{text:>8}" if have == want else f"{'!' + text:>8}")
        print(f"{label:{width}}{''.join(row)}")


def run_matrix(home, data, workdir):
    server = Server(home, os.path.join(workdir, "server-matrix.log"))
    credentials = {
        **{role: data["tokens"][role] for role in ("admin", "archivist", "clerk", "auditor", "revoked")},
        "citizen": data["codes"]["citizen"], "none": None,
        "malformed": "sjt_", "unknown": "sjt_" + "A" * 43,
        "expired-code": data["codes"]["expired-code"], "revoked-code": data["codes"]["revoked-code"],
    }
    cells = passed = 0
    got = {}
    try:
        # Every operation of the spec has a row.
        rows = [(label.split(" ", 1)[0], label.split(" ", 1)[1].split("?")[0]) for label in EXPECTED]
        for method, template in spec_operations():
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            check(any(m == method and pattern.match(p) for m, p in rows), f"matrix: a row for {method} {template}",
                  quiet=True)
        for label, row in EXPECTED.items():
            assert len(row) == len(CALLERS), label
            method, path = expand(label, data)
            for caller, want in zip(CALLERS, row):
                extra, body = body_for(method, path, data)
                reply = request(server, method, path, {**bearer(credentials[caller]), **extra}, body)
                have = outcome(reply)
                got[(label, caller)] = have
                problems = shape_problems(label, method, path, reply, data, caller)
                cells += 1
                ok = have == want and not problems
                passed += ok
                check(ok, f"matrix {label} as {caller}: {have} (expected {want})"
                      + ("; " + "; ".join(problems) if problems else ""), quiet=True)
        print_table("Authorization matrix (Bearer credential; 303lgn = 303 to /login, 303acc to /access, "
                    "303rec to /access/record, 303srch to /search; '!' = differs from EXPECTED)", EXPECTED, got, CALLERS)

        # Web sessions: sign in with a token (/login) or a code (/access), then use the cookie.
        session_got = {}
        cookies = {}
        for caller in ("admin", "archivist", "clerk", "auditor", "citizen", "clerk-session", "citizen-session"):
            is_citizen = caller.startswith("citizen")
            form = {"code": data["codes"][caller]} if is_citizen else {"token": data["tokens"][caller]}
            reply = request(server, "POST", "/access" if is_citizen else "/login",
                            {"Content-Type": "application/x-www-form-urlencoded"}, urllib.parse.urlencode(form))
            cookie = (reply.header("set-cookie") or "").split(";")[0]
            want = "/access/record" if is_citizen else "/search"
            cells += 1
            ok = check(reply.status == 303 and reply.header("location") == want and cookie.startswith("sijill_session="),
                       f"session: {caller} signs in ({reply.status} > {reply.header('location')})", quiet=True)
            passed += ok
            cookies[caller] = {"Cookie": cookie}
        for label, row in SESSION_EXPECTED.items():
            method, path = expand(label, data)
            for caller, want in zip(CALLERS[:5], row):
                reply = request(server, method, path, cookies[caller])
                have = outcome(reply)
                session_got[(label, caller)] = have
                cells += 1
                ok = have == want
                passed += ok
                check(ok, f"session {label} as {caller}: {have} (expected {want})", quiet=True)
        print_table("Web sessions (cookie)", SESSION_EXPECTED, session_got, CALLERS[:5])

        # Bad credentials on the sign-in forms, each from a fresh address.
        for form_path, field, secret, name in (
            ("/login", "token", data["tokens"]["revoked"], "a revoked token"),
            ("/login", "token", "sjt_" + "A" * 43, "an unknown token"),
            ("/access", "code", data["codes"]["expired-code"], "an expired code"),
            ("/access", "code", data["codes"]["revoked-code"], "a revoked code"),
        ):
            reply = request(server, "POST", form_path, {"Content-Type": "application/x-www-form-urlencoded"},
                            urllib.parse.urlencode({field: secret}))
            cells += 1
            passed += check(reply.status == 401 and not reply.header("set-cookie"),
                            f"session: {form_path} refuses {name} ({reply.status})", quiet=True)

        # Revoking a token or a code ends the sessions opened with it.
        before = [request(server, "GET", "/search", cookies["clerk-session"]).status,
                  request(server, "GET", "/access/record", cookies["citizen-session"]).status]
        sijill(home, "token", "revoke", "clerk-session")
        sijill(home, "access", "revoke", str(data["session_grant"]))
        after = [outcome(request(server, "GET", "/search", cookies["clerk-session"])),
                 outcome(request(server, "GET", "/access/record", cookies["citizen-session"])),
                 outcome(request(server, "GET", expand("GET /v1/objects/{imgA}", data)[1], cookies["clerk-session"])),
                 outcome(request(server, "GET", expand("GET /v1/objects/{imgA}", data)[1], cookies["citizen-session"]))]
        cells += 1
        passed += check(before == [200, 200] and after == [L, A, 401, 401],
                        f"session: revoking the token and the code ends their sessions (before {before}, after {after})")

        # The failed-credential limit: 10 per address, then 429 even for a good token; other
        # addresses are not affected.
        source = fresh_source()
        statuses = [request(server, "GET", "/v1/search?q=x", bearer("sjt_" + "B" * 43), source=source).status
                    for _ in range(10)]
        blocked = request(server, "GET", "/v1/search?q=x", bearer(data["tokens"]["clerk"]), source=source)
        blocked_form = request(server, "POST", "/login", {"Content-Type": "application/x-www-form-urlencoded"},
                               urllib.parse.urlencode({"token": data["tokens"]["clerk"]}), source=source)
        elsewhere = request(server, "GET", "/v1/search?q=x", bearer(data["tokens"]["clerk"]))
        cells += 1
        passed += check(statuses == [401] * 10 and blocked.status == 429 and blocked_form.status == 429
                        and elsewhere.status == 200,
                        f"limit: 10 failures from one address → 429 there (API {blocked.status}, /login "
                        f"{blocked_form.status}), another address unaffected ({elsewhere.status})")
        errors = server.logged_errors()
        check(not errors, "matrix: server logged no unexpected failure" + "".join(f"\n       {e}" for e in errors[:5]))
    finally:
        server.stop()
    return cells, passed


# ---------------------------------------------------------------------------------------------


def schemathesis_version():
    proc = subprocess.run([sys.executable, "-c", "import schemathesis; print(schemathesis.__version__)"],
                          capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def ensure_schemathesis():
    """The version script/py-deps pins (installed by it when missing or different)."""
    pinned = re.search(r"SCHEMATHESIS_VERSION=(\S+)", (ROOT / "script/py-deps").read_text()).group(1)
    if schemathesis_version() != pinned:
        subprocess.run([str(ROOT / "script/py-deps")], check=True)
    return schemathesis_version()


def spec_operations():
    """(method, path template) of every operation in API/openapi.yaml (PyYAML comes with Schemathesis)."""
    import yaml
    paths = yaml.safe_load(SPEC.read_text())["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item
            if method in ("get", "head", "post", "put", "patch", "delete")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="Schemathesis examples per operation (admin pass)")
    parser.add_argument("--seed", type=int, default=20251127)
    parser.add_argument("--only", choices=["fuzz", "matrix"])
    parser.add_argument("--keep", action="store_true", help="keep the temporary home and reports")
    args = parser.parse_args()
    started = time.time()
    version = ensure_schemathesis()

    home = tempfile.mkdtemp(prefix="sijill-api-")
    workdir = os.path.join(home, "api-fuzz")
    os.makedirs(workdir)
    atexit.register(stop_all)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: sys.exit(130))
    results, cells, passed = [], 0, 0
    try:
        data = prepare(home)
        data["home"] = home
        server = Server(home, os.path.join(workdir, "server-setup.log"))
        try:
            collect_ids(server, data)
        finally:
            server.stop()
        print(f"setup: {len(data['records'])} records, copies {data['copy_a']} (A) and {data['copy_b']} (B) "
              f"in {time.time() - started:.0f} s")
        if args.only != "matrix":
            results = run_schemathesis(home, data, args.examples, args.seed, workdir)
        if args.only != "fuzz":
            cells, passed = run_matrix(home, data, workdir)
    except Exception as error:
        check(False, f"{type(error).__name__}: {error}")
    finally:
        stop_all()
        if args.keep:
            print(f"home kept at {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    print("\nSUMMARY")
    if results:
        operations = max(r["operations"] for r in results)
        requests = sum(r["requests"] for r in results)
        server_errors = sum(len(r["server_errors"]) for r in results)
        # ST1xx: a response that does not match the spec (status, content type, headers, body).
        conformance = sum(count for r in results for name, (count, _) in r["failures"].items() if name.startswith("ST1"))
        other = sum(count for r in results for name, (count, _) in r["failures"].items() if not name.startswith("ST1"))
        passes = ", ".join(f"{r['caller']} {r['requests']}" for r in results)
        print(f"  schemathesis {version}: {operations} operations, {requests} requests ({passes}), "
              f"{server_errors} 5xx, {conformance} schema failures, {other} other check failures")
    if cells:
        print(f"  matrix: {passed}/{cells} cells passed")
    print(f"  {'FAILED' if failures else 'PASSED'}: {len(failures)} failure(s) in {time.time() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
