"""Fault injection against the local server (issue 15), loopback only, bounded in time.

Starts (and stops, by PID, also recorded in PIDFILE for the suite's trap) DynamoDB Local on a
disk database, a JWKS stub (a thread of this process, with switchable failures) and
loansyncro-server processes, then checks and measures:

  poison   dates outside 1900-01-01..2199-12-31 are 400 naming the field; a corrupt loan and a
           corrupt repayment written straight into DynamoDB Local do not take listings or the
           summary down, and the corrupt loan can be deleted by id
  kill     8 clients record repayments (idempotency keys, retried with the same key) while
           DynamoDB Local is killed (SIGTERM) and restarted: every answer within the bound,
           nothing lost, nothing duplicated
  stop     the same with DynamoDB Local stopped (SIGSTOP, a stalled connection) then resumed
  jwks     the JWKS answers 500 / 404 / garbage / slowly (10 s) and recovers: 503 (never 401)
           while no key is known, last good keys keep serving, time until valid tokens work
           (an unknown kid while the provider fails is 503: lambdas/api/tests/auth.rs)

Usage: faults.py SERVER_BIN DDB_JAR WORKDIR PIDFILE
Exit status 1 when a check fails; figures are printed either way.
"""
import base64, random, http.client, http.server, json, os, signal, socket, subprocess, sys, threading, time

SERVER_BIN, DDB_JAR, WORKDIR, PIDFILE = sys.argv[1:5]
BOUND_S = 3.0  # every request answers within this, whatever DynamoDB does
RECOVERY_S = 2.0  # valid tokens work again within this after the JWKS recovers
CLIENT_ID = "faults"
failures = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# ------------------------------------------------------------------------------------------
# Identity provider: an RSA-2048 key, RS256 access tokens, a JWKS stub with switchable faults
# ------------------------------------------------------------------------------------------
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "faults-kid"
JWKS_PORT = free_port()
ISSUER = f"http://127.0.0.1:{JWKS_PORT}/pool"
MODE = {"value": "good", "hits": 0}


def jwks():
    numbers = KEY.public_key().public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
    return {"keys": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": KID, "n": b64u(n), "e": b64u(e)}]}


def token(sub, kid=KID):
    now = int(time.time())
    header = b64u(json.dumps({"alg": "RS256", "typ": "JWT", "kid": kid}).encode())
    claims = {"sub": sub, "iss": ISSUER, "token_use": "access", "client_id": CLIENT_ID,
              "iat": now, "exp": now + 3600}
    payload = b64u(json.dumps(claims).encode())
    signature = KEY.sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{payload}.{b64u(signature)}"


class Jwks(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        MODE["hits"] += 1
        mode = MODE["value"]
        if mode == "slow":
            time.sleep(10)
        if mode in ("500", "404"):
            body, status = b"{}", int(mode)
        elif mode == "garbage":
            body, status = b"<html>oops", 200
        else:
            body, status = json.dumps(jwks()).encode(), 200
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass


jwks_server = http.server.ThreadingHTTPServer(("127.0.0.1", JWKS_PORT), Jwks)
jwks_server.daemon_threads = True
threading.Thread(target=jwks_server.serve_forever, daemon=True).start()

# ------------------------------------------------------------------------------------------
# Processes
# ------------------------------------------------------------------------------------------
children = []


def spawn(cmd, log, env=None):
    p = subprocess.Popen(cmd, stdout=open(os.path.join(WORKDIR, log), "ab"), stderr=subprocess.STDOUT, env=env)
    children.append(p)
    with open(PIDFILE, "a") as f:
        f.write(f"{p.pid}\n")
    return p


def stop(p):
    if p.poll() is None:
        try:
            os.kill(p.pid, signal.SIGCONT)
        except OSError:
            pass
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


DDB_PORT = free_port()
DDB_ENDPOINT = f"http://127.0.0.1:{DDB_PORT}"
DDB_DIR = os.path.join(WORKDIR, "ddb-data")
os.makedirs(DDB_DIR, exist_ok=True)


def ddb(target, body):
    c = http.client.HTTPConnection("127.0.0.1", DDB_PORT, timeout=5)
    c.request("POST", "/", body=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{target}",
        "Authorization": "AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/dynamodb/aws4_request, "
                         "SignedHeaders=host, Signature=0"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, json.loads(data or b"{}")


def start_ddb():
    lib = os.path.join(os.path.dirname(DDB_JAR), "DynamoDBLocal_lib")
    p = spawn(["java", f"-Djava.library.path={lib}", "-jar", DDB_JAR, "-sharedDb", "-dbPath", DDB_DIR,
               "-disableTelemetry", "-port", str(DDB_PORT)], "ddb.log")
    for _ in range(240):
        try:
            if ddb("ListTables", {})[0] == 200:
                return p
        except OSError:
            pass
        if p.poll() is not None:
            raise SystemExit("DynamoDB Local exited early")
        time.sleep(0.25)
    raise SystemExit("DynamoDB Local did not come up")


def start_server(dynamo, log):
    port = free_port()
    env = dict(os.environ, LOANSYNCRO_COGNITO_CLIENT_ID=CLIENT_ID, LOANSYNCRO_JWT_ISSUER=ISSUER,
               AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local", AWS_REGION="us-east-1",
               RUST_LOG="warn")
    env.pop("LOANSYNCRO_DYNAMODB_ENDPOINT", None)
    env.pop("LOANSYNCRO_DEV_IDENTITY", None)
    if dynamo:
        env.update(LOANSYNCRO_DYNAMODB_ENDPOINT=DDB_ENDPOINT, LOANSYNCRO_TABLE_PREFIX="faults_")
    p = spawn([SERVER_BIN, "--port", str(port)], log, env)
    for _ in range(240):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/openapi.json")
            if c.getresponse().status == 200:
                return p, port
        except OSError:
            pass
        if p.poll() is not None:
            raise SystemExit(f"server exited early, see {log}")
        time.sleep(0.1)
    raise SystemExit("server did not come up")


def call(port, method, path, tok=None, body=None, headers=None, timeout=30):
    """(status, json body, seconds); status 0 when the connection failed or timed out."""
    h = {"Content-Type": "application/json"}
    if tok:
        h["Authorization"] = f"Bearer {tok}"
    h.update(headers or {})
    t = time.perf_counter()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request(method, path, body=None if body is None else json.dumps(body), headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data
        return r.status, parsed, time.perf_counter() - t
    except OSError:
        return 0, None, time.perf_counter() - t


LOAN = {"title": "faults", "amount": "100000000", "interest_rate": "5", "term_months": 360,
        "start_date": "2025-01-01"}

# ------------------------------------------------------------------------------------------
# Scenarios
# ------------------------------------------------------------------------------------------


def poison(port):
    alice = token("alice")
    for date in ["+10000-01-01", "-0001-01-01"]:
        s, b, _ = call(port, "POST", "/loans", alice, dict(LOAN, start_date=date))
        check(s == 400 and b["error"]["field"] == "start_date", f"POST /loans start_date {date}: 400 naming start_date ({s})")
    s, good, _ = call(port, "POST", "/loans", alice, LOAN)
    check(s == 201, "good loan created")
    s, b, _ = call(port, "POST", "/repayments", alice, {"loan_id": good["id"], "amount": "10.00", "date": "2025-02-01"})
    check(s == 201, "good repayment recorded")
    s, b, _ = call(port, "POST", "/repayments", alice, {"loan_id": good["id"], "amount": "10.00", "date": "+10000-01-01"})
    check(s == 400 and b["error"]["field"] == "date", f"POST /repayments date +10000-01-01: 400 naming date ({s})")
    S = lambda v: {"S": v}
    N = lambda v: {"N": v}
    ddb("PutItem", {"TableName": "faults_loans", "Item": {
        "id": S("loan_poisoned"), "user_id": S("alice"), "title": S("Poisoned"), "amount": N("500"),
        "interest_rate": N("3"), "term_months": N("6"), "start_date": S("+10000-01-01"),
        "created_at": S("2025-01-01T00:00:00Z")}})
    ddb("PutItem", {"TableName": "faults_repayments", "Item": {
        "id": S("rep_poisoned"), "loan_id": S(good["id"]), "user_id": S("alice"), "amount": S("ten"),
        "payment_date": S("-0001-01-01")}})
    s, b, _ = call(port, "GET", "/loans", alice)
    check(s == 200 and [l["id"] for l in b["items"]] == [good["id"]], f"GET /loans with a corrupt loan stored: 200, the good loan ({s})")
    s, b, _ = call(port, "GET", "/repayments/summary", alice)
    check(s == 200, f"GET /repayments/summary with corrupt items stored: 200 ({s})")
    s, b, _ = call(port, "GET", "/repayments", alice)
    check(s == 200 and len(b["items"]) == 1 and len(b["items"][0]["repayments"]) == 1,
          f"GET /repayments: 200, the readable repayment only ({s})")
    s, _, _ = call(port, "DELETE", "/loans/loan_poisoned", token("mallory"))
    check(s == 404, f"another user cannot delete the corrupt loan (404, got {s})")
    s, _, _ = call(port, "DELETE", "/loans/loan_poisoned", alice)
    check(s == 204, f"DELETE /loans/loan_poisoned by its owner: 204 ({s})")
    _, item = ddb("GetItem", {"TableName": "faults_loans", "Key": {"id": S("loan_poisoned")}})
    check("Item" not in item, "the corrupt loan is gone")


def under_load(port, fault, hold_s):
    """8 clients record repayments while `fault` is applied for `hold_s` seconds."""
    user = f"load-{fault}"
    tok = token(user)
    s, loan, _ = call(port, "POST", "/loans", tok, LOAN)
    if s != 201:
        check(False, f"{fault}: loan created ({s})")
        return
    stop_at = {"t": float("inf")}
    results = []  # (key, final status)
    answers = []  # (seconds, status) of every answer
    history = {}  # key -> [(t, status)]
    t_start = time.time()
    lock = threading.Lock()

    def client(n):
        i = 0
        while time.time() < stop_at["t"]:
            key = f"{fault}-c{n}-{i}"
            i += 1
            body = {"loan_id": loan["id"], "amount": "1.00", "date": "2025-02-01"}
            for _attempt in range(400):
                s, b, secs = call(port, "POST", "/repayments", tok, body, {"Idempotency-Key": key}, timeout=30)
                with lock:
                    answers.append((secs, s))
                    history.setdefault(key, []).append((round(time.time() - t_start, 2), s))
                if s in (200, 201):
                    with lock:
                        results.append((key, s))
                    break
                if s not in (0, 503):
                    with lock:
                        results.append((key, s))
                    break
                time.sleep(0.1)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    [t.start() for t in threads]
    time.sleep(1.5)
    global ddb_proc
    fault_started = time.time()
    if fault == "kill":
        # SIGTERM, not SIGKILL: to the service both are the same (the database is gone, connections
        # refused) but in 1 of 7 SIGKILL runs DynamoDB Local itself lost an item it had
        # acknowledged 1.5 s before (the repayment's 201 came after a committed
        # TransactWriteItems), which is the emulator's durability, not this service's.
        os.kill(ddb_proc.pid, signal.SIGTERM)
        ddb_proc.wait()
        time.sleep(hold_s)
        ddb_proc = start_ddb()
    else:
        os.kill(ddb_proc.pid, signal.SIGSTOP)
        time.sleep(hold_s)
        os.kill(ddb_proc.pid, signal.SIGCONT)
    back = time.time()
    time.sleep(1.5)
    stop_at["t"] = time.time()
    [t.join() for t in threads]
    worst = max(secs for secs, _ in answers)
    codes = sorted({s for _, s in answers})
    n503 = sum(1 for _, s in answers if s == 503)
    other = [(k, s) for k, s in results if s not in (200, 201)]
    s, listed, _ = call(port, "GET", f"/repayments/loan/{loan['id']}", tok)
    keys = [r["idempotency_key"] for r in listed["items"]] if s == 200 else []
    sent = {k for k, _ in results}
    lost = sorted(sent - set(keys))
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    foreign = sorted(set(keys) - sent)
    print(f"figure {fault}: DynamoDB {('killed' if fault == 'kill' else 'stopped')} {hold_s:.0f} s "
          f"(back after {back - fault_started:.1f} s): {len(answers)} answers, statuses {codes}, {n503} x 503, "
          f"worst answer {worst:.2f} s; {len(sent)} repayments confirmed, {len(keys)} stored, "
          f"lost {len(lost)}, duplicated {len(duplicated)}, unconfirmed-but-stored {len(foreign)}", flush=True)
    for key in lost[:3]:
        _, scan = ddb("Scan", {"TableName": "faults_repayments", "FilterExpression": "idempotency_key = :k",
                               "ExpressionAttributeValues": {":k": {"S": key}}})
        guard = [k for k, s in results if k == key]
        print(f"  lost {key}: answers {history.get(key)} (fault at {fault_started - t_start:.2f} s), items with that key in the table: {scan.get('Items')}", flush=True)
    check(worst <= BOUND_S, f"{fault}: every answer within {BOUND_S} s (worst {worst:.2f} s)")
    check(all(s in (0, 200, 201, 503) for _, s in answers) and 0 not in codes, f"{fault}: only 200/201/503 answers ({codes})")
    check(not other, f"{fault}: no client gave up or got another error ({other[:3]})")
    check(not lost and not duplicated and not foreign, f"{fault}: nothing lost or duplicated ({lost[:3]} {duplicated[:3]} {foreign[:3]})")
    check(n503 > 0, f"{fault}: the fault was seen (503s: {n503})")


def wait_valid(port, tok, limit):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        s, _, _ = call(port, "GET", "/loans", tok, timeout=5)
        if s == 200:
            return time.perf_counter() - t0
        time.sleep(0.05)
    return None


def jwks_faults():
    alice = token("alice")
    # Fresh servers (no key known yet) while the provider fails, then recovery.
    for failing in ["500", "404", "garbage"]:
        MODE["value"] = failing
        p, port = start_server(False, f"server-jwks-{failing}.log")
        statuses = set()
        t_end = time.time() + 2.5
        while time.time() < t_end:
            s, b, secs = call(port, "GET", "/loans", alice, timeout=10)
            statuses.add(s)
            time.sleep(0.1)
        check(statuses == {503}, f"JWKS {failing}, no key known: 503 not 401 ({sorted(statuses)})")
        # Recover at a random point of the refresh backoff cycle (requests keep coming).
        pause = random.uniform(0, 1.5)
        t_end = time.time() + pause
        while time.time() < t_end:
            call(port, "GET", "/loans", alice, timeout=10)
            time.sleep(0.1)
        MODE["value"] = "good"
        took = wait_valid(port, alice, 10)
        print(f"figure jwks-{failing}: valid tokens work {took if took is None else round(took, 2)} s after the JWKS recovered", flush=True)
        check(took is not None and took <= RECOVERY_S, f"JWKS {failing}: valid again within {RECOVERY_S} s ({took})")
        # Keys known: the provider fails again, the last good keys keep serving.
        MODE["value"] = failing
        seen = {call(port, "GET", "/loans", alice, timeout=10)[0] for _ in range(5)}
        check(seen == {200}, f"JWKS {failing} with keys known: valid tokens keep working ({sorted(seen)})")
        MODE["value"] = "good"
        stop(p)
    # A slow provider (10 s) and 8 concurrent requests on a fresh server.
    MODE["value"] = "slow"
    MODE["hits"] = 0
    p, port = start_server(False, "server-jwks-slow.log")
    out = []
    ts = [threading.Thread(target=lambda: out.append(call(port, "GET", "/loans", alice, timeout=20))) for _ in range(8)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    worst = max(secs for _, _, secs in out)
    check(sorted({s for s, _, _ in out}) == [503], f"JWKS slow: 8 concurrent requests all 503 ({sorted({s for s, _, _ in out})})")
    check(worst <= BOUND_S, f"JWKS slow: answered within {BOUND_S} s (worst {worst:.2f} s)")
    check(MODE["hits"] == 1, f"JWKS slow: one fetch in flight (single flight), got {MODE['hits']}")
    MODE["value"] = "good"
    took = wait_valid(port, alice, 15)
    print(f"figure jwks-slow: 8 concurrent answers 503 in {worst:.2f} s at worst; valid again "
          f"{took if took is None else round(took, 2)} s after the JWKS became fast", flush=True)
    stop(p)


try:
    ddb_proc = start_ddb()
    server, port = start_server(True, "server-ddb.log")
    only = os.environ.get("FAULTS_ONLY", "poison kill stop jwks").split()
    for name, run in [("poison", lambda: poison(port)), ("kill", lambda: under_load(port, "kill", 3.0)),
                      ("stop", lambda: under_load(port, "stop", 5.0)), ("jwks", jwks_faults)]:
        if name in only:
            t = time.time()
            run()
            print(f"time {name} {time.time() - t:.1f} s", flush=True)
    stop(server)
finally:
    for p in children:
        stop(p)
    jwks_server.shutdown()

if failures:
    print(f"{len(failures)} fault check(s) failed", file=sys.stderr)
    sys.exit(1)
print("fault checks passed")
