"""End-to-end check of the Lambda functions (under `cargo lambda watch`) with real Cognito
tokens and SNS, both from moto, and DynamoDB Local. Used by scripts/suites/50-api.sh.

  e2e.py setup MOTO_URL            -> prints `export VAR=value` lines (pool, client, topic, token)
  e2e.py run   MOTO_URL WATCH_URL  -> the HTTP flow; asserts SNS events via an SQS subscription
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


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2])
    else:
        run(sys.argv[2], sys.argv[3])
