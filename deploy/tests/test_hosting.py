"""The web app's hosting (deploy/terraform/hosting.tf, deploy/publish-web.sh), checked offline.

The bucket is private and reachable only by the distribution (origin access control), the
distribution rewrites the app's routes to /index.html (the function is run here with node),
caches by kind of file, sends a CSP that lets the WASM compile and the app reach the API and
Cognito; the API's CORS origin and the pool client's URLs are the distribution's; config.json has
exactly the keys web/src/config.ts reads; publish-web.sh uploads in a safe order with the right
content types (run against stand-in commands).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import stat
import subprocess
import textwrap
from pathlib import Path

import pytest

from tf import TERRAFORM, Config

REPO = TERRAFORM.parents[1]
WEB = REPO / "web"
PUBLISH = REPO / "deploy" / "publish-web.sh"
SPA_FUNCTION = TERRAFORM / "functions" / "spa-rewrite.js"
YEAR = 31536000


@pytest.fixture(scope="module")
def tf() -> Config:
    return Config()


def distribution(tf: Config) -> dict:
    return tf.resource("aws_cloudfront_distribution", "web")


def ref(expr: str) -> str:
    """`${x}` -> `x`."""
    m = re.fullmatch(r"\$\{(.+)\}", expr.strip())
    assert m, f"expected a bare reference, got {expr!r}"
    return m.group(1)


def policy_key(expr: str, rtype: str) -> str:
    """`${aws_cloudfront_cache_policy.web["immutable"].id}` -> `immutable`."""
    m = re.fullmatch(rf'{rtype}\.web\["(\w+)"\]\.id', ref(expr))
    assert m, f"expected {rtype}.web[<kind>].id, got {expr!r}"
    return m.group(1)


# --- Bucket --------------------------------------------------------------------------------------


def test_bucket_is_private_encrypted_and_versioned(tf):
    block = tf.resource("aws_s3_bucket_public_access_block", "web")
    assert block["bucket"] == "${aws_s3_bucket.web.id}"
    for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert block[flag] is True, flag
    owner = tf.resource("aws_s3_bucket_ownership_controls", "web")
    assert owner["rule"][0]["object_ownership"] == "BucketOwnerEnforced"  # no ACL can open it
    sse = tf.resource("aws_s3_bucket_server_side_encryption_configuration", "web")
    assert sse["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"] in ("AES256", "aws:kms")
    versioning = tf.resource("aws_s3_bucket_versioning", "web")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    lifecycle = tf.resource("aws_s3_bucket_lifecycle_configuration", "web")["rule"][0]
    assert lifecycle["status"] == "Enabled"
    assert lifecycle["noncurrent_version_expiration"][0]["noncurrent_days"] == "${var.web_noncurrent_version_days}"
    # Nothing else attaches a policy, an ACL or a website endpoint to the bucket.
    assert not tf.of_type("aws_s3_bucket_acl") and not tf.of_type("aws_s3_bucket_website_configuration")
    assert list(tf.of_type("aws_s3_bucket_policy")) == ["web"]


def test_bucket_policy_lets_only_this_distribution_read(tf):
    assert tf.resource("aws_s3_bucket_policy", "web")["policy"] == "${data.aws_iam_policy_document.web_bucket.json}"
    statements = tf.data[("aws_iam_policy_document", "web_bucket")]["statement"]
    allows = [s for s in statements if s.get("effect", "Allow") == "Allow"]
    assert len(allows) == 1, "one Allow statement: CloudFront's read"
    allow = allows[0]
    assert allow["actions"] == ["s3:GetObject"]
    assert allow["resources"] == ["${aws_s3_bucket.web.arn}/*"]
    assert allow["principals"] == [{"type": "Service", "identifiers": ["cloudfront.amazonaws.com"]}]
    assert allow["condition"] == [{
        "test": "StringEquals", "variable": "AWS:SourceArn", "values": ["${aws_cloudfront_distribution.web.arn}"],
    }]
    denies = [s for s in statements if s.get("effect") == "Deny"]
    assert [d["condition"][0]["variable"] for d in denies] == ["aws:SecureTransport"]
    assert denies[0]["condition"][0]["values"] == ["false"]


# --- Distribution --------------------------------------------------------------------------------


def test_origin_is_the_bucket_through_origin_access_control(tf):
    oac = tf.resource("aws_cloudfront_origin_access_control", "web")
    assert oac["origin_access_control_origin_type"] == "s3"
    assert oac["signing_behavior"] == "always" and oac["signing_protocol"] == "sigv4"
    (origin,) = distribution(tf)["origin"]
    assert origin["domain_name"] == "${aws_s3_bucket.web.bucket_regional_domain_name}"
    assert origin["origin_access_control_id"] == "${aws_cloudfront_origin_access_control.web.id}"
    assert "s3_origin_config" not in origin, "OAC, not the legacy origin access identity"
    assert not tf.of_type("aws_cloudfront_origin_access_identity")


def behaviours(tf: Config) -> list[tuple[str, dict]]:
    """(path pattern, behaviour) in CloudFront's order; the default one last as "*"."""
    d = distribution(tf)
    ordered = [(b["path_pattern"], b) for b in d.get("ordered_cache_behavior", [])]
    return ordered + [("*", d["default_cache_behavior"][0])]


def behaviour_for(tf: Config, path: str) -> tuple[str, dict]:
    """The behaviour CloudFront picks for a request path (first pattern that matches)."""
    for pattern, b in behaviours(tf):
        if pattern == "*" or fnmatch.fnmatchcase(path, pattern if pattern.startswith("/") else "/" + pattern):
            return pattern, b
    raise AssertionError("unreachable: the default behaviour matches everything")


def test_https_only_with_index_html_as_root(tf):
    d = distribution(tf)
    assert d["enabled"] is True and d["default_root_object"] == "index.html"
    for pattern, b in behaviours(tf):
        assert b["viewer_protocol_policy"] == "redirect-to-https", pattern
        assert b["allowed_methods"] == ["GET", "HEAD"], f"{pattern}: a static site takes no writes"
        assert b["target_origin_id"] == d["origin"][0]["origin_id"]
    cert = d["viewer_certificate"][0]
    assert cert["minimum_protocol_version"] == '${var.web_certificate_arn == "" ? "TLSv1" : "TLSv1.2_2021"}'
    assert cert["ssl_support_method"] == '${var.web_certificate_arn == "" ? null : "sni-only"}'
    assert d["aliases"] == "${var.web_domain_names}"


def run_spa_function(uris: list[str]) -> list[str]:
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed: the rewrite function is not run (its wiring still is)")
    script = SPA_FUNCTION.read_text() + textwrap.dedent(f"""
        var uris = {json.dumps(uris)};
        console.log(JSON.stringify(uris.map(function (u) {{
          return handler({{ request: {{ uri: u, method: 'GET', headers: {{}} }} }}).uri;
        }})));
    """)
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_spa_rewrite_function_serves_index_html_for_app_routes():
    cases = {
        "/": "/index.html",
        "/loans": "/index.html",
        "/loans/6f1c2a9e-0d4b-4c1e-9a51-3e2f6c7d8b90": "/index.html",
        "/loans/6f1c2a9e-0d4b-4c1e-9a51-3e2f6c7d8b90/edit": "/index.html",
        "/repayments/": "/index.html",
        "/index.html": "/index.html",
        "/config.json": "/config.json",
        "/favicon.ico": "/favicon.ico",
        "/assets/index-DV1_6kfR.js": "/assets/index-DV1_6kfR.js",
        "/assets/loansyncro_wasm_bg-CQDmTZ57.wasm": "/assets/loansyncro_wasm_bg-CQDmTZ57.wasm",
        "/v1.2/loans": "/index.html",  # only the last segment decides
    }
    assert dict(zip(cases, run_spa_function(list(cases)))) == cases


def test_spa_function_is_the_file_on_the_default_behaviour_only(tf):
    fn = tf.resource("aws_cloudfront_function", "spa_rewrite")
    assert fn["runtime"] == "cloudfront-js-2.0" and fn["publish"] is True
    assert fn["code"] == '${file("${path.module}/functions/spa-rewrite.js")}'
    for pattern, b in behaviours(tf):
        assoc = b.get("function_association", [])
        if pattern == "*":
            assert assoc == [{"event_type": "viewer-request", "function_arn": "${aws_cloudfront_function.spa_rewrite.arn}"}]
        else:
            assert not assoc, f"{pattern}: files under it are never app routes"


@pytest.mark.parametrize(("path", "kind"), [
    ("/assets/index-DV1_6kfR.js", "immutable"),
    ("/assets/index-DkIGbbdn.css", "immutable"),
    ("/assets/loansyncro_wasm_bg-CQDmTZ57.wasm", "immutable"),
    ("/index.html", "revalidate"),
    ("/config.json", "revalidate"),
    ("/loans/abc", "revalidate"),  # rewritten to /index.html after the behaviour is chosen
    ("/", "revalidate"),
])
def test_caching_by_kind_of_file(tf, path, kind):
    pattern, b = behaviour_for(tf, path)
    assert policy_key(b["cache_policy_id"], "aws_cloudfront_cache_policy") == kind, pattern
    assert policy_key(b["response_headers_policy_id"], "aws_cloudfront_response_headers_policy") == kind, pattern
    rule = tf.locals["web_caching"][kind]
    expected = {"immutable": (YEAR, "public, max-age=31536000, immutable"), "revalidate": (0, "no-cache")}[kind]
    assert (rule["ttl"], rule["cache_control"]) == expected


def test_cache_and_header_policies_follow_the_rules(tf):
    kinds = set(tf.locals["web_caching"])
    cache = tf.resource("aws_cloudfront_cache_policy", "web")
    headers = tf.resource("aws_cloudfront_response_headers_policy", "web")
    assert cache["for_each"] == headers["for_each"] == "${local.web_caching}" and kinds == {"immutable", "revalidate"}
    for key in ("min_ttl", "default_ttl", "max_ttl"):
        assert cache[key] == "${each.value.ttl}", key
    params = cache["parameters_in_cache_key_and_forwarded_to_origin"][0]
    assert params["cookies_config"][0]["cookie_behavior"] == "none"
    assert params["headers_config"][0]["header_behavior"] == "none"
    assert params["query_strings_config"][0]["query_string_behavior"] == "none"
    (item,) = headers["custom_headers_config"][0]["items"]
    assert item == {"header": "Cache-Control", "value": "${each.value.cache_control}", "override": True}


def csp(tf: Config) -> dict[str, list[str]]:
    directives = {}
    for d in tf.locals["web_csp_directives"]:
        name, *values = d.split()
        assert name not in directives, f"{name} twice"
        directives[name] = values
    return directives


def test_csp_lets_the_wasm_compile_and_the_app_reach_only_the_api_and_cognito(tf):
    policy = csp(tf)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == [
        "'self'", "${local.web_api_origin}", "https://cognito-idp.${local.region}.amazonaws.com",
    ]
    assert tf.locals["web_api_origin"] == \
        "https://${aws_api_gateway_rest_api.main.id}.execute-api.${local.region}.amazonaws.com"
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert tf.locals["web_csp"] == '${join("; ", local.web_csp_directives)}'
    security = tf.resource("aws_cloudfront_response_headers_policy", "web")["security_headers_config"][0]
    assert security["content_security_policy"][0] == {"content_security_policy": "${local.web_csp}", "override": True}
    hsts = security["strict_transport_security"][0]
    assert hsts["access_control_max_age_sec"] >= YEAR and hsts["include_subdomains"] and hsts["override"]
    assert security["frame_options"][0]["frame_option"] == "DENY"
    assert "content_type_options" in security and "referrer_policy" in security


def test_csp_allows_what_the_built_app_loads():
    """The build has no inline script or style and loads the WASM from its own origin (checked
    on web/dist when a build is there; index.html of the sources otherwise)."""
    html_path = WEB / "dist" / "index.html"
    html = (html_path if html_path.exists() else WEB / "index.html").read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>: blocked by script-src 'self'"
    assert "<style" not in html and " style=" not in html, "inline style: blocked by style-src 'self'"
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/") or url.startswith("data:"), f"{url}: not from the app's origin"


# --- Wiring to the API and Cognito ---------------------------------------------------------------


def test_api_cors_origin_is_the_distribution(tf):
    assert tf.locals["web_origins"] == (
        '${concat(["https://${aws_cloudfront_distribution.web.domain_name}"], '
        '[for d in var.web_domain_names : "https://${d}"])}'
    )
    assert tf.locals["api_cors_origins"] == (
        '${contains(var.cors_allowed_origins, "*") ? ["*"] : '
        "distinct(concat(local.web_origins, var.cors_allowed_origins))}"
    )
    assert tf.locals["lambda_environment"]["LOANSYNCRO_CORS_ORIGINS"] == '${join(",", local.api_cors_origins)}'
    # The gateway's own errors (401, 429) name the same origin.
    assert "local.api_cors_origins" in tf.locals["cors_header_origin"]
    assert "var.cors_allowed_origins" not in tf.locals["cors_header_origin"]
    text = "\n".join(p.read_text() for p in TERRAFORM.glob("*.tf"))
    assert text.count("var.cors_allowed_origins") == 2, "only api_cors_origins reads the extra origins"
    assert tf.variables["cors_allowed_origins"]["default"] == []


def test_user_pool_client_urls_are_the_app(tf):
    client = tf.resource("aws_cognito_user_pool_client", "web")
    assert client["callback_urls"] == '${[for o in local.web_origins : "${o}/"]}'
    assert client["logout_urls"] == client["callback_urls"]


# --- config.json ---------------------------------------------------------------------------------


def web_reads() -> tuple[set[str], set[str]]:
    """The top-level keys web/src/config.ts reads, and the passwordPolicy keys."""
    src = (WEB / "src" / "config.ts").read_text()
    top = set(re.findall(r"\bstr\(o, '(\w+)'", src)) | set(re.findall(r"\bo\.(\w+)\b", src))
    policy_block = re.search(r"export interface PasswordPolicy \{(.*?)\}", src, re.S)
    assert policy_block, "web/src/config.ts: interface PasswordPolicy not found"
    policy = set(re.findall(r"^\s*(\w+):", policy_block.group(1), re.M))
    assert {"auth", "apiBaseUrl", "passwordPolicy"} <= top and "minimumLength" in policy, (top, policy)
    return top, policy


# Read by the app but not for production: the Cognito endpoint of an emulator (moto) in tests.
EMULATOR_ONLY = {"cognitoEndpoint"}


def test_config_json_has_exactly_the_keys_the_app_reads(tf):
    top, policy = web_reads()
    config = tf.locals["web_config"]
    assert set(config) == top - EMULATOR_ONLY
    assert set(config["passwordPolicy"]) == policy
    committed = json.loads((WEB / "public" / "config.json").read_text())
    assert set(committed) == set(config) and set(committed["passwordPolicy"]) == policy
    assert config["auth"] == "cognito"
    assert config["apiBaseUrl"] == "${aws_api_gateway_stage.main.invoke_url}"
    assert config["region"] == "${local.region}"
    assert config["userPoolId"] == "${aws_cognito_user_pool.main.id}"
    assert config["userPoolClientId"] == "${aws_cognito_user_pool_client.web.id}"


def test_config_password_policy_is_the_pools(tf):
    pool_policy = tf.resource("aws_cognito_user_pool", "main")["password_policy"][0]
    for key, expr in tf.locals["web_config"]["passwordPolicy"].items():
        attribute = re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), key)  # minimumLength -> minimum_length
        assert expr == f"${{aws_cognito_user_pool.main.password_policy[0].{attribute}}}", key
        assert attribute in pool_policy, f"the pool sets no {attribute}"


def test_config_json_is_written_by_terraform(tf):
    obj = tf.resource("aws_s3_object", "web_config")
    assert obj["bucket"] == "${aws_s3_bucket.web.id}" and obj["key"] == "config.json"
    assert obj["content"] == "${jsonencode(local.web_config)}"
    assert obj["content_type"] == "application/json"
    assert tf.outputs["web_config"]["value"] == "${local.web_config}"
    for name in ("web_url", "web_bucket_name", "web_distribution_id"):
        assert name in tf.outputs, name


# --- publish-web.sh (against stand-in commands: no AWS account here) -----------------------------


def stub(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def published(tmp_path):
    """Runs publish-web.sh with aws/npm/terraform replaced by scripts that log their arguments."""
    bash = shutil.which("bash")
    if not bash:
        pytest.skip("bash is not installed")
    web = tmp_path / "web"
    (tmp_path / "bindings" / "wasm" / "pkg").mkdir(parents=True)
    (tmp_path / "bindings" / "wasm" / "pkg" / "package.json").write_text("{}")
    web.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    stub(bin_dir, "aws", f'echo "aws $*" >> "{log}"\n')
    stub(bin_dir, "npm", textwrap.dedent(f"""\
        echo "npm $* (in $(basename "$PWD"))" >> "{log}"
        if [ "$*" = "run build" ]; then
          mkdir -p dist/assets dist/.vite
          echo '<!doctype html>' > dist/index.html
          echo '{{"auth":"dev"}}' > dist/config.json
          : > dist/assets/index-abc.js; : > dist/assets/loansyncro_wasm_bg-def.wasm
        fi
        """))
    stub(bin_dir, "terraform", textwrap.dedent("""\
        case "$*" in
          *web_bucket_name) printf loansyncro-dev-web-123456789012 ;;
          *web_distribution_id) printf E2EXAMPLE ;;
          *web_url) printf https://d111111abcdef8.cloudfront.net ;;
          *) exit 1 ;;
        esac
        """))
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", WEB_DIR=str(web))
    env.pop("WEB_BUCKET", None)
    env.pop("WEB_DISTRIBUTION_ID", None)
    out = subprocess.run([bash, str(PUBLISH)], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return log.read_text().splitlines(), out.stdout


def test_publish_builds_then_uploads_assets_then_index_then_invalidates(published):
    calls, stdout = published
    s3 = "s3://loansyncro-dev-web-123456789012"
    assert calls[:2] == ["npm ci (in web)", "npm run build (in web)"]
    uploads = calls[2:-1]
    assert all(c.startswith(("aws s3 sync ", "aws s3 cp ")) for c in uploads), uploads
    wasm = [c for c in uploads if "--include *.wasm" in c]
    assert len(wasm) == 1 and wasm[0].endswith("--content-type application/wasm") and f"{s3}/assets" in wasm[0]
    # Every upload into the root skips the build's development config.json and Vite's manifest.
    root_syncs = [c for c in uploads if c.startswith("aws s3 sync") and c.split()[4] == s3]
    assert root_syncs and all("--exclude config.json" in c and "--exclude .vite/*" in c for c in root_syncs)
    # Old hashed assets survive (--delete only where assets/* is excluded).
    for c in uploads:
        if "--delete" in c:
            assert "--exclude assets/*" in c and c.split()[4] == s3, c
    assert uploads[-1].startswith("aws s3 cp ") and uploads[-1].split()[4] == f"{s3}/index.html"
    assert "--content-type text/html; charset=utf-8" in uploads[-1]
    assert calls[-1].startswith("aws cloudfront create-invalidation --distribution-id E2EXAMPLE --paths /*")
    assert "published: https://d111111abcdef8.cloudfront.net" in stdout


def test_publish_script_parses():
    bash = shutil.which("bash")
    if not bash:
        pytest.skip("bash is not installed")
    out = subprocess.run([bash, "-n", str(PUBLISH)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
