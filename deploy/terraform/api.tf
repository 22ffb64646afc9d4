# API Gateway REST API: every route of the router (lambdas/api/src/routes.rs) as a Lambda proxy
# integration to the function whose router variant serves it, OPTIONS on every path (CORS
# preflight, answered by the router itself, so allowed origins live in one place:
# LOANSYNCRO_CORS_ORIGINS), a Cognito authorizer in front of every authenticated route (the
# function verifies the token again), stage throttling, access logs, X-Ray.
# deploy/tests/test_consistency.py compares local.api_routes with the router source.

locals {
  # "METHOD /path" => function key (compute.tf). Path parameters as in the router ({loan_id}).
  api_routes = {
    # POST /plan reads the caller's loans only (their stored aggregates, no repayments): the
    # loans function serves it, which keeps the repayments function to the ledger write path.
    "GET /me"                           = "loans"
    "GET /openapi.json"                 = "loans"
    "GET /loans"                        = "loans"
    "POST /loans"                       = "loans"
    "GET /loans/{loan_id}"              = "loans"
    "PUT /loans/{loan_id}"              = "loans"
    "DELETE /loans/{loan_id}"           = "loans"
    "GET /loans/{loan_id}/schedule"     = "loans"
    "GET /loans/{loan_id}/position"     = "loans"
    "GET /loans/{loan_id}/postings"     = "loans"
    "POST /loans/{loan_id}/status"      = "loans"
    "PATCH /loans/{loan_id}"            = "loans"
    "GET /loans/{loan_id}/payoff"       = "loans"
    "POST /loans/{loan_id}/what-if"     = "loans"
    "POST /loans/{loan_id}/reconcile"   = "loans"
    "POST /plan"                        = "loans"
    "GET /repayments"                   = "repayments"
    "POST /repayments"                  = "repayments"
    "GET /repayments/summary"           = "repayments"
    "GET /repayments/loan/{loan_id}"    = "repayments"
    "PUT /repayments/{repayment_id}"    = "repayments"
    "DELETE /repayments/{repayment_id}" = "repayments"

    # Recurring repayment plans (lambdas/api/src/recurring.rs).
    "POST /loans/{loan_id}/recurring"             = "loans"
    "GET /loans/{loan_id}/recurring"              = "loans"
    "DELETE /loans/{loan_id}/recurring"           = "loans"
    "DELETE /loans/{loan_id}/recurring/{plan_id}" = "loans"

    # Timeline events: loans entered mid-term, renewals (lambdas/api/src/timeline.rs).
    "POST /loans/mid-term"           = "loans"
    "POST /loans/{loan_id}/renewals" = "loans"
    "GET /loans/{loan_id}/timeline"  = "loans"

    # Balance corrections and the biweekly comparison (lambdas/api/src/{corrections,biweekly}.rs).
    "POST /loans/{loan_id}/corrections"                   = "loans"
    "GET /loans/{loan_id}/corrections"                    = "loans"
    "DELETE /loans/{loan_id}/corrections/{correction_id}" = "loans"
    "GET /loans/{loan_id}/biweekly"                       = "loans"
    "POST /compare/biweekly"                              = "loans"

    # Portfolio batches, nothing stored (lambdas/api/src/batch.rs): up to 1000 loans, 1 MiB.
    "POST /batch/positions" = "loans"
    "POST /batch/schedules" = "loans"
  }

  # Routes the router serves without a token (its handlers take no AuthUser).
  api_public_routes = ["GET /openapi.json"]

  api_route_paths = distinct([for route in keys(local.api_routes) : split(" ", route)[1]])

  # Every resource path (without the leading slash) including intermediate ones (repayments/loan).
  api_resource_paths = distinct(flatten([
    for p in local.api_route_paths : [
      for i in range(1, length(split("/", trimprefix(p, "/"))) + 1) :
      join("/", slice(split("/", trimprefix(p, "/")), 0, i))
    ]
  ]))

  # The function answering OPTIONS on a path: the one serving its first route.
  api_options_routes = {
    for p in local.api_route_paths : "OPTIONS ${p}" => [
      for route, fn in local.api_routes : fn if split(" ", route)[1] == p
    ][0]
  }

  api_all_routes = merge(local.api_routes, local.api_options_routes)

  # Routes without the Cognito authorizer: OPTIONS and the public ones.
  api_open = { for route in keys(local.api_all_routes) : route => split(" ", route)[0] == "OPTIONS" || contains(local.api_public_routes, route) }

  api_resource_ids = merge(
    { for p, r in aws_api_gateway_resource.depth1 : "/${p}" => r.id },
    { for p, r in aws_api_gateway_resource.depth2 : "/${p}" => r.id },
    { for p, r in aws_api_gateway_resource.depth3 : "/${p}" => r.id },
    { for p, r in aws_api_gateway_resource.depth4 : "/${p}" => r.id },
  )

  cors_header_origin = length(local.api_cors_origins) == 1 ? local.api_cors_origins[0] : "*"
}

resource "aws_api_gateway_rest_api" "main" {
  name        = local.name
  description = "LoanSyncro HTTP API (${var.environment})"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
  lifecycle {
    create_before_destroy = true
  }
}

# API Gateway checks that the Authorization header is present before calling the authorizer;
# bodies are validated by the router (one JSON error shape naming the field).
resource "aws_api_gateway_request_validator" "params" {
  name                        = "${local.name}-params"
  rest_api_id                 = aws_api_gateway_rest_api.main.id
  validate_request_parameters = true
  validate_request_body       = false
}

# Resources by depth (the router's paths are at most four segments deep; the test checks it).
resource "aws_api_gateway_resource" "depth1" {
  for_each    = toset([for p in local.api_resource_paths : p if length(split("/", p)) == 1])
  rest_api_id = aws_api_gateway_rest_api.main.id
  parent_id   = aws_api_gateway_rest_api.main.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_resource" "depth2" {
  for_each    = toset([for p in local.api_resource_paths : p if length(split("/", p)) == 2])
  rest_api_id = aws_api_gateway_rest_api.main.id
  parent_id   = aws_api_gateway_resource.depth1[split("/", each.key)[0]].id
  path_part   = split("/", each.key)[1]
}

resource "aws_api_gateway_resource" "depth3" {
  for_each    = toset([for p in local.api_resource_paths : p if length(split("/", p)) == 3])
  rest_api_id = aws_api_gateway_rest_api.main.id
  parent_id   = aws_api_gateway_resource.depth2[join("/", slice(split("/", each.key), 0, 2))].id
  path_part   = split("/", each.key)[2]
}

resource "aws_api_gateway_resource" "depth4" {
  for_each    = toset([for p in local.api_resource_paths : p if length(split("/", p)) == 4])
  rest_api_id = aws_api_gateway_rest_api.main.id
  parent_id   = aws_api_gateway_resource.depth3[join("/", slice(split("/", each.key), 0, 3))].id
  path_part   = split("/", each.key)[3]
}

resource "aws_api_gateway_authorizer" "cognito" {
  name            = "${local.name}-cognito"
  rest_api_id     = aws_api_gateway_rest_api.main.id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [aws_cognito_user_pool.main.arn]
  identity_source = "method.request.header.Authorization"
}

resource "aws_api_gateway_method" "route" {
  # checkov:skip=CKV_AWS_59:Authorized by Cognito except OPTIONS (CORS preflights carry no credentials by the Fetch standard) and GET /openapi.json (the public API description); see local.api_public_routes.
  for_each    = local.api_all_routes
  rest_api_id = aws_api_gateway_rest_api.main.id
  resource_id = local.api_resource_ids[split(" ", each.key)[1]]
  http_method = split(" ", each.key)[0]

  authorization        = local.api_open[each.key] ? "NONE" : "COGNITO_USER_POOLS"
  authorizer_id        = local.api_open[each.key] ? null : aws_api_gateway_authorizer.cognito.id
  request_validator_id = aws_api_gateway_request_validator.params.id
  request_parameters   = local.api_open[each.key] ? {} : { "method.request.header.Authorization" = true }
}

resource "aws_api_gateway_integration" "route" {
  for_each                = local.api_all_routes
  rest_api_id             = aws_api_gateway_rest_api.main.id
  resource_id             = aws_api_gateway_method.route[each.key].resource_id
  http_method             = aws_api_gateway_method.route[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.api[each.value].invoke_arn
}

# Errors API Gateway answers itself (authorizer 401/403, throttling 429, unknown route) carry
# CORS headers too, so a browser can read them.
resource "aws_api_gateway_gateway_response" "cors" {
  for_each      = toset(["DEFAULT_4XX", "DEFAULT_5XX"])
  rest_api_id   = aws_api_gateway_rest_api.main.id
  response_type = each.key
  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"  = "'${local.cors_header_origin}'"
    "gatewayresponse.header.Access-Control-Allow-Headers" = "'Authorization,Content-Type,If-Match,Idempotency-Key'"
  }
}

resource "aws_api_gateway_deployment" "main" {
  rest_api_id = aws_api_gateway_rest_api.main.id
  triggers = {
    redeployment = sha1(jsonencode([
      local.api_all_routes,
      local.api_public_routes,
      [for m in aws_api_gateway_method.route : [m.id, m.authorization]],
      [for i in aws_api_gateway_integration.route : [i.id, i.uri]],
      [for r in aws_api_gateway_gateway_response.cors : r.response_parameters],
    ]))
  }
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${local.name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_api_gateway_stage" "main" {
  # checkov:skip=CKV_AWS_120:Responses are per user and authorised; a cache would have to key on the token and would cost more than the functions it spares.
  # checkov:skip=CKV2_AWS_77:The stage's web ACL (waf.tf) has AWSManagedRulesKnownBadInputsRuleSet, the Log4j AMR (CKV_AWS_192 passes); this graph check also demands AWSManagedRulesAnonymousIpList, which would block borrowers who use a VPN.
  # checkov:skip=CKV2_AWS_51:Browsers and mobile apps call the API directly; mutual TLS client certificates are for service-to-service backends.
  deployment_id        = aws_api_gateway_deployment.main.id
  rest_api_id          = aws_api_gateway_rest_api.main.id
  stage_name           = var.environment
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      extendedRequestId  = "$context.extendedRequestId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationStatus  = "$context.integration.status"
      errorMessage       = "$context.error.message"
      authorizerError    = "$context.authorizer.error"
    })
  }

  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "all" {
  # checkov:skip=CKV_AWS_225:Caching is off on purpose (per-user authorised responses), see the stage.
  rest_api_id = aws_api_gateway_rest_api.main.id
  stage_name  = aws_api_gateway_stage.main.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = var.api_throttle_rate_limit
    throttling_burst_limit = var.api_throttle_burst_limit
    metrics_enabled        = true
    logging_level          = "ERROR"
    data_trace_enabled     = false # never log bodies: they carry tokens and amounts
    caching_enabled        = false
  }
}
