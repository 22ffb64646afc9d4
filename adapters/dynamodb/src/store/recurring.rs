//! [`RecurringPlanRepository`] on DynamoDB: the `recurring_plans` table (hash key `id`,
//! on-demand), in the conventions of the other items (owner in `user_id`, dates and times as
//! ISO strings, amounts as `N` written from the decimal's own string with their scale in
//! `scales`).
//!
//! | attribute | type | meaning |
//! |---|---|---|
//! | `id`, `loan_id`, `user_id` | S | plan id, its loan, its owner |
//! | `kind` | S | `recurring_plan` |
//! | `amount` | N | amount of every payment (`scales.amount`: its decimal places) |
//! | `frequency` | S | the core's `Frequency` as JSON (`"monthly"`, `{"every_n_days":10}`) |
//! | `first_date`, `end_date` | S | `YYYY-MM-DD` (`end_date` absent: no end) |
//! | `created_at` | S | RFC 3339 UTC |
//! | `next_due` | S | earliest occurrence not materialized; absent once ended |
//! | `due_shard`, `due_key` | S | `"due"` and `next_due + "#" + id` while not ended: the sparse GSI `due-index` |
//!
//! GSIs (projection ALL): `loan-id-index` (`loan_id`) lists a loan's plans; `due-index`
//! (hash `due_shard`, range `due_key`) lists the due plans of every owner in `(next_due, id)`
//! order with one Query (`due_key < {as_of + 1 day}`), never a Scan; ended plans leave it.
//! Writes are single-item and conditional: insert `attribute_not_exists(id)`, delete
//! `user_id = :owner`, advance `user_id = :owner AND next_due < :next` (never backwards).

use std::collections::HashMap;

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, Projection, ProjectionType, ScalarAttributeType,
};
use aws_sdk_dynamodb::Client;
use chrono::{DateTime, NaiveDate, Utc};
use loansyncro_core::app::ports::{
    check_due_limit, DueCursor, RecurringPlanRepository, StoredPlan,
};
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::domain::repayment::{PlanId, RecurringPlan};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::error::{Error, Result};
use rust_decimal::Decimal;

use super::DynamoStore;
use crate::codec::{s, timestamp, Item};
use crate::error::DynamoError;

/// GSI of the plans table on `loan_id`.
pub const PLAN_LOAN_INDEX: &str = "loan-id-index";
/// Sparse GSI of the plans table on (`due_shard`, `due_key`).
pub const DUE_INDEX: &str = "due-index";
/// The one `due_shard` value (the due plans of a day fit one partition easily).
const DUE_SHARD: &str = "due";
const KIND: &str = "recurring_plan";

fn due_key(next_due: NaiveDate, id: &PlanId) -> String {
    format!("{next_due}#{id}")
}

fn encode(plan: &StoredPlan) -> Result<Item> {
    let p = &plan.plan;
    let frequency = serde_json::to_string(&p.frequency).map_err(|e| Error::Storage {
        operation: "encoding a recurring plan".into(),
        message: e.to_string(),
    })?;
    let mut item: Item = HashMap::from([
        ("id".to_owned(), s(p.id.as_str())),
        ("kind".to_owned(), s(KIND)),
        ("loan_id".to_owned(), s(p.loan_id.as_str())),
        ("user_id".to_owned(), s(plan.owner.as_str())),
        ("amount".to_owned(), AttributeValue::N(p.amount.to_string())),
        (
            "scales".to_owned(),
            AttributeValue::M(HashMap::from([(
                "amount".to_owned(),
                AttributeValue::N(p.amount.scale().to_string()),
            )])),
        ),
        ("frequency".to_owned(), s(frequency)),
        ("first_date".to_owned(), s(p.first_date.to_string())),
        ("created_at".to_owned(), s(timestamp(plan.created_at))),
    ]);
    if let Some(end) = p.end {
        item.insert("end_date".into(), s(end.to_string()));
    }
    if let Some(next_due) = plan.next_due {
        item.insert("next_due".into(), s(next_due.to_string()));
        item.insert("due_shard".into(), s(DUE_SHARD));
        item.insert("due_key".into(), s(due_key(next_due, &p.id)));
    }
    Ok(item)
}

fn decode(table: &str, item: &Item) -> Result<StoredPlan> {
    let id = item
        .get("id")
        .and_then(|v| v.as_s().ok())
        .cloned()
        .unwrap_or_default();
    let fail = |attribute: &str, reason: String| -> Error {
        DynamoError::decode(table, &id, attribute, reason).into()
    };
    let text =
        |attribute: &str| -> Option<&String> { item.get(attribute).and_then(|v| v.as_s().ok()) };
    let required =
        |attribute: &str| text(attribute).ok_or_else(|| fail(attribute, "is missing".into()));
    let date = |attribute: &str| -> Result<Option<NaiveDate>> {
        text(attribute)
            .map(|t| {
                t.parse()
                    .map_err(|e| fail(attribute, format!("{t:?}: {e}")))
            })
            .transpose()
    };
    let amount_text = item
        .get("amount")
        .and_then(|v| v.as_n().ok())
        .ok_or_else(|| fail("amount", "is missing".into()))?;
    let mut amount: Decimal = amount_text
        .parse()
        .map_err(|e| fail("amount", format!("{amount_text:?}: {e}")))?;
    let scale = item
        .get("scales")
        .and_then(|v| v.as_m().ok())
        .and_then(|m| m.get("amount"))
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse::<u32>().ok());
    if let Some(scale) = scale.filter(|s| *s > amount.scale()) {
        amount.rescale(scale);
    }
    let frequency_text = required("frequency")?;
    let created_text = required("created_at")?;
    let plan = RecurringPlan {
        id: PlanId::new(id.clone()).map_err(|e| fail("id", e.to_string()))?,
        loan_id: LoanId::new(required("loan_id")?.clone())
            .map_err(|e| fail("loan_id", e.to_string()))?,
        amount,
        frequency: serde_json::from_str(frequency_text)
            .map_err(|e| fail("frequency", format!("{frequency_text:?}: {e}")))?,
        first_date: date("first_date")?.ok_or_else(|| fail("first_date", "is missing".into()))?,
        end: date("end_date")?,
    };
    Ok(StoredPlan {
        plan,
        owner: UserId::new(required("user_id")?.clone())
            .map_err(|e| fail("user_id", e.to_string()))?,
        created_at: DateTime::parse_from_rfc3339(created_text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| fail("created_at", format!("{created_text:?}: {e}")))?,
        next_due: date("next_due")?,
    })
}

fn conditional_failed<E: ProvideErrorMetadata>(e: &E) -> bool {
    e.code() == Some("ConditionalCheckFailedException")
}

impl DynamoStore {
    fn plans_table(&self) -> &str {
        &self.tables.recurring_plans
    }

    /// The owner's plan item, consistent read; `NotFound` when absent or somebody else's.
    async fn owned_plan(&self, owner: &UserId, id: &PlanId) -> Result<StoredPlan> {
        let table = self.plans_table();
        match self.get_item(table, id.as_str()).await? {
            Some(item)
                if item.get("user_id").and_then(|v| v.as_s().ok()) == Some(&owner.to_string()) =>
            {
                decode(table, &item)
            }
            _ => Err(Error::not_found("plan", id.as_str())),
        }
    }
}

impl RecurringPlanRepository for DynamoStore {
    async fn insert_plan(&self, plan: StoredPlan) -> Result<()> {
        let table = self.plans_table();
        let result = self
            .client
            .put_item()
            .table_name(table)
            .set_item(Some(encode(&plan)?))
            .condition_expression("attribute_not_exists(id)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if conditional_failed(&e) => {
                Err(Error::already_exists("plan", plan.plan.id.as_str()))
            }
            Err(e) => Err(DynamoError::request("PutItem", table, &e).into()),
        }
    }

    async fn get_plan(&self, owner: &UserId, id: &PlanId) -> Result<StoredPlan> {
        self.owned_plan(owner, id).await
    }

    async fn plans_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<StoredPlan>> {
        let table = self.plans_table();
        let items = self
            .query_index(table, PLAN_LOAN_INDEX, "loan_id", loan_id.as_str())
            .await?;
        let mut plans = Vec::new();
        for item in &items {
            if item.get("user_id").and_then(|v| v.as_s().ok()) != Some(&owner.to_string()) {
                continue;
            }
            plans.push(decode(table, item)?);
        }
        plans.sort_by(|a, b| (a.created_at, a.id()).cmp(&(b.created_at, b.id())));
        Ok(plans)
    }

    async fn delete_plan(&self, owner: &UserId, id: &PlanId) -> Result<()> {
        let table = self.plans_table();
        let result = self
            .client
            .delete_item()
            .table_name(table)
            .key("id", s(id.as_str()))
            .condition_expression("user_id = :owner")
            .expression_attribute_values(":owner", s(owner.as_str()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if conditional_failed(&e) => Err(Error::not_found("plan", id.as_str())),
            Err(e) => Err(DynamoError::request("DeleteItem", table, &e).into()),
        }
    }

    async fn due_plans(
        &self,
        as_of: NaiveDate,
        after: Option<&DueCursor>,
        limit: u32,
    ) -> Result<Vec<StoredPlan>> {
        check_due_limit(limit)?;
        let table = self.plans_table();
        // Every due_key of a plan due on or before as_of sorts before the next day.
        let bound = as_of
            .succ_opt()
            .map_or_else(|| format!("{as_of}~"), |next| next.to_string());
        let mut start: Option<Item> = after.map(|c| {
            HashMap::from([
                ("id".to_owned(), s(c.id.as_str())),
                ("due_shard".to_owned(), s(DUE_SHARD)),
                ("due_key".to_owned(), s(due_key(c.next_due, &c.id))),
            ])
        });
        let mut plans = Vec::new();
        let wanted = limit as usize;
        loop {
            let remaining = i32::try_from(wanted - plans.len()).unwrap_or(i32::MAX);
            let out = self
                .client
                .query()
                .table_name(table)
                .index_name(DUE_INDEX)
                .key_condition_expression("due_shard = :shard AND due_key < :bound")
                .expression_attribute_values(":shard", s(DUE_SHARD))
                .expression_attribute_values(":bound", s(bound.clone()))
                .limit(remaining)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| DynamoError::request("Query", table, &e))?;
            for item in out.items.unwrap_or_default() {
                plans.push(decode(table, &item)?);
            }
            match out.last_evaluated_key {
                Some(key) if plans.len() < wanted => start = Some(key),
                _ => return Ok(plans),
            }
        }
    }

    async fn advance_plan(
        &self,
        owner: &UserId,
        id: &PlanId,
        next_due: Option<NaiveDate>,
    ) -> Result<bool> {
        let table = self.plans_table();
        let request = self
            .client
            .update_item()
            .table_name(table)
            .key("id", s(id.as_str()))
            .expression_attribute_values(":owner", s(owner.as_str()));
        let request = match next_due {
            Some(next) => request
                .update_expression("SET next_due = :next, due_key = :key")
                .condition_expression(
                    "user_id = :owner AND attribute_exists(next_due) AND next_due < :next",
                )
                .expression_attribute_values(":next", s(next.to_string()))
                .expression_attribute_values(":key", s(due_key(next, id))),
            None => request
                .update_expression("REMOVE next_due, due_key, due_shard")
                .condition_expression("user_id = :owner AND attribute_exists(next_due)"),
        };
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e) if conditional_failed(&e) => {
                // Somebody else's or absent (NotFound), or not behind (did not move).
                self.owned_plan(owner, id).await.map(|_| false)
            }
            Err(e) => Err(DynamoError::request("UpdateItem", table, &e).into()),
        }
    }
}

fn key(name: &str, kind: KeyType) -> std::result::Result<KeySchemaElement, DynamoError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .map_err(|e| DynamoError::build("CreateTable", name, e))
}

fn string_attribute(name: &str) -> std::result::Result<AttributeDefinition, DynamoError> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .map_err(|e| DynamoError::build("CreateTable", name, e))
}

fn index(
    name: &str,
    keys: Vec<KeySchemaElement>,
) -> std::result::Result<GlobalSecondaryIndex, DynamoError> {
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .set_key_schema(Some(keys))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(|e| DynamoError::build("CreateTable", name, e))
}

/// Creates the plans table (on-demand, with its two GSIs) if absent and waits until it is
/// active. For tests and local development; deployments create it with Terraform.
pub(crate) async fn create_plans_table(
    client: &Client,
    table: &str,
) -> std::result::Result<(), DynamoError> {
    let result = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(string_attribute("id")?)
        .attribute_definitions(string_attribute("loan_id")?)
        .attribute_definitions(string_attribute("due_shard")?)
        .attribute_definitions(string_attribute("due_key")?)
        .key_schema(key("id", KeyType::Hash)?)
        .global_secondary_indexes(index(
            PLAN_LOAN_INDEX,
            vec![key("loan_id", KeyType::Hash)?],
        )?)
        .global_secondary_indexes(index(
            DUE_INDEX,
            vec![
                key("due_shard", KeyType::Hash)?,
                key("due_key", KeyType::Range)?,
            ],
        )?)
        .send()
        .await;
    match result {
        Ok(_) => {}
        Err(e) if e.code() == Some("ResourceInUseException") => {}
        Err(e) => return Err(DynamoError::request("CreateTable", table, &e)),
    }
    crate::schema::wait_active(client, table).await
}

/// Deletes the plans table (absent: nothing to do).
pub(crate) async fn delete_plans_table(
    client: &Client,
    table: &str,
) -> std::result::Result<(), DynamoError> {
    match client.delete_table().table_name(table).send().await {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(()),
        Err(e) => Err(DynamoError::request("DeleteTable", table, &e)),
    }
}
