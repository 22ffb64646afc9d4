"""End-to-end check of the Lambda functions (under `cargo lambda watch`) with real Cognito
tokens and SNS, both from moto, and DynamoDB Local. Used by scripts/suites/50-api.sh.

  e2e.py setup MOTO_URL            -> prints `export VAR=value` lines (pool, client, topic, token)
  e2e.py run   MOTO_URL WATCH_URL  -> the HTTP flow; asserts SNS events via an SQS subscription
  e2e.py routes BASE_URL TOKEN     -> issue 18's routes only, against one server (the local one)
"""
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request

import boto3

REGION = "us-east-1"


def aws(kind, url):
    return boto3.client(kind, endpoint_url=url, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test")


def setup(moto):
    idp = aws("cognito-idp", moto)
    pool = idp.create_user_pool(PoolName="loansyncro-e2e")["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="web",
                                         ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH"])["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username="alice",
                          UserAttributes=[{"Name": "email", "Value": "alice@example.com"},
                                          {"Name": "name", "Value": "Alice"}])
    idp.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Secret-pass-123!", Permanent=True)
    auth = idp.admin_initiate_auth(UserPoolId=pool, ClientId=client, AuthFlow="ADMIN_NO_SRP_AUTH",
                                   AuthParameters={"USERNAME": "alice", "PASSWORD": "Secret-pass-123!"})
    token = auth["AuthenticationResult"]["IdToken"]
    sns, sqs = aws("sns", moto), aws("sqs", moto)
    topic = sns.create_topic(Name="loansyncro-events")["TopicArn"]
    queue = sqs.create_queue(QueueName="loansyncro-events-e2e")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "false"})
    env = {
        "LOANSYNCRO_COGNITO_USER_POOL_ID": pool,
        "LOANSYNCRO_COGNITO_REGION": REGION,
        "LOANSYNCRO_COGNITO_CLIENT_ID": client,
        "LOANSYNCRO_JWKS_URL": f"{moto}/{pool}/.well-known/jwks.json",
        "LOANSYNCRO_SNS_TOPIC_ARN": topic,
        "LOANSYNCRO_SNS_ENDPOINT": moto,
        "E2E_QUEUE_URL": queue,
        "E2E_TOKEN": token,
    }
    for k, v in env.items():
        print(f"export {k}='{v}'")


def call(method, url, token, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    elapsed = time.perf_counter() - started
    payload = json.loads(raw) if raw else None
    return status, payload, elapsed


def expect(cond, what, detail=""):
    if not cond:
        print(f"FAIL: {what} {detail}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def run(moto, watch):
    token = os.environ["E2E_TOKEN"]
    loans, reps = f"{watch}/lambda-url/loans", f"{watch}/lambda-url/repayments"
    start = (datetime.date.today() - datetime.timedelta(days=10)).isoformat()
    today = datetime.date.today().isoformat()
    body = {"title": "E2E car", "amount": "1000.00", "interest_rate": 12, "term_months": 12,
            "start_date": start, "description": "end to end"}
    s, loan, first = call("POST", f"{loans}/loans", token, body)
    expect(s == 201, "create a loan (loans Lambda, moto Cognito id token)", f"{s} {loan}")
    expect(loan["monthly_payment"] == "88.85", "monthly payment 88.85", loan.get("monthly_payment"))
    s, again, second = call("GET", f"{loans}/loans/{loan['id']}", token)
    expect(s == 200 and again["title"] == "E2E car", "read it back")
    print(f"figure: first request through cargo lambda watch {first*1000:.0f} ms, second {second*1000:.0f} ms")
    s, me, _ = call("GET", f"{loans}/me", token)
    expect(s == 200 and me["id"], "profile of the pool token's subject", me)
    print(f"note: /me email after first sight: {me.get('email')!r}")
    s, r1, _ = call("POST", f"{reps}/repayments", token,
                    {"loan_id": loan["id"], "amount": "88.85", "date": today}, {"Idempotency-Key": "e2e-1"})
    expect(s == 201, "record a repayment (repayments Lambda)", f"{s} {r1}")
    s, r1b, _ = call("POST", f"{reps}/repayments", token,
                     {"loan_id": loan["id"], "amount": "88.85", "date": today}, {"Idempotency-Key": "e2e-1"})
    expect(s == 200 and r1b["repayment"]["id"] == r1["repayment"]["id"], "idempotent retry returns the first result")
    s, pos, _ = call("GET", f"{loans}/loans/{loan['id']}/position?as_of={today}", token)
    expect(s == 200, "position", pos)
    payoff = pos["payoff_amount"]
    s, over, _ = call("POST", f"{reps}/repayments", token, {"loan_id": loan["id"], "amount": "99999", "date": today})
    expect(s == 422 and over["error"]["code"] == "overpayment", "overpayment is 422 with the payoff", over)
    s, r2, _ = call("POST", f"{reps}/repayments", token, {"loan_id": loan["id"], "amount": payoff, "date": today})
    expect(s == 201 and r2["loan"]["status"] == "paid", "paying the payoff makes the loan paid", f"{s} {r2 and r2.get('loan', {}).get('status')}")
    s, summary, _ = call("GET", f"{reps}/repayments/summary", token)
    expect(s == 200 and summary["currencies"][0]["counts"]["paid"] >= 1, "dashboard counts the paid loan", summary)
    s, grouped, _ = call("GET", f"{reps}/repayments?search=e2e", token)
    expect(s == 200 and grouped["items"][0]["repayment_count"] == 2, "grouped repayments", grouped)
    s, deleted, _ = call("DELETE", f"{reps}/repayments/{r2['repayment']['id']}", token)
    expect(s == 200 and deleted["loan"]["status"] == "active", "deleting a repayment reopens the loan", deleted)
    s, _, _ = call("GET", f"{loans}/loans", "not-a-token")
    expect(s == 401, "a bad token is 401")

    sqs = aws("sqs", moto)
    queue = os.environ["E2E_QUEUE_URL"]
    events = []
    deadline = time.time() + 20
    while time.time() < deadline and not {"loan.created", "repayment.recorded", "loan.paid"} <= set(events):
        got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in got.get("Messages", []):
            envelope = json.loads(m["Body"])
            message = json.loads(envelope["Message"])
            attr = envelope.get("MessageAttributes", {}).get("event", {}).get("Value")
            expect(attr == message["event"], f"SNS event {message['event']} has the event attribute")
            expect("email" not in message, "no e-mail in the event")
            events.append(message["event"])
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    expect({"loan.created", "repayment.recorded", "loan.paid"} <= set(events), "SNS events published", events)
    expect(events.count("repayment.recorded") == 2, "one repayment.recorded per recorded repayment", events)
    # After the event count above: these routes write a loan and a repayment of their own.
    new_routes(loans, reps, token)


def call_raw(method, url, token, body=None, content_type="application/json", headers=None):
    """(status, headers, text) of a request whose answer may not be JSON (CSV)."""
    req = urllib.request.Request(url, data=None if body is None else body.encode(), method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        req.add_header("Content-Type", content_type)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, resp.headers, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def new_routes(loans, reps, token):
    """Issue 18's routes: CSV exports, payoff quote, what-if, planner, PATCH, date errors.
    Exact values on a loan with fixed dates (1000.00 at 12 % over 12 months from 2025-01-01)."""
    body = {"title": "E2E quotes", "amount": "1000.00", "interest_rate": "12", "term_months": 12,
            "start_date": "2025-01-01"}
    s, loan, _ = call("POST", f"{loans}/loans", token, body)
    expect(s == 201, "create the fixed-date loan", f"{s} {loan}")
    lid = loan["id"]
    s, h, text = call_raw("GET", f"{loans}/loans/{lid}/schedule?format=csv", token)
    lines = text.split("\r\n")
    expect(s == 200 and h["Content-Type"] == "text/csv; charset=utf-8"
           and h["Content-Disposition"] == f'attachment; filename="schedule-{lid}.csv"', "schedule CSV headers", f"{s} {dict(h)}")
    expect(lines[0] == "number,due_date,payment,interest,principal,balance,deferred_interest,extra_principal"
           and lines[1] == "1,2025-02-01,88.85,10.00,78.85,921.15,0.00,0.00" and len(lines) == 14, "schedule CSV rows", lines[:2])
    s, q, _ = call("GET", f"{loans}/loans/{lid}/payoff?as_of=2025-01-16", token)
    expect(s == 200 and (q["principal"], q["accrued_interest"], q["fees"], q["total"], q["good_through"])
           == ("1000.00", "4.84", "0.00", "1004.84", "2025-01-16"), "payoff quote on 2025-01-16", q)
    s, w, _ = call("POST", f"{loans}/loans/{lid}/what-if", token, {"recurring": "100"})
    expect(s == 200 and w["base"]["total_interest"] == "66.19" and w["installments_saved"] > 0
           and w["base"]["installments"] - w["scenario"]["installments"] == w["installments_saved"],
           "what-if: 100 extra a month shortens the loan", w)
    s, p, _ = call("POST", f"{loans}/plan", token, {"monthly_budget": "1000", "start": "2025-07-01"})
    expect(s == 200 and lid in [l["loan_id"] for l in p["loans"]] and p["months"][0]["date"] == "2025-07-01"
           and p["months"][-1]["balance"] == "0.00" and len(p["months"]) == p["months_to_debt_free"],
           "plan over the user's loans", p and {k: p.get(k) for k in ("months_to_debt_free", "total_interest")})
    s, _, _ = call("POST", f"{reps}/repayments", token, {"loan_id": lid, "amount": "88.85", "date": "2025-02-01",
                                                         "notes": "first, on time"})
    expect(s == 201, "record a repayment on the fixed-date loan")
    s, _, text = call_raw("GET", f"{reps}/repayments?format=csv", token)
    expect(s == 200 and text.startswith("id,loan_id,loan_title,currency,date,amount,notes,idempotency_key\r\n")
           and f",{lid},E2E quotes,USD,2025-02-01,88.85,\"first, on time\"," in text, "repayments CSV", text[:300])
    s, h, text = call_raw("PATCH", f"{loans}/loans/{lid}", token, '{"title": "E2E quotes (patched)"}',
                          "application/merge-patch+json", {"If-Match": '"2"'})
    patched = json.loads(text)
    expect(s == 200 and patched["title"] == "E2E quotes (patched)" and h["ETag"] == '"3"'
           and patched["monthly_payment"] == "88.85", "PATCH the title (If-Match, new ETag)", f"{s} {text[:200]}")
    s, _, text = call_raw("PATCH", f"{loans}/loans/{lid}", token, '{"amount": "5"}', "application/merge-patch+json")
    expect(s == 400 and json.loads(text)["error"]["field"] == "amount", "PATCH of a financial field is 400 naming it", text)
    s, e, _ = call("GET", f"{loans}/loans/{lid}/payoff?as_of=01/16/2025", token)
    expect(s == 400 and e["error"]["field"] == "as_of"
           and e["error"]["message"] == 'expected YYYY-MM-DD, got "01/16/2025"', "a date error names field and format", e)
    s, _, _ = call("DELETE", f"{loans}/loans/{lid}", token)
    expect(s == 204, "delete the fixed-date loan")


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2])
    elif sys.argv[1] == "routes":
        # Issue 18's routes alone, against one server (e.g. the local server): BASE TOKEN.
        new_routes(sys.argv[2], sys.argv[2], sys.argv[3])
    else:
        run(sys.argv[2], sys.argv[3])
