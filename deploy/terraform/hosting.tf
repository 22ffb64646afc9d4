# Hosting of the web app (web/, a Vite build): a private S3 bucket behind CloudFront with origin
# access control. The app calls the API from the distribution's origin, so that origin is the
# API's CORS origin (LOANSYNCRO_CORS_ORIGINS, compute.tf; the gateway's own errors, api.tf) and the
# user pool client's callback/logout URL (auth.tf). Terraform writes /config.json (the one file
# the app reads at start-up, web/src/config.ts); deploy/publish-web.sh uploads the build.
#
#   browser ──HTTPS──> CloudFront (HTTP/2+3, response headers: CSP, HSTS, ...)
#                        ├─ /assets/*  hashed file names: cached a year, immutable
#                        └─ default    SPA rewrite (CloudFront Function), no-cache: /index.html,
#                                      /config.json and every route of the app
#                      ──OAC (SigV4)──> S3 bucket (private, versioned, encrypted)
#
# deploy/tests/test_hosting.py checks all of this offline (and runs the rewrite with node).

locals {
  # The origin(s) the app is served from: the distribution's own name, and the custom domains.
  web_origins = concat(
    ["https://${aws_cloudfront_distribution.web.domain_name}"],
    [for d in var.web_domain_names : "https://${d}"],
  )
  # The address to publish: the first custom domain if any.
  web_url = length(var.web_domain_names) > 0 ? "https://${var.web_domain_names[0]}" : "https://${aws_cloudfront_distribution.web.domain_name}"

  # Browser origins the API accepts: the app's, plus extra ones (cors_allowed_origins); ["*"]
  # there opens the API to every origin instead (the router's "*": bearer tokens, no cookies).
  api_cors_origins = contains(var.cors_allowed_origins, "*") ? ["*"] : distinct(concat(local.web_origins, var.cors_allowed_origins))

  # The API's origin, built from the REST API id rather than the stage's invoke URL: the stage
  # depends (through the functions' CORS variable) on the distribution, which carries this CSP.
  web_api_origin = "https://${aws_api_gateway_rest_api.main.id}.execute-api.${local.region}.amazonaws.com"

  # Content-Security-Policy of every response. The build has no inline script or style (Vite
  # emits files); 'wasm-unsafe-eval' lets the loansyncro package compile its WebAssembly;
  # connect-src: the app's files (config.json, the .wasm), the API, Cognito (SRP sign-in).
  web_csp_directives = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' ${local.web_api_origin} https://cognito-idp.${local.region}.amazonaws.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "upgrade-insecure-requests",
  ]
  web_csp = join("; ", local.web_csp_directives)

  # How long a file may be kept, by kind: CloudFront's TTLs (cache policy) and the browser's
  # Cache-Control (response headers policy) come from the same entry.
  web_caching = {
    # /assets/*: Vite puts a content hash in every file name, a new build makes new names.
    immutable = { ttl = 31536000, cache_control = "public, max-age=31536000, immutable" }
    # index.html (and so every route of the app), config.json, anything else at the root:
    # revalidated on every load, so a deploy or a new config.json shows at the next reload.
    revalidate = { ttl = 0, cache_control = "no-cache" }
  }

  # /config.json: exactly the keys web/src/config.ts reads (and web/public/config.json has);
  # the password policy is the pool's own, so the register page shows the rules Cognito applies.
  web_config = {
    auth             = "cognito"
    apiBaseUrl       = aws_api_gateway_stage.main.invoke_url
    region           = local.region
    userPoolId       = aws_cognito_user_pool.main.id
    userPoolClientId = aws_cognito_user_pool_client.web.id
    passwordPolicy = {
      minimumLength    = aws_cognito_user_pool.main.password_policy[0].minimum_length
      requireLowercase = aws_cognito_user_pool.main.password_policy[0].require_lowercase
      requireUppercase = aws_cognito_user_pool.main.password_policy[0].require_uppercase
      requireNumbers   = aws_cognito_user_pool.main.password_policy[0].require_numbers
      requireSymbols   = aws_cognito_user_pool.main.password_policy[0].require_symbols
    }
  }
}

# --- Bucket -------------------------------------------------------------------------------------

resource "aws_s3_bucket" "web" {
  # checkov:skip=CKV_AWS_18:Only CloudFront reads this bucket (OAC, policy below); viewer requests are what matter and CloudFront sees them; S3 server access logs would need a log bucket that itself needs logging.
  # checkov:skip=CKV_AWS_144:The content is a build of the repository (web/) plus config.json from Terraform: a lost region is recovered by rebuilding and publishing, not by a replica.
  # checkov:skip=CKV2_AWS_62:Nothing reacts to uploads: publish-web.sh invalidates CloudFront itself; event notifications would have no consumer.
  # checkov:skip=CKV_AWS_145:The files are the public build of the app that every visitor downloads (config.json holds only public client ids); SSE-S3 encrypts them at rest, a KMS key would add a KMS request per origin fetch and protect nothing secret.
  bucket = "${local.name}-web-${local.account_id}"
  # The content is reproducible (publish-web.sh, config.json from Terraform): dev may be
  # destroyed with its files; prod keeps them (empty the bucket on purpose first).
  force_destroy = !local.is_prod
}

resource "aws_s3_bucket_public_access_block" "web" {
  bucket                  = aws_s3_bucket.web.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "web" {
  bucket = aws_s3_bucket.web.id
  rule {
    object_ownership = "BucketOwnerEnforced" # ACLs off: access is the bucket policy only
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "web" {
  bucket = aws_s3_bucket.web.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "web" {
  bucket = aws_s3_bucket.web.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Versioning keeps what a publish overwrote or deleted (a bad deploy is rolled back by restoring
# index.html's previous version); old versions go after web_noncurrent_version_days.
resource "aws_s3_bucket_lifecycle_configuration" "web" {
  bucket = aws_s3_bucket.web.id
  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.web_noncurrent_version_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
  depends_on = [aws_s3_bucket_versioning.web]
}

# Read access for this distribution only (OAC signs its requests; AWS:SourceArn pins it), and
# nothing over plain HTTP.
data "aws_iam_policy_document" "web_bucket" {
  statement {
    sid       = "CloudFrontDistributionReadsObjects"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.web.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.web.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.web.arn, "${aws_s3_bucket.web.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "web" {
  bucket     = aws_s3_bucket.web.id
  policy     = data.aws_iam_policy_document.web_bucket.json
  depends_on = [aws_s3_bucket_public_access_block.web]
}

# The app's configuration, from this deployment's outputs (publish-web.sh never uploads the
# development config.json of the build).
resource "aws_s3_object" "web_config" {
  bucket       = aws_s3_bucket.web.id
  key          = "config.json"
  content      = jsonencode(local.web_config)
  content_type = "application/json"
}

# --- CloudFront ---------------------------------------------------------------------------------

resource "aws_cloudfront_origin_access_control" "web" {
  name                              = "${local.name}-web"
  description                       = "CloudFront signs its requests to the web bucket (SigV4)"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_function" "spa_rewrite" {
  name    = "${local.name}-spa-rewrite"
  comment = "Paths without a dot in their last segment are app routes: serve /index.html"
  runtime = "cloudfront-js-2.0"
  publish = true
  code    = file("${path.module}/functions/spa-rewrite.js")
}

resource "aws_cloudfront_cache_policy" "web" {
  for_each    = local.web_caching
  name        = "${local.name}-web-${each.key}"
  comment     = "LoanSyncro web app: ${each.value.cache_control}"
  min_ttl     = each.value.ttl
  default_ttl = each.value.ttl
  max_ttl     = each.value.ttl

  parameters_in_cache_key_and_forwarded_to_origin {
    # CloudFront accepts compressed variants only in a policy that caches.
    enable_accept_encoding_gzip   = each.value.ttl > 0
    enable_accept_encoding_brotli = each.value.ttl > 0
    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_response_headers_policy" "web" {
  for_each = local.web_caching
  name     = "${local.name}-web-${each.key}"
  comment  = "LoanSyncro web app: security headers, Cache-Control ${each.value.cache_control}"

  custom_headers_config {
    items {
      header   = "Cache-Control"
      value    = each.value.cache_control
      override = true
    }
  }

  security_headers_config {
    content_security_policy {
      content_security_policy = local.web_csp
      override                = true
    }
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

resource "aws_cloudfront_distribution" "web" {
  # checkov:skip=CKV_AWS_68:The distribution serves the app's static files only (no data, no forms posted to it); the API, where the data is, has its own web ACL (waf.tf). A CloudFront web ACL must live in us-east-1 and costs another ~6 USD a month.
  # checkov:skip=CKV2_AWS_47:Same: no web ACL on the static files (see CKV_AWS_68); the API's web ACL has the known-bad-inputs (Log4j) rules.
  # checkov:skip=CKV_AWS_86:Static public files; the requests that matter (the API's) are in its access logs. CloudFront standard logs need an extra ACL-enabled bucket: add one with logging_config when viewer logs are wanted.
  # checkov:skip=CKV_AWS_310:One origin (the bucket, regional and 11-nines durable); a failover origin would be a replicated bucket in another region for files that a rebuild restores.
  # checkov:skip=CKV_AWS_174:Without web_domain_names the app is served under *.cloudfront.net with CloudFront's default certificate, whose protocol floor CloudFront fixes; with a custom domain and web_certificate_arn the distribution requires TLSv1.2_2021.
  # checkov:skip=CKV2_AWS_42:Same: a custom certificate needs a custom domain (web_domain_names, web_certificate_arn), which is optional; the default *.cloudfront.net certificate is used otherwise.
  # checkov:skip=CKV_AWS_374:The app is for borrowers anywhere; there is no country to exclude.
  comment             = "${local.name} web app"
  enabled             = true
  is_ipv6_enabled     = true
  http_version        = "http2and3"
  price_class         = var.web_price_class
  default_root_object = "index.html"
  aliases             = var.web_domain_names

  origin {
    origin_id                = "web-bucket"
    domain_name              = aws_s3_bucket.web.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.web.id
  }

  # Everything but /assets/*: index.html, config.json and the app's routes (rewritten to
  # /index.html by the function), revalidated on every load.
  default_cache_behavior {
    target_origin_id           = "web-bucket"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.web["revalidate"].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.web["revalidate"].id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_rewrite.arn
    }
  }

  # Vite's hashed build output (JS, CSS, the .wasm): kept a year, never revalidated.
  ordered_cache_behavior {
    path_pattern               = "/assets/*"
    target_origin_id           = "web-bucket"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.web["immutable"].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.web["immutable"].id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.web_certificate_arn == ""
    acm_certificate_arn            = var.web_certificate_arn == "" ? null : var.web_certificate_arn
    ssl_support_method             = var.web_certificate_arn == "" ? null : "sni-only"
    minimum_protocol_version       = var.web_certificate_arn == "" ? "TLSv1" : "TLSv1.2_2021"
  }

  lifecycle {
    precondition {
      condition     = length(var.web_domain_names) == 0 || var.web_certificate_arn != ""
      error_message = "web_domain_names needs web_certificate_arn (an ACM certificate in us-east-1 covering them)."
    }
  }
}
