output "api_url" {
  description = "Base URL of the API (append /loans, /repayments, ...)."
  value       = aws_api_gateway_stage.main.invoke_url
}

output "user_pool_id" {
  description = "Cognito user pool id."
  value       = aws_cognito_user_pool.main.id
}

output "user_pool_client_id" {
  description = "Cognito app client id (public client, SRP)."
  value       = aws_cognito_user_pool_client.web.id
}

output "user_pool_issuer" {
  description = "Issuer of the pool's tokens (iss claim)."
  value       = "https://cognito-idp.${local.region}.amazonaws.com/${aws_cognito_user_pool.main.id}"
}

output "table_names" {
  description = "DynamoDB table names."
  value       = local.tables
}

output "lambda_function_names" {
  description = "Lambda function names."
  value       = { for k, f in aws_lambda_function.api : k => f.function_name }
}

output "events_topic_arn" {
  description = "SNS topic of the domain events (subscribe consumers here)."
  value       = aws_sns_topic.events.arn
}

output "alerts_topic_arn" {
  description = "SNS topic of the CloudWatch alarms."
  value       = aws_sns_topic.alerts.arn
}

output "kms_key_arn" {
  description = "The customer-managed key encrypting tables, topics, logs and Lambda environment."
  value       = aws_kms_key.main.arn
}

# --- Web hosting (hosting.tf) --------------------------------------------------------------------

output "web_url" {
  description = "Address of the web app (the first custom domain, else the distribution's)."
  value       = local.web_url
}

output "web_bucket_name" {
  description = "Bucket of the web app's files (deploy/publish-web.sh uploads web/dist there)."
  value       = aws_s3_bucket.web.bucket
}

output "web_distribution_id" {
  description = "CloudFront distribution of the web app (publish-web.sh invalidates it)."
  value       = aws_cloudfront_distribution.web.id
}

output "web_config" {
  description = "The app's /config.json as Terraform wrote it."
  value       = local.web_config
}
