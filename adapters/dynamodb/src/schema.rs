//! The table layout of the original deployment, and a `create_tables` helper for tests and
//! local development.
//!
//! | table        | hash key | GSI (hash key, projection ALL) |
//! |--------------|----------|--------------------------------|
//! | `users`      | `id` (S) | `email-index` (`email` S)      |
//! | `loans`      | `id` (S) | `user-id-index` (`user_id` S)  |
//! | `repayments` | `id` (S) | `loan-id-index` (`loan_id` S)  |
//!
//! All three use on-demand billing (`PAY_PER_REQUEST`).

use std::time::Duration;

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TableStatus,
};
use aws_sdk_dynamodb::Client;

use crate::config::TableNames;
use crate::error::DynamoError;

/// GSI of the users table on `email`.
pub const EMAIL_INDEX: &str = "email-index";
/// GSI of the loans table on `user_id`.
pub const USER_ID_INDEX: &str = "user-id-index";
/// GSI of the repayments table on `loan_id`.
pub const LOAN_ID_INDEX: &str = "loan-id-index";

/// One table's definition: `(table name, GSI name, GSI hash key attribute)`.
pub fn table_definitions(tables: &TableNames) -> [(String, &'static str, &'static str); 3] {
    [
        (tables.users.clone(), EMAIL_INDEX, "email"),
        (tables.loans.clone(), USER_ID_INDEX, "user_id"),
        (tables.repayments.clone(), LOAN_ID_INDEX, "loan_id"),
    ]
}

fn key(name: &str) -> Result<KeySchemaElement, aws_sdk_dynamodb::error::BuildError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(KeyType::Hash)
        .build()
}

fn string_attribute(
    name: &str,
) -> Result<AttributeDefinition, aws_sdk_dynamodb::error::BuildError> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
}

/// Creates the three tables (on-demand, with their GSIs) if they do not exist, and waits until
/// they are active. Tables that exist already are left as they are.
pub async fn create_tables(client: &Client, tables: &TableNames) -> Result<(), DynamoError> {
    for (table, index, index_key) in table_definitions(tables) {
        let build = |e| DynamoError::build("CreateTable", &table, e);
        let gsi = GlobalSecondaryIndex::builder()
            .index_name(index)
            .key_schema(key(index_key).map_err(build)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .map_err(build)?;
        let result = client
            .create_table()
            .table_name(&table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(string_attribute("id").map_err(build)?)
            .attribute_definitions(string_attribute(index_key).map_err(build)?)
            .key_schema(key("id").map_err(build)?)
            .global_secondary_indexes(gsi)
            .send()
            .await;
        match result {
            Ok(_) => {}
            Err(e) if e.code() == Some("ResourceInUseException") => {}
            Err(e) => return Err(DynamoError::request("CreateTable", &table, &e)),
        }
    }
    for (table, _, _) in table_definitions(tables) {
        wait_active(client, &table).await?;
    }
    Ok(())
}

pub(crate) async fn wait_active(client: &Client, table: &str) -> Result<(), DynamoError> {
    for _ in 0..120 {
        let out = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| DynamoError::request("DescribeTable", table, &e))?;
        let table_active = out
            .table()
            .and_then(|t| t.table_status())
            .is_some_and(|s| *s == TableStatus::Active);
        let indexes_active = out.table().is_some_and(|t| {
            t.global_secondary_indexes()
                .iter()
                .all(|i| i.index_status().is_none_or(|s| s.as_str() == "ACTIVE"))
        });
        if table_active && indexes_active {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(DynamoError::Startup {
        message: format!("table {table} did not become active within 60 s"),
    })
}

/// Deletes the three tables (absent ones are ignored). For tests and local development.
pub async fn delete_tables(client: &Client, tables: &TableNames) -> Result<(), DynamoError> {
    for (table, _, _) in table_definitions(tables) {
        match client.delete_table().table_name(&table).send().await {
            Ok(_) => {}
            Err(e) if e.code() == Some("ResourceNotFoundException") => {}
            Err(e) => return Err(DynamoError::request("DeleteTable", &table, &e)),
        }
    }
    Ok(())
}

/// Checks that the three tables exist and are reachable: one `DescribeTable` each. Turns the
/// usual start-up problems (no endpoint, no credentials, missing table) into one clear
/// [`DynamoError::Startup`] message.
pub async fn check_tables(
    client: &Client,
    tables: &TableNames,
    endpoint: &str,
) -> Result<(), DynamoError> {
    use aws_sdk_dynamodb::error::SdkError;
    for (table, index, _) in table_definitions(tables) {
        let out = match client.describe_table().table_name(&table).send().await {
            Ok(out) => out,
            Err(e) => {
                let message = match &e {
                    SdkError::ServiceError(_) if e.code() == Some("ResourceNotFoundException") => {
                        format!(
                            "table {table} does not exist at {endpoint}: deploy it or call \
                             create_tables (names come from LOANSYNCRO_TABLE_PREFIX / \
                             USERS_TABLE, LOANS_TABLE, REPAYMENTS_TABLE)"
                        )
                    }
                    SdkError::ServiceError(_) => format!(
                        "DescribeTable on {table} at {endpoint} was refused ({}): check the \
                         credentials and their permissions",
                        e.code().unwrap_or("unknown error")
                    ),
                    SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => format!(
                        "cannot reach {endpoint}: {} (is the server running? for DynamoDB \
                         Local set LOANSYNCRO_DYNAMODB_ENDPOINT)",
                        aws_sdk_dynamodb::error::DisplayErrorContext(&e)
                    ),
                    _ => format!(
                        "DescribeTable on {table} at {endpoint} failed: {} (are AWS credentials \
                         and a region configured?)",
                        aws_sdk_dynamodb::error::DisplayErrorContext(&e)
                    ),
                };
                return Err(DynamoError::Startup { message });
            }
        };
        let has_index = out.table().is_some_and(|t| {
            t.global_secondary_indexes()
                .iter()
                .any(|i| i.index_name() == Some(index))
        });
        if !has_index {
            return Err(DynamoError::Startup {
                message: format!("table {table} has no global secondary index {index}"),
            });
        }
    }
    Ok(())
}
