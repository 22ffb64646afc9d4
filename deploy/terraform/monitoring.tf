# Two encrypted SNS topics: "events" (the domain events adapters/sns publishes: loan.created,
# repayment.recorded, loan.paid, with message attributes to filter on) and "alerts" (CloudWatch
# alarms, with an optional e-mail subscription). Alarms: Lambda errors and throttles, API 5XX and
# 4XX rates, DynamoDB throttles.

resource "aws_sns_topic" "events" {
  name              = "${local.name}-events"
  kms_master_key_id = aws_kms_key.main.arn
}

resource "aws_sns_topic" "alerts" {
  name              = "${local.name}-alerts"
  kms_master_key_id = aws_kms_key.main.arn
}

resource "aws_sns_topic_subscription" "alerts_email" {
  count     = var.alert_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

data "aws_iam_policy_document" "alerts_topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
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

resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}

locals {
  alarm_actions = [aws_sns_topic.alerts.arn]
  tables = {
    users      = aws_dynamodb_table.users.name
    loans      = aws_dynamodb_table.loans.name
    repayments = aws_dynamodb_table.repayments.name

    recurring_plans = aws_dynamodb_table.recurring_plans.name
  }
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each            = local.functions
  alarm_name          = "${local.name}-${each.key}-errors"
  alarm_description   = "The ${each.key} function returned errors (crashes, timeouts, start-up configuration errors)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.api[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alarm_lambda_errors_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "lambda_throttles" {
  for_each            = local.functions
  alarm_name          = "${local.name}-${each.key}-throttles"
  alarm_description   = "The ${each.key} function was throttled (concurrency limit reached)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.api[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# API Gateway's 5XXError / 4XXError metrics are 0/1 per request: their Average is the rate.
resource "aws_cloudwatch_metric_alarm" "api_error_rate" {
  for_each = {
    "5xx" = { metric = "5XXError", threshold = var.alarm_api_5xx_rate_threshold }
    "4xx" = { metric = "4XXError", threshold = var.alarm_api_4xx_rate_threshold }
  }
  alarm_name          = "${local.name}-api-${each.key}-rate"
  alarm_description   = "Share of API requests answered with ${upper(each.key)} above ${each.value.threshold}."
  namespace           = "AWS/ApiGateway"
  metric_name         = each.value.metric
  dimensions          = { ApiName = aws_api_gateway_rest_api.main.name, Stage = aws_api_gateway_stage.main.stage_name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# On-demand tables throttle only past their (account) limits or on hot keys; any throttled
# request is worth a look. ThrottledRequests counts every throttled operation of the table.
resource "aws_cloudwatch_metric_alarm" "dynamodb_throttles" {
  for_each            = local.tables
  alarm_name          = "${local.name}-dynamodb-${each.key}-throttles"
  alarm_description   = "Requests on the ${each.key} table were throttled."
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  dimensions          = { TableName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "recurring_errors" {
  alarm_name          = "${local.name}-recurring-errors"
  alarm_description   = "The daily recurring-repayments run failed (it could not list the due plans, crashed or timed out); the next run catches up."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.recurring.function_name }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
