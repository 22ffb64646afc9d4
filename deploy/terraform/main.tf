# LoanSyncro on AWS: the Rust Lambdas behind API Gateway, Cognito for sign-in, DynamoDB for the
# data, SNS for events and alerts, one customer-managed KMS key for everything at rest.
#
#   main.tf        provider, naming, shared locals
#   variables.tf   inputs (env/dev.tfvars, env/prod.tfvars)
#   security.tf    KMS key, IAM roles (least privilege)
#   storage.tf     DynamoDB tables (as adapters/dynamodb's create_tables defines them)
#   compute.tf     the two Lambda functions and their log groups
#   api.tf         API Gateway REST API (the router's routes as Lambda proxy integrations)
#   auth.tf        Cognito user pool and app client
#   monitoring.tf  SNS topics (events, alerts), CloudWatch alarms
#   waf.tf         WAF web ACL in front of the API stage (optional, on by default)
#   outputs.tf     API URL, pool ids, table names
#
# Build the Lambda zips first (deploy/build-lambdas.sh), then
#   terraform init && terraform apply -var-file=env/dev.tfvars

terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = merge(var.tags, {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  name    = "${var.project}-${var.environment}"
  is_prod = var.environment == "prod"

  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition

  # Table names: <project>-<env>-users etc. The adapter builds the same names from
  # LOANSYNCRO_TABLE_PREFIX (TableNames::with_prefix) and also reads one variable per table.
  table_prefix = "${local.name}-"
}
