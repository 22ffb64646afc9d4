# The three tables exactly as adapters/dynamodb/src/schema.rs (create_tables) defines them:
#
#   table        hash key   GSI (hash key, projection ALL)
#   users        id (S)     email-index   (email S)
#   loans        id (S)     user-id-index (user_id S)
#   repayments   id (S)     loan-id-index (loan_id S)
#
# on-demand billing. Added for AWS: SSE with the project's KMS key, point-in-time recovery,
# deletion protection in prod. deploy/tests/test_consistency.py checks names and types against
# the Rust source.

resource "aws_dynamodb_table" "users" {
  name                        = "${local.table_prefix}users"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = local.is_prod

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "email"
    type = "S"
  }

  global_secondary_index {
    name            = "email-index"
    hash_key        = "email"
    projection_type = "ALL"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_dynamodb_table" "loans" {
  name                        = "${local.table_prefix}loans"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = local.is_prod

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "user_id"
    type = "S"
  }

  global_secondary_index {
    name            = "user-id-index"
    hash_key        = "user_id"
    projection_type = "ALL"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_dynamodb_table" "repayments" {
  name                        = "${local.table_prefix}repayments"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = local.is_prod

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "loan_id"
    type = "S"
  }

  global_secondary_index {
    name            = "loan-id-index"
    hash_key        = "loan_id"
    projection_type = "ALL"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }

  point_in_time_recovery {
    enabled = true
  }
}

# Recurring repayment plans, exactly as adapters/dynamodb/src/store/recurring.rs
# (create_plans_table) defines them:
#
#   table            hash key   GSIs (projection ALL)
#   recurring_plans  id (S)     loan-id-index (loan_id S)
#                               due-index     (due_shard S, range due_key S; sparse: ended plans leave it)
resource "aws_dynamodb_table" "recurring_plans" {
  name                        = "${local.table_prefix}recurring_plans"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = local.is_prod

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "loan_id"
    type = "S"
  }

  attribute {
    name = "due_shard"
    type = "S"
  }

  attribute {
    name = "due_key"
    type = "S"
  }

  global_secondary_index {
    name            = "loan-id-index"
    hash_key        = "loan_id"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "due-index"
    hash_key        = "due_shard"
    range_key       = "due_key"
    projection_type = "ALL"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }

  point_in_time_recovery {
    enabled = true
  }
}
