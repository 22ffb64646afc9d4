"""The Terraform agrees with the Rust sources it deploys.

Everything on the Rust side is parsed from the sources (lambdas/**, adapters/dynamodb,
adapters/sns), nothing is copied here: a binary that starts reading a new environment variable,
a new route, a new table/index or a new SDK call makes these tests fail until deploy/terraform
follows.
"""

from __future__ import annotations

import re
import warnings

import pytest

import rustsrc as rs
from tf import Config

REPO = rs.REPO

# Variables the binaries read that the Terraform must NOT set, and why.
RUNTIME_PROVIDED = {
    "AWS_REGION": "set by the Lambda runtime (a reserved variable that cannot be configured)",
    "AWS_DEFAULT_REGION": "set by the Lambda runtime",
}
LOCAL_ONLY = {
    "LOANSYNCRO_DYNAMODB_ENDPOINT": "points the adapter at DynamoDB Local with dummy credentials",
    "LOANSYNCRO_SNS_ENDPOINT": "points the notifier at a local emulator (moto) with dummy credentials",
    "LOANSYNCRO_JWT_ISSUER": "a local identity provider instead of the Cognito pool (issuer derives from pool id + region)",
    "LOANSYNCRO_JWKS_URL": "a local identity provider's keys (Cognito's are at <issuer>/.well-known/jwks.json)",
}

# DynamoDB helpers for tests and local development, never called by the functions (asserted
# below): their actions (CreateTable, DeleteTable, DescribeTable while waiting) are not granted.
DYNAMODB_DEV_ONLY_FNS = {"create_tables", "delete_tables", "wait_active", "create_plans_table", "delete_plans_table"}
# Start-up check: granted (DescribeTable) only if the Lambda code calls it.
DYNAMODB_STARTUP_CHECK_FNS = {"check_tables"}


@pytest.fixture(scope="module")
def tf() -> Config:
    return Config()


@pytest.fixture(scope="module")
def crates():
    return rs.workspace()


def functions(tf: Config) -> dict[str, dict]:
    return tf.locals["functions"]


def lambda_crate_files(binary: str, crates) -> list:
    """The runtime sources of a Lambda binary: its crate, the workspace crates it depends on,
    and the AWS adapters it runs on (included even before the dependency is declared)."""
    crate = rs.crate_of_binary(binary, crates)
    deps = rs.path_dependencies(crate, crates)
    for adapter in ("loansyncro-dynamodb", "loansyncro-sns"):
        if adapter in crates and crates[adapter] not in deps:
            deps.append(crates[adapter])
    files = list(crate.sources(include_bins=True))
    for d in deps:
        files += d.sources(include_bins=False)
    return files


def lambda_sources(crates) -> list:
    files = []
    for name in ("loansyncro-api", "loansyncro-lambda-loans", "loansyncro-lambda-repayments", "loansyncro-lambda-recurring"):
        if name in crates:
            files += crates[name].sources(include_bins=True)
    return files


# ---------------------------------------------------------------------------------------------
# Environment variables
# ---------------------------------------------------------------------------------------------


def test_every_function_runs_a_workspace_binary(tf, crates):
    fns = functions(tf)
    assert set(fns) == {"loans", "repayments"}, fns
    for key, spec in fns.items():
        crate = rs.crate_of_binary(spec["binary"], crates)
        assert crate.bins[spec["binary"]].exists(), f"{crate.name}: {crate.bins[spec['binary']]} missing"


def missing_variables(read: set[str], configured: set[str]) -> set[str]:
    return read - set(RUNTIME_PROVIDED) - set(LOCAL_ONLY) - configured


@pytest.mark.parametrize("function", ["loans", "repayments"])
def test_environment_is_exactly_what_the_binary_reads(tf, crates, function):
    spec = functions(tf)[function]
    reads = rs.env_reads(lambda_crate_files(spec["binary"], crates))
    assert not reads.unresolved, f"cannot resolve these variable names: {reads.unresolved}"
    # Sanity: the parser sees the variables we know exist (guards against a parser that finds nothing).
    assert {"LOANSYNCRO_COGNITO_CLIENT_ID", "LOANSYNCRO_TABLE_PREFIX"} <= reads.names, reads.names

    lam = tf.resource("aws_lambda_function", "api")
    env_blocks = lam["environment"]
    assert len(env_blocks) == 1
    env = tf.local(env_blocks[0]["variables"])
    configured = set(env)

    missing = missing_variables(reads.names, configured)
    assert not missing, (
        f"the {function} binary reads {sorted(missing)} "
        f"({ {m: reads.where[m] for m in missing} }) but deploy/terraform/compute.tf does not set them"
    )
    unused = configured - reads.names
    assert not unused, f"compute.tf sets {sorted(unused)}, which the {function} binary never reads"
    wrong = configured & (set(RUNTIME_PROVIDED) | set(LOCAL_ONLY))
    assert not wrong, f"must not be set in AWS: { {w: {**RUNTIME_PROVIDED, **LOCAL_ONLY}[w] for w in wrong} }"


def test_local_only_variables_are_still_read(crates):
    """Keeps the exception list honest: an entry nobody reads any more must go."""
    reads = rs.env_reads(lambda_crate_files("loans", crates))
    stale = set(LOCAL_ONLY) - reads.names
    assert not stale, f"LOCAL_ONLY lists variables nothing reads: {sorted(stale)}"


def test_table_variables_point_at_their_tables(tf):
    env = tf.local(tf.resource("aws_lambda_function", "api")["environment"][0]["variables"])
    for table in ("users", "loans", "repayments", "recurring_plans"):
        assert env[f"{table.upper()}_TABLE"] == f"${{aws_dynamodb_table.{table}.name}}"
    assert env["LOANSYNCRO_TABLE_PREFIX"] == "${local.table_prefix}"
    for table in ("users", "loans", "repayments", "recurring_plans"):
        assert tf.resource("aws_dynamodb_table", table)["name"] == f"${{local.table_prefix}}{table}"


def test_adapter_maps_table_variables_to_the_same_tables():
    text = rs.clean((REPO / "adapters/dynamodb/src/config.rs").read_text())
    envs = rs.consts(text)["TABLE_ENVS"]
    pairs = re.findall(r"var\(TABLE_ENVS\[(\d)\]\)\s*\{\s*names\.(\w+)\s*=", text)
    assert pairs, "TableNames::from_env no longer has the expected shape"
    for index, field in pairs:
        assert envs[int(index)] == f"{field.upper()}_TABLE", (envs[int(index)], field)
    with_prefix = rs.find_fn(text, "with_prefix").body
    assert set(re.findall(r'format!\("\{prefix\}(\w+)"\)', with_prefix)) == {"users", "loans", "repayments", "recurring_plans"}
    # The plans table has its own variable constant.
    assert rs.consts(text)["RECURRING_PLANS_TABLE_ENV"] == ["RECURRING_PLANS_TABLE"]
    assert re.search(r"var\(RECURRING_PLANS_TABLE_ENV\)\s*\{\s*names\.recurring_plans\s*=", text)


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def adapter_tables() -> dict[str, dict]:
    """The tables as adapters/dynamodb/src/schema.rs creates them."""
    text = rs.clean((REPO / "adapters/dynamodb/src/schema.rs").read_text())
    consts = rs.consts(text)
    defs = rs.find_fn(text, "table_definitions").body
    triples = re.findall(r"\(\s*tables\.(\w+)\.clone\(\)\s*,\s*(\w+|\"[^\"]+\")\s*,\s*\"([^\"]+)\"\s*\)", defs)
    assert len(triples) == 3, f"table_definitions changed shape: {defs!r}"

    def value(tok: str) -> str:
        return tok.strip('"') if tok.startswith('"') else consts[tok][0]

    create = rs.find_fn(text, "create_tables").body
    chain = create[create.index(".create_table()") :]
    chain = chain[: chain.index(".send()")]
    billing = re.search(r"BillingMode::(\w+)", chain).group(1)
    hash_keys = re.findall(r"\.key_schema\(key\(\"(\w+)\"\)", chain)
    attrs = re.findall(r"\.attribute_definitions\((\w+)\((\"?\w+\"?)\)", chain)
    projection = re.search(r"ProjectionType::(\w+)", create).group(1)
    assert "range" not in chain.lower() and "KeyType::Range" not in text, "a sort key appeared: mirror it"
    assert "local_secondary_indexes" not in chain, "an LSI appeared: mirror it"

    # The attribute helper decides the type; the key helper the key type.
    type_of_helper = {}
    for f in rs.functions(text):
        m = re.search(r"ScalarAttributeType::(\w+)", f.body)
        if m and "attribute_name" in f.body:
            type_of_helper[f.name] = {"S": "S", "N": "N", "B": "B"}[m.group(1)]
    assert "KeyType::Hash" in rs.find_fn(text, "key").body

    billing_tf = {"PayPerRequest": "PAY_PER_REQUEST", "Provisioned": "PROVISIONED"}[billing]
    tables = {}
    for field, index_tok, index_key in triples:
        attributes = {}
        for helper, arg in attrs:
            name = arg.strip('"') if arg.startswith('"') else index_key  # `index_key` is the loop variable
            attributes[name] = type_of_helper[helper]
        tables[field] = {
            "billing": billing_tf,
            "hash_key": hash_keys[0],
            "attributes": attributes,
            "gsis": {value(index_tok): {"hash_key": index_key, "projection": projection.upper()}},
        }
    assert len(hash_keys) == 1
    tables["recurring_plans"] = adapter_plans_table()
    return tables


def adapter_plans_table() -> dict:
    """The recurring plans table as adapters/dynamodb/src/store/recurring.rs creates it
    (create_plans_table): string attributes, the hash key, GSIs with hash and range keys."""
    text = rs.clean((REPO / "adapters/dynamodb/src/store/recurring.rs").read_text())
    consts = rs.consts(text)
    body = rs.find_fn(text, "create_plans_table").body
    chain = body[body.index(".create_table()") : body.index(".send()")]
    assert "ScalarAttributeType::S" in rs.find_fn(text, "string_attribute").body
    attributes = {a: "S" for a in re.findall(r'\.attribute_definitions\(string_attribute\("(\w+)"\)', chain)}
    hash_keys = re.findall(r'\.key_schema\(key\("(\w+)",\s*KeyType::Hash\)', chain)
    assert len(hash_keys) == 1, chain
    gsis = {}
    for m in re.finditer(r"\.global_secondary_indexes\(\s*index\(\s*(\w+)\s*,\s*vec!\[([^\]]*)\]", chain):
        keys = dict((kind, name) for name, kind in re.findall(r'key\("(\w+)",\s*KeyType::(\w+)\)', m.group(2)))
        spec = {"hash_key": keys["Hash"], "projection": "ALL"}
        if "Range" in keys:
            spec["range_key"] = keys["Range"]
        gsis[consts[m.group(1)][0]] = spec
    assert "ProjectionType::All" in rs.find_fn(text, "index").body
    assert len(gsis) == 2, gsis
    billing = re.search(r"BillingMode::(\w+)", chain).group(1)
    return {
        "billing": {"PayPerRequest": "PAY_PER_REQUEST", "Provisioned": "PROVISIONED"}[billing],
        "hash_key": hash_keys[0],
        "attributes": attributes,
        "gsis": gsis,
    }


def test_tables_match_the_adapter(tf):
    expected = adapter_tables()
    defined = tf.of_type("aws_dynamodb_table")
    assert set(defined) == set(expected), f"tables: terraform {sorted(defined)} vs adapter {sorted(expected)}"
    for name, want in expected.items():
        t = defined[name]
        assert t["billing_mode"] == want["billing"], name
        assert t["hash_key"] == want["hash_key"], name
        assert "range_key" not in t, f"{name} has a range key the adapter does not use"
        attrs = {a["name"]: a["type"] for a in t["attribute"]}
        assert attrs == want["attributes"], f"{name}: attributes {attrs} vs adapter {want['attributes']}"
        gsis = {
            g["name"]: {"hash_key": g["hash_key"], "projection": g["projection_type"]}
            | ({"range_key": g["range_key"]} if "range_key" in g else {})
            for g in t.get("global_secondary_index", [])
        }
        assert gsis == want["gsis"], f"{name}: GSIs {gsis} vs adapter {want['gsis']}"
        assert "local_secondary_index" not in t


def test_tables_are_protected(tf):
    for name, t in tf.of_type("aws_dynamodb_table").items():
        sse = t["server_side_encryption"][0]
        assert sse["enabled"] is True and sse["kms_key_arn"] == "${aws_kms_key.main.arn}", name
        assert t["point_in_time_recovery"][0]["enabled"] is True, name
        assert t["deletion_protection_enabled"] == "${local.is_prod}", name
    assert tf.locals["is_prod"] == '${var.environment == "prod"}'


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------


def router_routes():
    return rs.router_routes((REPO / "lambdas/api/src/routes.rs").read_text())


def test_every_route_has_an_integration_on_the_function_serving_it(tf, crates):
    routes = router_routes()
    assert len(routes) >= 10, routes
    tf_routes = tf.locals["api_routes"]
    router_keys = {r.key for r in routes}
    assert router_keys == set(tf_routes), (
        f"only in the router: {sorted(router_keys - set(tf_routes))}; "
        f"only in api.tf: {sorted(set(tf_routes) - router_keys)}"
    )
    # Which router variant each function runs (its main.rs: Routes::Loans / Routes::Repayments).
    variant = {}
    for key, spec in functions(tf).items():
        crate = rs.crate_of_binary(spec["binary"], crates)
        found = rs.routes_variant_of_binary(crate.bins[spec["binary"]])
        if not found:
            warnings.warn(f"{crate.name} names no Routes:: variant yet; assuming Routes::{key.capitalize()}")
            found = {key.capitalize()}
        assert len(found) == 1, (key, found)
        variant[key] = found.pop()
    for r in routes:
        fn = tf_routes[r.key]
        assert not r.variants or variant[fn] in r.variants, (
            f"{r.key} goes to the {fn} function, whose router (Routes::{variant[fn]}) does not serve it"
        )


def test_integrations_cover_every_route_and_options(tf):
    for rtype in ("aws_api_gateway_method", "aws_api_gateway_integration"):
        assert tf.resource(rtype, "route")["for_each"] == "${local.api_all_routes}"
    integ = tf.resource("aws_api_gateway_integration", "route")
    assert integ["type"] == "AWS_PROXY" and integ["integration_http_method"] == "POST"
    assert integ["uri"] == "${aws_lambda_function.api[each.value].invoke_arn}"
    # OPTIONS on every path (the router answers preflights itself).
    assert "OPTIONS" in str(tf.locals["api_options_routes"])
    # The router's paths are at most four segments deep: api.tf has resources for depths 1..4.
    depth = max(len(r.path.strip("/").split("/")) for r in router_routes())
    assert depth <= 4, f"a route is {depth} segments deep: add aws_api_gateway_resource.depth{depth}"
    for d in range(1, depth + 1):
        tf.resource("aws_api_gateway_resource", f"depth{d}")


def test_public_routes_are_the_handlers_without_auth(tf):
    # Handlers live in routes.rs and in the route modules next to it (quotes.rs, ...).
    auth = {}
    for source in sorted((REPO / "lambdas/api/src").glob("*.rs")):
        auth.update(rs.authenticated_handlers(source.read_text()))
    public = set()
    for r in router_routes():
        assert r.handler in auth, f"handler {r.handler} of {r.key} not found"
        if not auth[r.handler]:
            public.add(r.key)
    assert public == set(tf.locals["api_public_routes"]), public


# ---------------------------------------------------------------------------------------------
# IAM
# ---------------------------------------------------------------------------------------------


# The store's startup check: `check_tables(..)` or the store's `.check()` (no arguments; a
# `.check(now, leeway)` of the token claims is something else).
STARTUP_CHECK_CALL = re.compile(r"\bcheck_tables\s*\(|\.check\s*\(\s*\)")


def calls_startup_check(text: str) -> bool:
    return STARTUP_CHECK_CALL.search(text) is not None


def test_startup_check_detection_ignores_other_check_methods():
    assert calls_startup_check("store.check().await?")
    assert calls_startup_check("schema::check_tables(&c, &t, e)")
    assert not calls_startup_check("kept.times.check(now_secs(), leeway)")


def required_actions(crates) -> tuple[set[str], set[str], set[str]]:
    """(DynamoDB table actions, DynamoDB index actions, SNS actions) the functions need."""
    lam = [p for p in lambda_sources(crates)]
    lam_text = "\n".join(rs.clean(p.read_text()) for p in lam)
    for fn in DYNAMODB_DEV_ONLY_FNS:
        assert not re.search(rf"\b{fn}\s*\(", lam_text), f"the Lambda code calls {fn}: grant its actions"
    skip = set(DYNAMODB_DEV_ONLY_FNS)
    if not calls_startup_check(lam_text):
        skip |= DYNAMODB_STARTUP_CHECK_FNS
    ddb = rs.sdk_calls(crates["loansyncro-dynamodb"].sources(include_bins=False), rs.DYNAMODB_OPERATIONS, skip)
    assert "dynamodb:Scan" not in ddb.actions, "the adapter issues a Scan"
    index_actions = {"dynamodb:Query"} if "dynamodb:Query" in ddb.actions else set()
    table_actions = set(ddb.actions) - index_actions
    if ddb.query_without_index:
        table_actions.add("dynamodb:Query")
    sns = rs.sdk_calls(crates["loansyncro-sns"].sources(include_bins=False), rs.SNS_OPERATIONS, set())
    return table_actions, index_actions, set(sns.actions)


def test_sdk_call_parser_sees_the_adapters(crates):
    table, index, sns = required_actions(crates)
    assert {"dynamodb:GetItem", "dynamodb:PutItem"} <= table, table
    assert index == {"dynamodb:Query"}
    assert sns == {"sns:Publish"}, "adapters/sns publishes its events"


def test_lambda_policy_grants_exactly_the_called_actions(tf, crates):
    table_actions, index_actions, sns_actions = required_actions(crates)
    doc = tf.data[("aws_iam_policy_document", "lambda")]
    granted_table, granted_index, granted_sns = set(), set(), set()
    for st in doc["statement"]:
        actions = set(tf.resolve_list(st["actions"]))
        resources = st["resources"]
        for a in actions:
            assert "*" not in a, f"wildcard action {a}"
        if any(a.startswith("dynamodb:") for a in actions):
            assert all(a.startswith("dynamodb:") for a in actions)
            if all("/index/" in r for r in resources):
                granted_index |= actions
                assert sorted(resources) == sorted(
                    f"${{aws_dynamodb_table.{t}.arn}}/index/{g}"
                    for t, spec in adapter_tables().items()
                    for g in spec["gsis"]
                ), resources
            else:
                assert resources == [f"${{aws_dynamodb_table.{t}.arn}}" for t in ("users", "loans", "repayments", "recurring_plans")]
                granted_table |= actions
        elif any(a.startswith("sns:") for a in actions):
            assert resources == ["${aws_sns_topic.events.arn}"], resources
            granted_sns |= actions
        elif any(a.startswith("xray:") for a in actions):
            assert actions == {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
        else:
            assert "*" not in resources, f"statement {st.get('sid')} has resource *"
    # dynamic "statement" blocks (X-Ray) keep their own resources; nothing else may use "*".
    assert granted_table == table_actions, f"table actions: granted {sorted(granted_table)}, called {sorted(table_actions)}"
    assert granted_index == index_actions, f"index actions: granted {sorted(granted_index)}, called {sorted(index_actions)}"
    assert granted_sns == sns_actions, f"SNS actions: granted {sorted(granted_sns)}, called {sorted(sns_actions)}"


def test_no_wildcards_where_a_name_is_known(tf):
    """Outside the key policy (whose "*" is the key itself) and X-Ray (no resource-level
    permissions), no IAM statement grants a "*" action or resource."""
    for (dtype, name), doc in tf.data.items():
        if dtype != "aws_iam_policy_document" or name == "kms":
            continue
        statements = list(doc.get("statement", []))
        for dyn in doc.get("dynamic", []):
            for _, body in dyn.items():
                for content in body.get("content", []):
                    assert set(content["actions"]) <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, content
        for st in statements:
            if st.get("effect") == "Deny":
                continue  # a Deny takes away (hosting.tf: no s3:* over plain HTTP), never grants
            for a in tf.resolve_list(st["actions"]):
                assert not a.endswith("*"), f"{name}: action {a}"
            for r in st.get("resources", []):
                assert r != "*", f"{name}: statement {st.get('sid')} has resource *"


# ---------------------------------------------------------------------------------------------
# The scheduled recurring-repayments function (lambdas/recurring)
# ---------------------------------------------------------------------------------------------


def test_recurring_function_runs_its_workspace_binary(tf, crates):
    crate = rs.crate_of_binary("recurring", crates)
    assert crate.name == "loansyncro-lambda-recurring"
    assert crate.bins["recurring"].exists()
    lam = tf.resource("aws_lambda_function", "recurring")
    assert lam["filename"].endswith("/${var.lambda_architecture}/recurring/bootstrap.zip")
    assert lam["runtime"] == "provided.al2023" and lam["handler"] == "bootstrap"
    assert not rs.routes_variant_of_binary(crate.bins["recurring"]), "the job serves no routes"
    assert "materialize_due" in crate.bins["recurring"].read_text()


def test_recurring_environment_is_read_and_names_its_tables(tf, crates):
    reads = rs.env_reads(lambda_crate_files("recurring", crates))
    assert not reads.unresolved, reads.unresolved
    env = tf.local(tf.resource("aws_lambda_function", "recurring")["environment"][0]["variables"])
    configured = set(env)
    unread = configured - reads.names
    assert not unread, f"the recurring function is given {sorted(unread)}, which its binary never reads"
    wrong = configured & (set(RUNTIME_PROVIDED) | set(LOCAL_ONLY))
    assert not wrong, wrong
    for table in ("users", "loans", "repayments", "recurring_plans"):
        assert env[f"{table.upper()}_TABLE"] == f"${{aws_dynamodb_table.{table}.name}}"
    assert env["LOANSYNCRO_SNS_TOPIC_ARN"] == "${aws_sns_topic.events.arn}"
    assert not any(k.startswith("LOANSYNCRO_COGNITO") for k in configured), "no identity settings: it serves no requests"


def test_recurring_role_is_least_privilege(tf, crates):
    table_actions, index_actions, sns_actions = required_actions(crates)
    doc = tf.data[("aws_iam_policy_document", "recurring")]
    gsi_arns = {
        f"${{aws_dynamodb_table.{t}.arn}}/index/{g}" for t, spec in adapter_tables().items() for g in spec["gsis"]
    }
    touched = set()
    for st in doc["statement"]:
        actions = set(tf.resolve_list(st["actions"]))
        for a in actions:
            assert "*" not in a, a
        if any(a.startswith("dynamodb:") for a in actions):
            if all("/index/" in r for r in st["resources"]):
                assert actions <= index_actions, actions
                assert set(st["resources"]) <= gsi_arns, st["resources"]
            else:
                assert actions <= table_actions, actions
                touched |= set(st["resources"])
        elif any(a.startswith("sns:") for a in actions):
            assert actions <= sns_actions and st["resources"] == ["${aws_sns_topic.events.arn}"]
        elif any(a.startswith("logs:") for a in actions):
            assert st["resources"] == ["${aws_cloudwatch_log_group.recurring.arn}:*"]
        else:
            assert "*" not in st["resources"], st
    assert "${aws_dynamodb_table.users.arn}" not in touched, "the job never reads users"
    assert "${aws_dynamodb_table.recurring_plans.arn}" in touched
    role = tf.resource("aws_iam_role_policy", "recurring")
    assert role["role"] == "${aws_iam_role.recurring.id}"


def test_recurring_runs_daily_on_an_eventbridge_schedule(tf):
    rule = tf.resource("aws_cloudwatch_event_rule", "recurring")
    expr = rule["schedule_expression"]
    assert expr == "rate(1 day)" or re.fullmatch(r"cron\(\d+ \d+ \* \* \? \*\)", expr), expr
    target = tf.resource("aws_cloudwatch_event_target", "recurring")
    assert target["arn"] == "${aws_lambda_function.recurring.arn}"
    assert target["rule"] == "${aws_cloudwatch_event_rule.recurring.name}"
    perm = tf.resource("aws_lambda_permission", "recurring_schedule")
    assert perm["principal"] == "events.amazonaws.com"
    assert perm["source_arn"] == "${aws_cloudwatch_event_rule.recurring.arn}"
    assert perm["function_name"] == "${aws_lambda_function.recurring.function_name}"
