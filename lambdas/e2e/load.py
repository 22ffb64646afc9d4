"""p50/p99 latency of POST /repayments and GET /repayments/summary on the local server (memory
store), one keep-alive connection per worker, bounded by count and time, loopback only.
Usage: load.py BASE_URL TOKEN [REQUESTS] [WORKERS]"""
import datetime, http.client, json, statistics, sys, threading, time, urllib.parse

base, token = sys.argv[1], sys.argv[2]
total = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
workers = int(sys.argv[4]) if len(sys.argv) > 4 else 2
u = urllib.parse.urlparse(base)
H = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def conn():
    return http.client.HTTPConnection(u.hostname, u.port, timeout=10)


def req(c, method, path, body=None):
    c.request(method, path, body=None if body is None else json.dumps(body), headers=H)
    r = c.getresponse()
    r.read()
    return r.status


c = conn()
start = (datetime.date.today() - datetime.timedelta(days=5)).isoformat()
loans = []
for i in range(workers):
    c.request("POST", "/loans", body=json.dumps({"title": f"load {i}", "amount": "100000000", "interest_rate": "5",
                                                 "term_months": 360, "start_date": start}), headers=H)
    r = c.getresponse(); loans.append(json.loads(r.read())["id"])


def bench(name, make):
    lat, errors = [], []
    deadline = time.time() + 60

    def worker(k):
        cc = conn()
        for _ in range(total // workers):
            if time.time() > deadline:
                break
            method, path, body = make(k)
            t = time.perf_counter()
            s = req(cc, method, path, body)
            lat.append((time.perf_counter() - t) * 1000)
            if s >= 300:
                errors.append(s)

    ts = [threading.Thread(target=worker, args=(k,)) for k in range(workers)]
    t0 = time.perf_counter()
    [t.start() for t in ts]; [t.join() for t in ts]
    wall = time.perf_counter() - t0
    lat.sort()
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    print(f"{name}: {len(lat)} requests, {workers} workers, {len(lat)/wall:.0f} req/s, "
          f"p50 {p(0.50):.2f} ms, p99 {p(0.99):.2f} ms, max {lat[-1]:.2f} ms, non-2xx {len(errors)}")


today = datetime.date.today().isoformat()
bench("POST /repayments", lambda k: ("POST", "/repayments", {"loan_id": loans[k], "amount": "1.00", "date": today}))
bench("GET /repayments/summary", lambda k: ("GET", "/repayments/summary", None))
