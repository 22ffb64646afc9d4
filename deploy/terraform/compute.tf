# The two Lambda binaries (lambdas/loans, lambdas/repayments): provided.al2023, arm64 by default,
# from the zips of deploy/build-lambdas.sh (cargo lambda build --release --<arch> --output-format zip).

locals {
  # Function key => the cargo binary it runs (the zip is <artifacts>/<arch>/<binary>/bootstrap.zip)
  # and the router variant it serves (loansyncro_api::Routes, see api.tf).
  functions = {
    loans = {
      binary      = "loans"
      description = "LoanSyncro /loans/** (and /me, /openapi.json)"
    }
    repayments = {
      binary      = "repayments"
      description = "LoanSyncro /repayments/**"
    }
  }

  artifacts_dir = startswith(var.artifacts_dir, "/") ? var.artifacts_dir : "${path.module}/${var.artifacts_dir}"

  # Exactly the variables the binaries read (lambdas/api/src/config.rs, adapters/dynamodb/src/config.rs,
  # tracing-subscriber's RUST_LOG); deploy/tests/test_consistency.py parses the Rust sources and fails
  # when a variable is read that is not set here (or is set here and read nowhere). Deliberately not
  # set: AWS_REGION (the Lambda runtime sets it), LOANSYNCRO_DYNAMODB_ENDPOINT (DynamoDB Local only),
  # LOANSYNCRO_JWT_ISSUER / LOANSYNCRO_JWKS_URL (a local identity provider instead of Cognito).
  lambda_environment = {
    LOANSYNCRO_TABLE_PREFIX         = local.table_prefix
    USERS_TABLE                     = aws_dynamodb_table.users.name
    LOANS_TABLE                     = aws_dynamodb_table.loans.name
    REPAYMENTS_TABLE                = aws_dynamodb_table.repayments.name
    RECURRING_PLANS_TABLE           = aws_dynamodb_table.recurring_plans.name
    LOANSYNCRO_COGNITO_USER_POOL_ID = aws_cognito_user_pool.main.id
    LOANSYNCRO_COGNITO_CLIENT_ID    = aws_cognito_user_pool_client.web.id
    LOANSYNCRO_COGNITO_REGION       = local.region
    LOANSYNCRO_JWT_LEEWAY_SECONDS   = tostring(var.jwt_leeway_seconds)
    LOANSYNCRO_CORS_ORIGINS         = join(",", local.api_cors_origins)
    LOANSYNCRO_SNS_TOPIC_ARN        = aws_sns_topic.events.arn
    LOANSYNCRO_REQUEST_TIMEOUT_MS   = tostring(var.api_request_timeout_ms)
    RUST_LOG                        = var.log_level
  }
}

resource "aws_cloudwatch_log_group" "lambda" {
  for_each          = local.functions
  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_lambda_function" "api" {
  # checkov:skip=CKV_AWS_116:Invoked synchronously by API Gateway only; a dead-letter queue applies to asynchronous invocations and would never receive anything.
  # checkov:skip=CKV_AWS_117:No VPC resources to reach: DynamoDB, SNS and Cognito's JWKS are public AWS endpoints over TLS with IAM auth; a VPC would add NAT gateway or endpoint costs and cold-start latency for no isolation gain.
  # checkov:skip=CKV_AWS_272:The zips are built by cargo-lambda in the operator's pipeline and pinned by source_code_hash; AWS Signer code signing is a follow-up for organisations that require it.
  for_each = local.functions

  function_name = "${local.name}-${each.key}"
  description   = each.value.description
  role          = aws_iam_role.lambda[each.key].arn

  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = [var.lambda_architecture]

  filename         = "${local.artifacts_dir}/${var.lambda_architecture}/${each.value.binary}/bootstrap.zip"
  source_code_hash = filebase64sha256("${local.artifacts_dir}/${var.lambda_architecture}/${each.value.binary}/bootstrap.zip")

  memory_size                    = var.lambda_memory_mb
  timeout                        = var.lambda_timeout_seconds
  reserved_concurrent_executions = var.lambda_reserved_concurrency
  kms_key_arn                    = aws_kms_key.main.arn

  environment {
    variables = local.lambda_environment
  }

  tracing_config {
    mode = var.lambda_tracing_mode
  }

  logging_config {
    log_format = "Text" # the binaries already write one JSON object per line (tracing-subscriber)
    log_group  = aws_cloudwatch_log_group.lambda[each.key].name
  }

  lifecycle {
    precondition {
      # The request deadline answers 503 in time only if Lambda does not kill the invocation
      # first: deadline + 2 s (cold start, SDK set-up) must fit in the function's timeout.
      condition     = var.lambda_timeout_seconds * 1000 >= var.api_request_timeout_ms + 2000
      error_message = "lambda_timeout_seconds must leave room for api_request_timeout_ms plus 2 s of start-up."
    }
  }

  depends_on = [aws_iam_role_policy.lambda]
}

resource "aws_lambda_permission" "api_gateway" {
  for_each      = local.functions
  statement_id  = "AllowApiGatewayStage"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  # Only this API's stage, any of its methods and paths (API Gateway checks the route itself).
  source_arn = "${aws_api_gateway_rest_api.main.execution_arn}/${var.environment}/*/*"
}

# --- The scheduled recurring-repayments function (lambdas/recurring) -----------------------------
# Invoked once a day by EventBridge (asynchronously): records every due occurrence of every
# recurring plan through the normal repayment path with deterministic idempotency keys, so a
# retried or duplicated invocation records nothing twice. Not behind the API: no Cognito settings.

locals {
  # Exactly what the job needs of what its binary can read (deploy/tests/test_consistency.py).
  recurring_environment = {
    LOANSYNCRO_TABLE_PREFIX  = local.table_prefix
    USERS_TABLE              = aws_dynamodb_table.users.name
    LOANS_TABLE              = aws_dynamodb_table.loans.name
    REPAYMENTS_TABLE         = aws_dynamodb_table.repayments.name
    RECURRING_PLANS_TABLE    = aws_dynamodb_table.recurring_plans.name
    LOANSYNCRO_SNS_TOPIC_ARN = aws_sns_topic.events.arn
    RUST_LOG                 = var.log_level
  }
  # A run walks every due plan: minutes at most, far from Lambda's 15-minute limit.
  recurring_timeout_seconds = 300
}

resource "aws_cloudwatch_log_group" "recurring" {
  name              = "/aws/lambda/${local.name}-recurring"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_lambda_function" "recurring" {
  # checkov:skip=CKV_AWS_116:A failed run loses nothing: every plan keeps its next_due and the next run (or Lambda's two async retries) records the same occurrences by their idempotency keys; failures raise the errors alarm.
  # checkov:skip=CKV_AWS_117:No VPC resources to reach: DynamoDB and SNS are public AWS endpoints over TLS with IAM auth; a VPC would add NAT gateway or endpoint costs for no isolation gain.
  # checkov:skip=CKV_AWS_272:The zips are built by cargo-lambda in the operator's pipeline and pinned by source_code_hash; AWS Signer code signing is a follow-up for organisations that require it.
  function_name = "${local.name}-recurring"
  description   = "LoanSyncro daily run: materializes due recurring repayments"
  role          = aws_iam_role.recurring.arn

  runtime       = "provided.al2023"
  handler       = "bootstrap"
  architectures = [var.lambda_architecture]

  filename         = "${local.artifacts_dir}/${var.lambda_architecture}/recurring/bootstrap.zip"
  source_code_hash = filebase64sha256("${local.artifacts_dir}/${var.lambda_architecture}/recurring/bootstrap.zip")

  memory_size = var.lambda_memory_mb
  timeout     = local.recurring_timeout_seconds
  # One run at a time (two at once would still record nothing twice, but gain nothing).
  reserved_concurrent_executions = 1
  kms_key_arn                    = aws_kms_key.main.arn

  environment {
    variables = local.recurring_environment
  }

  tracing_config {
    mode = var.lambda_tracing_mode
  }

  logging_config {
    log_format = "Text" # one JSON object per line already (tracing-subscriber)
    log_group  = aws_cloudwatch_log_group.recurring.name
  }

  depends_on = [aws_iam_role_policy.recurring]
}

resource "aws_lambda_function_event_invoke_config" "recurring" {
  function_name                = aws_lambda_function.recurring.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 21600
}

resource "aws_cloudwatch_event_rule" "recurring" {
  name                = "${local.name}-recurring-daily"
  description         = "Materialize due recurring repayments once a day (00:15 UTC)"
  schedule_expression = "cron(15 0 * * ? *)"
}

resource "aws_cloudwatch_event_target" "recurring" {
  rule = aws_cloudwatch_event_rule.recurring.name
  arn  = aws_lambda_function.recurring.arn
}

resource "aws_lambda_permission" "recurring_schedule" {
  statement_id  = "AllowDailySchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.recurring.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.recurring.arn
}
