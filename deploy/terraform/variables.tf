variable "project" {
  description = "Name prefix of every resource."
  type        = string
  default     = "loansyncro"
}

variable "environment" {
  description = "Deployment environment: dev or prod (prod turns on deletion protection)."
  type        = string
  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

# --- Lambda ------------------------------------------------------------------------------------

variable "lambda_architecture" {
  description = "Instruction set of the Lambda zips: arm64 (default, cheaper) or x86_64."
  type        = string
  default     = "arm64"
  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "artifacts_dir" {
  description = "Folder with the zips of deploy/build-lambdas.sh: <dir>/<arch>/<binary>/bootstrap.zip. Relative paths are relative to deploy/terraform."
  type        = string
  default     = "../dist"
}

variable "lambda_memory_mb" {
  description = "Memory of each function (MB); CPU scales with it."
  type        = number
  default     = 256
  validation {
    condition     = var.lambda_memory_mb >= 128 && var.lambda_memory_mb <= 10240
    error_message = "lambda_memory_mb must be between 128 and 10240."
  }
}

variable "lambda_timeout_seconds" {
  description = "Timeout of each function (API Gateway gives up after 29 s)."
  type        = number
  default     = 10
  validation {
    condition     = var.lambda_timeout_seconds >= 1 && var.lambda_timeout_seconds <= 29
    error_message = "lambda_timeout_seconds must be between 1 and 29."
  }
}

variable "api_request_timeout_ms" {
  description = "Every API request answers within this (503 with Retry-After after it, whatever DynamoDB or the identity provider does); the functions' timeout must leave room for it (checked on the functions)."
  type        = number
  default     = 2500
  validation {
    condition     = var.api_request_timeout_ms >= 100 && var.api_request_timeout_ms <= 3000
    error_message = "api_request_timeout_ms must be between 100 and 3000 (the API promises an answer within 3 s)."
  }
}

variable "lambda_reserved_concurrency" {
  description = "Reserved concurrency per function; -1 leaves it unreserved (needed on new accounts whose regional limit is 10)."
  type        = number
  default     = -1
}

variable "lambda_tracing_mode" {
  description = "X-Ray tracing of the functions: Active or PassThrough."
  type        = string
  default     = "Active"
}

variable "log_level" {
  description = "RUST_LOG filter of the functions (tracing-subscriber EnvFilter syntax)."
  type        = string
  default     = "info"
}

variable "log_retention_days" {
  description = "Retention of the Lambda and API access log groups."
  type        = number
  default     = 365
}

variable "jwt_leeway_seconds" {
  description = "Clock skew tolerated on exp/nbf of the Cognito tokens (LOANSYNCRO_JWT_LEEWAY_SECONDS)."
  type        = number
  default     = 30
}

# --- API ---------------------------------------------------------------------------------------

variable "cors_allowed_origins" {
  description = "Origins allowed to call the API from a browser besides the web app's own (hosting.tf adds the distribution and web_domain_names); [\"*\"] for any (the API uses bearer tokens, never cookies)."
  type        = list(string)
  default     = []
}

variable "api_throttle_rate_limit" {
  description = "Stage-wide steady-state request rate (requests per second)."
  type        = number
  default     = 50
}

variable "api_throttle_burst_limit" {
  description = "Stage-wide burst of requests."
  type        = number
  default     = 100
}

variable "manage_api_gateway_account" {
  description = "Set the account-wide API Gateway CloudWatch role (needed once per account and region for access logs). Turn off if another stack owns it."
  type        = bool
  default     = true
}

# --- Auth --------------------------------------------------------------------------------------

variable "mfa_configuration" {
  description = "Cognito MFA: OFF, OPTIONAL (users may add a TOTP app) or ON."
  type        = string
  default     = "OPTIONAL"
  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.mfa_configuration)
    error_message = "mfa_configuration must be OFF, OPTIONAL or ON."
  }
}

variable "password_minimum_length" {
  description = "Minimum password length (upper, lower, digit and symbol are always required)."
  type        = number
  default     = 12
}

variable "allow_admin_password_auth" {
  description = "Allow ADMIN_USER_PASSWORD_AUTH on the app client (an operator with IAM credentials can get tokens from the CLI: handy in dev, off in prod)."
  type        = bool
  default     = false
}


# --- Monitoring --------------------------------------------------------------------------------

variable "alert_email" {
  description = "E-mail address subscribed to the alerts topic (empty: no subscription)."
  type        = string
  default     = ""
}

variable "alarm_lambda_errors_threshold" {
  description = "Lambda errors in 5 minutes that raise the alarm."
  type        = number
  default     = 1
}

variable "alarm_api_5xx_rate_threshold" {
  description = "API 5XX responses as a fraction of requests (5-minute average) that raise the alarm."
  type        = number
  default     = 0.01
}

variable "alarm_api_4xx_rate_threshold" {
  description = "API 4XX responses as a fraction of requests (5-minute average) that raise the alarm."
  type        = number
  default     = 0.1
}

variable "enable_waf" {
  description = "Put a WAF web ACL (AWS managed common and known-bad-input rules, a per-IP rate limit) in front of the API stage. About 8 USD a month; dev may turn it off."
  type        = bool
  default     = true
}

variable "waf_rate_limit_per_5_minutes" {
  description = "Requests one IP address may send in 5 minutes before WAF blocks it."
  type        = number
  default     = 1000
}

# --- Web hosting (hosting.tf) --------------------------------------------------------------------

variable "web_domain_names" {
  description = "Custom domains of the web app (CloudFront aliases); empty: the distribution's *.cloudfront.net name only. Needs web_certificate_arn."
  type        = list(string)
  default     = []
}

variable "web_certificate_arn" {
  description = "ACM certificate (in us-east-1) covering web_domain_names; empty: CloudFront's default certificate."
  type        = string
  default     = ""
}

variable "web_price_class" {
  description = "CloudFront price class of the web app (PriceClass_100: North America and Europe edges)."
  type        = string
  default     = "PriceClass_100"
  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.web_price_class)
    error_message = "web_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "web_noncurrent_version_days" {
  description = "Days the web bucket keeps files a publish replaced or deleted (roll back by restoring a version)."
  type        = number
  default     = 30
}
