"""Cold start of a Lambda binary: process start to first response, under a minimal Lambda
Runtime API emulator on loopback (one API Gateway HTTP v2 event: GET /openapi.json).
Usage: coldstart.py BINARY [RUNS]   (configuration variables come from the environment)"""
import http.server, json, os, statistics, subprocess, sys, threading, time

EVENT = {"version": "2.0", "routeKey": "$default", "rawPath": "/openapi.json", "rawQueryString": "",
         "headers": {"host": "localhost"}, "isBase64Encoded": False,
         "requestContext": {"http": {"method": "GET", "path": "/openapi.json", "protocol": "HTTP/1.1",
                                     "sourceIp": "127.0.0.1", "userAgent": "coldstart"},
                            "requestId": "r1", "routeKey": "$default", "stage": "$default",
                            "accountId": "123", "apiId": "api", "domainName": "localhost",
                            "domainPrefix": "localhost", "time": "", "timeEpoch": 0}}


def run_once(binary):
    done = threading.Event()
    state = {"served": False}

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            if state["served"]:
                time.sleep(5)
            state["served"] = True
            body = json.dumps(EVENT).encode()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "req-1")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123:function:f")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            payload = self.rfile.read(length)
            state["status"] = json.loads(payload).get("statusCode") if payload else None
            state["at"] = time.perf_counter()
            self.send_response(202)
            self.end_headers()
            done.set()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}",
               AWS_LAMBDA_FUNCTION_NAME="f", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512",
               AWS_LAMBDA_FUNCTION_VERSION="1", AWS_LAMBDA_LOG_STREAM_NAME="s", AWS_LAMBDA_LOG_GROUP_NAME="g",
               RUST_LOG="warn")
    started = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = done.wait(10)
    proc.kill()
    proc.wait()
    server.shutdown()
    if not ok or state.get("status") != 200:
        sys.exit(f"no 200 response (status {state.get('status')})")
    return (state["at"] - started) * 1000


if __name__ == "__main__":
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    times = sorted(run_once(sys.argv[1]) for _ in range(runs))
    print(f"cold start (process start -> first response), {runs} runs: median {statistics.median(times):.1f} ms, "
          f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms")
