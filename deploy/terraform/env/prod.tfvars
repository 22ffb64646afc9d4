environment                 = "prod"
region                      = "eu-west-1"
lambda_architecture         = "arm64"
lambda_memory_mb            = 512
lambda_timeout_seconds      = 10
lambda_reserved_concurrency = 50
log_level                   = "info"
cors_allowed_origins        = [] # the web app's origins are added by hosting.tf
api_throttle_rate_limit     = 100
api_throttle_burst_limit    = 200
mfa_configuration           = "OPTIONAL"
allow_admin_password_auth   = false
alert_email                 = "ops@example.com"
# Your own domain for the web app (an ACM certificate in us-east-1 covering it):
# web_domain_names    = ["app.example.com"]
# web_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/..."
