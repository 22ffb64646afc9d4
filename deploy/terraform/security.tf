# One customer-managed KMS key encrypts the tables, the SNS topics, the log groups and the
# functions' environment. The Lambda roles get exactly the DynamoDB and SNS actions the adapters
# call (deploy/tests/test_consistency.py derives that list from the Rust sources and compares).

resource "aws_kms_key" "main" {
  description             = "${local.name}: DynamoDB tables, SNS topics, log groups, Lambda environment"
  enable_key_rotation     = true
  deletion_window_in_days = local.is_prod ? 30 : 7
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "main" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.main.key_id
}

# The key policy. In a key policy "Resource: *" means "this key"; it names no other resource.
data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_109:A key policy's resource is the key itself; the account root statement is AWS's default that lets IAM policies (the least-privilege roles below) grant use of the key.
  # checkov:skip=CKV_AWS_111:Same: in a key policy "*" is the key, and write access is delegated to IAM policies scoped to this key's ARN.
  # checkov:skip=CKV_AWS_356:Same: key policies can only name "*" (the key they are attached to).
  statement {
    sid       = "AccountAdministersTheKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncryptsTheProjectLogGroups"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.name}-*",
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/apigateway/${local.name}*",
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:aws-waf-logs-${local.name}",
      ]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToTheEncryptedAlertsTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# --- Lambda execution roles (one per function: each may write only its own log group) ----------

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "lambda" {
  for_each           = local.functions
  name               = "${local.name}-${each.key}-lambda"
  description        = "Execution role of the ${each.key} Lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

locals {
  # Exactly the DynamoDB actions of adapters/dynamodb (runtime paths): GetItem (consistent reads),
  # Query (on the GSIs only), PutItem / UpdateItem / DeleteItem (single writes) and the same three
  # plus ConditionCheckItem inside TransactWriteItems (IAM has no TransactWriteItems action: each
  # element is authorised as its own action). create_tables/delete_tables are development helpers
  # the functions never call, so CreateTable/DeleteTable are not granted.
  lambda_dynamodb_table_actions = [
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
  ]
  lambda_dynamodb_index_actions = [
    "dynamodb:Query",
  ]
  # adapters/sns publishes the domain events.
  lambda_sns_actions = [
    "sns:Publish",
  ]
}

data "aws_iam_policy_document" "lambda" {
  for_each = local.functions

  statement {
    sid     = "TablesItemAccess"
    actions = local.lambda_dynamodb_table_actions
    resources = [
      aws_dynamodb_table.users.arn,
      aws_dynamodb_table.loans.arn,
      aws_dynamodb_table.repayments.arn,
      aws_dynamodb_table.recurring_plans.arn,
    ]
  }

  statement {
    sid     = "IndexQueries"
    actions = local.lambda_dynamodb_index_actions
    resources = [
      "${aws_dynamodb_table.users.arn}/index/email-index",
      "${aws_dynamodb_table.loans.arn}/index/user-id-index",
      "${aws_dynamodb_table.repayments.arn}/index/loan-id-index",
      "${aws_dynamodb_table.recurring_plans.arn}/index/loan-id-index",
      "${aws_dynamodb_table.recurring_plans.arn}/index/due-index",
    ]
  }

  statement {
    sid       = "PublishEvents"
    actions   = local.lambda_sns_actions
    resources = [aws_sns_topic.events.arn]
  }

  statement {
    sid       = "UseTheKeyThroughDynamoDbSnsAndLambda"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.main.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "dynamodb.${local.region}.amazonaws.com",
        "sns.${local.region}.amazonaws.com",
        "lambda.${local.region}.amazonaws.com",
      ]
    }
  }

  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda[each.key].arn}:*"]
  }

  dynamic "statement" {
    for_each = var.lambda_tracing_mode == "Active" ? [1] : []
    content {
      sid = "XRayTraces"
      # X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permissions.
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "lambda" {
  for_each = local.functions
  name     = "${local.name}-${each.key}-lambda"
  role     = aws_iam_role.lambda[each.key].id
  policy   = data.aws_iam_policy_document.lambda[each.key].json
}

# --- API Gateway's account-wide CloudWatch role (access and execution logs) --------------------

data "aws_iam_policy_document" "apigw_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "apigw_logs" {
  statement {
    sid = "WriteApiLogGroups"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
      "logs:PutRetentionPolicy",
    ]
    resources = [
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:API-Gateway-Execution-Logs_*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:API-Gateway-Execution-Logs_*:*",
      aws_cloudwatch_log_group.api_access.arn,
      "${aws_cloudwatch_log_group.api_access.arn}:*",
    ]
  }
  statement {
    sid       = "FindLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
  }
}

resource "aws_iam_role" "apigw_logs" {
  count              = var.manage_api_gateway_account ? 1 : 0
  name               = "${local.name}-apigw-logs"
  description        = "API Gateway writes access and execution logs"
  assume_role_policy = data.aws_iam_policy_document.apigw_assume.json
}

resource "aws_iam_role_policy" "apigw_logs" {
  count  = var.manage_api_gateway_account ? 1 : 0
  name   = "${local.name}-apigw-logs"
  role   = aws_iam_role.apigw_logs[0].id
  policy = data.aws_iam_policy_document.apigw_logs.json
}

resource "aws_api_gateway_account" "this" {
  count               = var.manage_api_gateway_account ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.apigw_logs[0].arn
  depends_on          = [aws_iam_role_policy.apigw_logs]
}

# --- The recurring-repayments function's role: only what the daily run calls -------------------
# Plans: read the due ones (due-index), advance (UpdateItem), delete those whose loan is gone.
# Ledger: the repayment write path (consistent GetItem of the loan and the idempotency guard,
# Query of the loan's repayments, the TransactWriteItems of Put/ConditionCheck elements). No
# users table, no loan listing, no deletes on the ledger.

resource "aws_iam_role" "recurring" {
  name               = "${local.name}-recurring-lambda"
  description        = "Execution role of the recurring-repayments Lambda"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "recurring" {
  statement {
    sid       = "PlansItemAccess"
    actions   = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [aws_dynamodb_table.recurring_plans.arn]
  }

  statement {
    sid       = "LedgerItemAccess"
    actions   = ["dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem"]
    resources = [aws_dynamodb_table.loans.arn, aws_dynamodb_table.repayments.arn]
  }

  statement {
    sid     = "IndexQueries"
    actions = ["dynamodb:Query"]
    resources = [
      "${aws_dynamodb_table.recurring_plans.arn}/index/due-index",
      "${aws_dynamodb_table.repayments.arn}/index/loan-id-index",
    ]
  }

  statement {
    sid       = "PublishEvents"
    actions   = local.lambda_sns_actions
    resources = [aws_sns_topic.events.arn]
  }

  statement {
    sid       = "UseTheKeyThroughDynamoDbSnsAndLambda"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.main.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "dynamodb.${local.region}.amazonaws.com",
        "sns.${local.region}.amazonaws.com",
        "lambda.${local.region}.amazonaws.com",
      ]
    }
  }

  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.recurring.arn}:*"]
  }

  dynamic "statement" {
    for_each = var.lambda_tracing_mode == "Active" ? [1] : []
    content {
      sid = "XRayTraces"
      # X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permissions.
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "recurring" {
  name   = "${local.name}-recurring-lambda"
  role   = aws_iam_role.recurring.id
  policy = data.aws_iam_policy_document.recurring.json
}
