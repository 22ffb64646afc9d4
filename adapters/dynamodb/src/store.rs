//! `DynamoStore`: the storage ports on DynamoDB.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, ReturnValue, TransactWriteItem,
};
use aws_sdk_dynamodb::Client;
use loansyncro_core::app::ports::{
    check_repayment_matches_loan, idempotency_conflict, stale_version, LedgerStore, LoanCursor,
    LoanQuery, LoanRepository, Page, RepaymentRepository, UserRepository,
};
use loansyncro_core::domain::loan::{Loan, LoanAggregates, LoanId};
use loansyncro_core::domain::repayment::{Repayment, RepaymentId};
use loansyncro_core::domain::user::{User, UserId};
use loansyncro_core::error::{ConflictKind, Error, Result};
use loansyncro_core::Currency;

use crate::codec::{
    decode_loan, decode_repayment, decode_user, encode_guard, encode_loan, encode_repayment,
    guard_id, is_guard, n_int, s, timestamp, Item, StoredLoan,
};
use crate::config::{build_client, DynamoConfig, TableNames};
use crate::counter::RequestCounter;
use crate::error::DynamoError;
use crate::schema::{self, EMAIL_INDEX, LOAN_ID_INDEX, USER_ID_INDEX};

mod corrections;
mod recurring;

/// Most operations in one `TransactWriteItems` (DynamoDB's limit).
pub const MAX_TRANSACTION_ITEMS: usize = 100;
/// Attempts of a transaction cancelled by a `TransactionConflict` (a concurrent transaction on
/// the same item) before giving up with a storage error.
const TRANSACTION_ATTEMPTS: u32 = 8;

/// The storage ports of `loansyncro-core` on DynamoDB: [`UserRepository`],
/// [`LoanRepository`], [`RepaymentRepository`] and [`LedgerStore`].
///
/// Cheap to clone (the SDK client and the counters are shared); build one per process (per
/// Lambda cold start) and hand clones to tasks.
#[derive(Debug, Clone)]
pub struct DynamoStore {
    client: Client,
    tables: Arc<TableNames>,
    counter: RequestCounter,
    endpoint: Arc<str>,
    undecodable: Arc<AtomicU64>,
}

/// What a transaction came to.
enum Transact {
    Done,
    /// A condition failed (the caller reads the items to say which).
    ConditionFailed,
}

impl DynamoStore {
    /// A store on a new SDK client for `config`. Sends nothing: call [`DynamoStore::check`]
    /// at start-up for one clear message if the endpoint, credentials or tables are wrong.
    pub async fn connect(config: DynamoConfig) -> DynamoStore {
        let counter = RequestCounter::new();
        let client = build_client(&config, &counter).await;
        DynamoStore {
            client,
            tables: Arc::new(config.tables.clone()),
            counter,
            endpoint: config.describe_endpoint().into(),
            undecodable: Arc::default(),
        }
    }

    /// A store on an existing client. `counter` counts requests only if it is installed on
    /// that client as an interceptor.
    pub fn from_client(client: Client, tables: TableNames, counter: RequestCounter) -> Self {
        DynamoStore {
            client,
            tables: Arc::new(tables),
            counter,
            endpoint: "the configured endpoint".into(),
            undecodable: Arc::default(),
        }
    }

    /// The same client and counters on other tables (e.g. another prefix).
    pub fn with_tables(&self, tables: TableNames) -> DynamoStore {
        DynamoStore {
            tables: Arc::new(tables),
            ..self.clone()
        }
    }

    /// The SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The table names.
    pub fn tables(&self) -> &TableNames {
        &self.tables
    }

    /// The request counts (every request this store's client sent, by operation).
    pub fn requests(&self) -> &RequestCounter {
        &self.counter
    }

    /// How many stored items listings skipped because they could not be decoded (each one is
    /// logged at error level with its table, id and attribute). See
    /// `DynamoStore::skip_undecodable`.
    pub fn undecodable_items(&self) -> u64 {
        self.undecodable.load(Ordering::Relaxed)
    }

    /// Reports an item that cannot be decoded (written by an older version, edited by hand)
    /// and leaves it out: one bad item never takes a listing, a summary or a ledger replay
    /// down. Such an item can still be deleted by id (its loan through
    /// [`LoanRepository::delete_with_repayments`], which reads only `user_id` and `deleting`).
    fn skip_undecodable(&self, error: &DynamoError) {
        self.undecodable.fetch_add(1, Ordering::Relaxed);
        if let DynamoError::Decode {
            table,
            id,
            attribute,
            reason,
        } = error
        {
            tracing::error!(table = %table, id = %id, attribute = %attribute, reason = %reason,
                "undecodable item skipped");
        } else {
            tracing::error!(error = %error, "undecodable item skipped");
        }
    }

    /// Creates the tables if absent (see [`schema::create_tables`]).
    pub async fn create_tables(&self) -> std::result::Result<(), DynamoError> {
        schema::create_tables(&self.client, &self.tables).await?;
        recurring::create_plans_table(&self.client, &self.tables.recurring_plans).await
    }

    /// Deletes the tables (see [`schema::delete_tables`]).
    pub async fn delete_tables(&self) -> std::result::Result<(), DynamoError> {
        schema::delete_tables(&self.client, &self.tables).await?;
        recurring::delete_plans_table(&self.client, &self.tables.recurring_plans).await
    }

    /// Start-up check: the endpoint answers, the credentials are accepted and the three tables
    /// exist with their indexes. One `DescribeTable` per table.
    pub async fn check(&self) -> std::result::Result<(), DynamoError> {
        schema::check_tables(&self.client, &self.tables, &self.endpoint).await
    }

    // -----------------------------------------------------------------------------------------
    // Low-level requests
    // -----------------------------------------------------------------------------------------

    /// A strongly consistent `GetItem` by `id`.
    async fn get_item(
        &self,
        table: &str,
        id: &str,
    ) -> std::result::Result<Option<Item>, DynamoError> {
        let out = self
            .client
            .get_item()
            .table_name(table)
            .key("id", s(id))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| DynamoError::request("GetItem", table, &e))?;
        Ok(out.item)
    }

    /// Every item of `index` whose hash key `attribute` is `value`: a `Query`, page after page
    /// (`LastEvaluatedKey`), eventually consistent as every GSI read.
    async fn query_index(
        &self,
        table: &str,
        index: &str,
        attribute: &str,
        value: &str,
    ) -> std::result::Result<Vec<Item>, DynamoError> {
        let mut items = Vec::new();
        let mut start: Option<HashMap<String, AttributeValue>> = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(table)
                .index_name(index)
                .key_condition_expression("#k = :v")
                .expression_attribute_names("#k", attribute)
                .expression_attribute_values(":v", s(value))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| DynamoError::request("Query", table, &e))?;
            items.extend(out.items.unwrap_or_default());
            match out.last_evaluated_key {
                Some(key) if !key.is_empty() => start = Some(key),
                _ => return Ok(items),
            }
        }
    }

    /// One `TransactWriteItems`, retried with jittered exponential backoff while it is
    /// cancelled only by conflicts with concurrent transactions. `label` names the tables for
    /// errors.
    async fn transact(
        &self,
        items: Vec<TransactWriteItem>,
        label: &str,
    ) -> std::result::Result<Transact, DynamoError> {
        let mut attempt = 0u32;
        let mut token = random_token();
        loop {
            attempt += 1;
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items.clone()))
                .client_request_token(token.clone())
                .send()
                .await;
            let err = match result {
                Ok(_) => return Ok(Transact::Done),
                Err(err) => err,
            };
            if let SdkError::ServiceError(service) = &err {
                if let TransactWriteItemsError::TransactionCanceledException(cancelled) =
                    service.err()
                {
                    let has = |code: &str| {
                        cancelled
                            .cancellation_reasons()
                            .iter()
                            .any(|r| r.code.as_deref() == Some(code))
                    };
                    if has("ConditionalCheckFailed") {
                        return Ok(Transact::ConditionFailed);
                    }
                    if has("TransactionConflict") && attempt < TRANSACTION_ATTEMPTS {
                        // Cancelled, nothing applied: a new transaction, a new token.
                        token = random_token();
                        backoff(attempt).await;
                        continue;
                    }
                }
                // The same transaction (an earlier attempt of the SDK) is still running: ask
                // again with the same token, so that it is applied once and answered as done.
                if err.code() == Some("TransactionInProgressException")
                    && attempt < TRANSACTION_ATTEMPTS
                {
                    backoff(attempt).await;
                    continue;
                }
            }
            return Err(DynamoError::request("TransactWriteItems", label, &err));
        }
    }

    // -----------------------------------------------------------------------------------------
    // Loans
    // -----------------------------------------------------------------------------------------

    /// The stored loan `id` (any owner, deleting or not).
    async fn load_loan(&self, id: &LoanId) -> Result<Option<StoredLoan>> {
        match self.get_item(&self.tables.loans, id.as_str()).await? {
            None => Ok(None),
            Some(item) => Ok(Some(decode_loan(&self.tables.loans, &item)?)),
        }
    }

    /// The owner's visible loan (not another owner's, not being deleted), aggregates filled.
    async fn visible_loan(&self, owner: &UserId, id: &LoanId) -> Result<Loan> {
        match self.load_loan(id).await? {
            Some(stored) if stored.loan.owner() == owner && !stored.deleting => {
                self.complete(stored).await
            }
            _ => Err(Error::not_found("loan", id.as_str())),
        }
    }

    /// The loan of a stored item, with the aggregates recomputed from its repayments when the
    /// item comes from the original Lambdas (no aggregates stored): one `Query`.
    async fn complete(&self, stored: StoredLoan) -> Result<Loan> {
        let mut loan = stored.loan;
        if stored.legacy_aggregates {
            let reps = self.repayments_of(&loan).await?;
            let at = loan.updated_at();
            loan.set_aggregates(LoanAggregates::from_repayments(&reps), at);
        }
        Ok(loan)
    }

    /// The repayments of `loan` (owner-checked, sorted), one `Query` on `loan-id-index`.
    async fn repayments_of(&self, loan: &Loan) -> Result<Vec<Repayment>> {
        let table = &self.tables.repayments;
        let items = self
            .query_index(table, LOAN_ID_INDEX, "loan_id", loan.id().as_str())
            .await?;
        let currency = loan.terms().currency();
        let mut reps = Vec::with_capacity(items.len());
        for item in items.iter().filter(|i| !is_guard(i)) {
            match decode_repayment(table, item, currency) {
                Ok(rep) if rep.owner == *loan.owner() => reps.push(rep),
                Ok(_) => {}
                Err(e) => self.skip_undecodable(&e),
            }
        }
        reps.sort_by(Repayment::ledger_order);
        Ok(reps)
    }

    /// All of the owner's visible loans (one `Query` per 1 MB page), unsorted.
    async fn owner_loans(&self, owner: &UserId) -> Result<Vec<Loan>> {
        let table = &self.tables.loans;
        let items = self
            .query_index(table, USER_ID_INDEX, "user_id", owner.as_str())
            .await?;
        let mut loans = Vec::with_capacity(items.len());
        for item in &items {
            let stored = match decode_loan(table, item) {
                Ok(stored) => stored,
                Err(e) => {
                    if raw_visible_to(item, owner) {
                        self.skip_undecodable(&e);
                    }
                    continue;
                }
            };
            if stored.deleting || stored.loan.owner() != owner {
                continue;
            }
            loans.push(self.complete(stored).await?);
        }
        Ok(loans)
    }

    /// The `Put` of `loan` at version `expected + 1`, on condition that the stored loan is the
    /// owner's, not being deleted, and at version `expected` (an item without a version, from
    /// the original Lambdas, counts as version 1).
    fn loan_put(&self, loan: &Loan, expected: u64) -> std::result::Result<Put, DynamoError> {
        let table = &self.tables.loans;
        let version_check = if expected == 1 {
            "(#v = :expected OR attribute_not_exists(#v))"
        } else {
            "#v = :expected"
        };
        Put::builder()
            .table_name(table)
            .set_item(Some(encode_loan(loan, expected.saturating_add(1))))
            .condition_expression(format!(
                "attribute_exists(id) AND #u = :owner AND attribute_not_exists(#d) AND {version_check}"
            ))
            .expression_attribute_names("#u", "user_id")
            .expression_attribute_names("#v", "version")
            .expression_attribute_names("#d", "deleting")
            .expression_attribute_values(":owner", s(loan.owner().as_str()))
            .expression_attribute_values(":expected", n_int(expected))
            .build()
            .map_err(|e| DynamoError::build("Put", table, e))
    }

    /// Why a guarded loan write failed: not found (absent, foreign, being deleted), or stale.
    async fn loan_write_failure(&self, loan: &Loan, expected: u64) -> Result<Error> {
        match self.load_loan(loan.id()).await? {
            Some(stored) if stored.loan.owner() == loan.owner() && !stored.deleting => {
                if stored.loan.version() != expected {
                    Ok(stale_version(loan.id(), expected, stored.loan.version()))
                } else {
                    Ok(Error::conflict(ConflictKind::ConcurrentWrite {
                        loan_id: loan.id().clone(),
                    }))
                }
            }
            _ => Ok(Error::not_found("loan", loan.id().as_str())),
        }
    }

    /// Finishes interrupted cascade deletes of the owner's loans (those marked `deleting`).
    /// Returns how many loans were removed.
    pub async fn resume_deletes(&self, owner: &UserId) -> Result<usize> {
        let table = &self.tables.loans;
        let items = self
            .query_index(table, USER_ID_INDEX, "user_id", owner.as_str())
            .await?;
        let mut done = 0;
        for item in &items {
            // Raw attributes only: an undecodable loan can be deleted too.
            if let (true, Some(AttributeValue::S(id))) = (
                raw_owned_by(item, owner) && raw_deleting(item),
                item.get("id"),
            ) {
                self.finish_delete(&LoanId::new(id.clone())?).await?;
                done += 1;
            }
        }
        Ok(done)
    }

    /// Marks the loan as being deleted (conditional on its owner); from then on no reader
    /// sees it or its repayments and no ledger write succeeds on it.
    pub async fn mark_deleting(&self, owner: &UserId, id: &LoanId) -> Result<()> {
        self.mark_deleting_at(owner, id, None).await
    }

    /// [`DynamoStore::mark_deleting`], with `expected_version` also in the `ConditionExpression`
    /// (an item without a version, from the original Lambdas, counts as version 1): the version
    /// check and the mark are one atomic conditional write. A failed condition is told apart by
    /// reading the item afterwards: not the owner's (not found), another version (stale), or a
    /// concurrent write that came and went.
    async fn mark_deleting_at(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> Result<()> {
        let table = &self.tables.loans;
        let mut request = self
            .client
            .update_item()
            .table_name(table)
            .key("id", s(id.as_str()))
            .update_expression("SET #d = :t")
            .expression_attribute_names("#d", "deleting")
            .expression_attribute_names("#u", "user_id")
            .expression_attribute_values(":t", AttributeValue::Bool(true))
            .expression_attribute_values(":owner", s(owner.as_str()));
        request = match expected_version {
            None => request.condition_expression("attribute_exists(id) AND #u = :owner"),
            Some(expected) => {
                let version_check = if expected == 1 {
                    "(#v = :expected OR attribute_not_exists(#v))"
                } else {
                    "#v = :expected"
                };
                request
                    .condition_expression(format!(
                        "attribute_exists(id) AND #u = :owner AND {version_check}"
                    ))
                    .expression_attribute_names("#v", "version")
                    .expression_attribute_values(":expected", n_int(expected))
            }
        };
        match request.send().await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("ConditionalCheckFailedException") => {
                let not_found = || Error::not_found("loan", id.as_str());
                let (Some(expected), Some(item)) =
                    (expected_version, self.get_item(table, id.as_str()).await?)
                else {
                    return Err(not_found());
                };
                if !raw_visible_to(&item, owner) {
                    return Err(not_found());
                }
                match raw_version(&item) {
                    Some(stored) if stored != expected => Err(stale_version(id, expected, stored)),
                    _ => Err(Error::conflict(ConflictKind::ConcurrentWrite {
                        loan_id: id.clone(),
                    })),
                }
            }
            Err(e) => Err(DynamoError::request("UpdateItem", table, &e).into()),
        }
    }

    /// Deletes the repayments (and idempotency guards) of a loan marked deleting, in
    /// transactions of at most 100 operations, then the loan. Safe to repeat.
    async fn finish_delete(&self, id: &LoanId) -> Result<()> {
        let reps_table = &self.tables.repayments;
        // A GSI read may lag a just-committed write: repeat until a query finds nothing.
        for _round in 0..10 {
            let items = self
                .query_index(reps_table, LOAN_ID_INDEX, "loan_id", id.as_str())
                .await?;
            if items.is_empty() {
                break;
            }
            let mut groups: Vec<Vec<TransactWriteItem>> = Vec::with_capacity(items.len());
            for item in &items {
                let mut group = Vec::with_capacity(2);
                if let Some(AttributeValue::S(rep_id)) = item.get("id") {
                    group.push(delete_op(reps_table, rep_id)?);
                }
                if let (Some(AttributeValue::S(owner)), Some(AttributeValue::S(key))) =
                    (item.get("user_id"), item.get("idempotency_key"))
                {
                    if let Ok(owner) = UserId::new(owner.clone()) {
                        group.push(delete_op(reps_table, &guard_id(&owner, id, key))?);
                    }
                }
                groups.push(group);
            }
            let mut chunk: Vec<TransactWriteItem> = Vec::with_capacity(MAX_TRANSACTION_ITEMS);
            for group in groups {
                if chunk.len() + group.len() > MAX_TRANSACTION_ITEMS {
                    self.transact(std::mem::take(&mut chunk), reps_table)
                        .await?;
                }
                chunk.extend(group);
            }
            if !chunk.is_empty() {
                self.transact(chunk, reps_table).await?;
            }
        }
        // The loan's balance corrections (one document item) go with it.
        self.delete_corrections_doc(id).await?;
        let loans_table = &self.tables.loans;
        let result = self
            .client
            .delete_item()
            .table_name(loans_table)
            .key("id", s(id.as_str()))
            .condition_expression("attribute_exists(#d)")
            .expression_attribute_names("#d", "deleting")
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            // Gone already (a concurrent resume finished first).
            Err(e) if e.code() == Some("ConditionalCheckFailedException") => Ok(()),
            Err(e) => Err(DynamoError::request("DeleteItem", loans_table, &e).into()),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Repayments
    // -----------------------------------------------------------------------------------------

    /// The stored repayment `id` if it is a repayment (not a guard) of `owner`.
    async fn owned_repayment_item(&self, owner: &UserId, id: &RepaymentId) -> Result<Option<Item>> {
        let item = self.get_item(&self.tables.repayments, id.as_str()).await?;
        Ok(item.filter(|item| {
            !is_guard(item)
                && matches!(item.get("user_id"), Some(AttributeValue::S(u)) if u == owner.as_str())
        }))
    }

    fn decode_rep(&self, item: &Item, currency: Currency) -> Result<Repayment> {
        Ok(decode_repayment(&self.tables.repayments, item, currency)?)
    }

    fn ledger_label(&self) -> String {
        format!("{} + {}", self.tables.loans, self.tables.repayments)
    }
}

/// A `Delete` of `id` in `table` as a transaction operation.
fn delete_op(table: &str, id: &str) -> std::result::Result<TransactWriteItem, DynamoError> {
    let delete = Delete::builder()
        .table_name(table)
        .key("id", s(id))
        .build()
        .map_err(|e| DynamoError::build("Delete", table, e))?;
    Ok(TransactWriteItem::builder().delete(delete).build())
}

/// 128 random bits as 32 hex digits (a `ClientRequestToken`: the SDK's own retries of one
/// transaction are then idempotent).
fn random_token() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}

fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish()
}

/// Sleeps 10 ms x 2^attempt (capped at 200 ms, so that the 8 attempts stay well under the
/// API's 3 s bound), times a random factor in [0.5, 1.5).
async fn backoff(attempt: u32) {
    let base = 10u64.saturating_mul(1 << attempt.min(7)).min(200);
    let jitter = base / 2 + random_u64() % base.max(1);
    tokio::time::sleep(Duration::from_millis(jitter)).await;
}

/// Whether the raw item's `user_id` is `owner` (no decoding).
fn raw_owned_by(item: &Item, owner: &UserId) -> bool {
    matches!(item.get("user_id"), Some(AttributeValue::S(u)) if u == owner.as_str())
}

/// Whether the raw item is marked as being deleted.
fn raw_deleting(item: &Item) -> bool {
    matches!(item.get("deleting"), Some(AttributeValue::Bool(true)))
}

/// The raw loan item's version (no decoding); an item without one, from the original Lambdas,
/// is version 1. `None` when the attribute is not a whole number.
fn raw_version(item: &Item) -> Option<u64> {
    match item.get("version") {
        None => Some(1),
        Some(AttributeValue::N(n)) => n.parse().ok(),
        Some(_) => None,
    }
}

/// Whether the raw loan item is the owner's and not being deleted.
fn raw_visible_to(item: &Item, owner: &UserId) -> bool {
    raw_owned_by(item, owner) && !raw_deleting(item)
}

fn put_op(put: Put) -> TransactWriteItem {
    TransactWriteItem::builder().put(put).build()
}

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

impl UserRepository for DynamoStore {
    async fn get(&self, id: &UserId) -> Result<Option<User>> {
        let table = &self.tables.users;
        match self.get_item(table, id.as_str()).await? {
            None => Ok(None),
            Some(item) => Ok(Some(decode_user(table, &item)?)),
        }
    }

    async fn upsert(&self, user: User) -> Result<User> {
        let table = &self.tables.users;
        let out = self
            .client
            .update_item()
            .table_name(table)
            .key("id", s(user.id.as_str()))
            .update_expression("SET #e = :e, #n = :n, #c = if_not_exists(#c, :c)")
            .expression_attribute_names("#e", "email")
            .expression_attribute_names("#n", "full_name")
            .expression_attribute_names("#c", "created_at")
            .expression_attribute_values(":e", s(user.email.clone()))
            .expression_attribute_values(":n", s(user.full_name.clone()))
            .expression_attribute_values(":c", s(timestamp(user.created_at)))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(|e| DynamoError::request("UpdateItem", table, &e))?;
        match out.attributes {
            Some(item) => Ok(decode_user(table, &item)?),
            None => Ok(user),
        }
    }

    async fn find_by_email(&self, email: &str) -> Result<Option<User>> {
        if email.is_empty() {
            return Ok(None);
        }
        let table = &self.tables.users;
        let items = self.query_index(table, EMAIL_INDEX, "email", email).await?;
        let mut users = Vec::with_capacity(items.len());
        for item in &items {
            match decode_user(table, item) {
                Ok(user) if user.email == email => users.push(user),
                Ok(_) => {}
                Err(e) => self.skip_undecodable(&e),
            }
        }
        users.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        // The index may lag an e-mail change: confirm with a consistent read.
        for candidate in users {
            if let Some(item) = self.get_item(table, candidate.id.as_str()).await? {
                let current = decode_user(table, &item)?;
                if current.email == email {
                    return Ok(Some(current));
                }
            }
        }
        Ok(None)
    }
}

impl LoanRepository for DynamoStore {
    async fn get(&self, owner: &UserId, id: &LoanId) -> Result<Loan> {
        self.visible_loan(owner, id).await
    }

    async fn list(&self, owner: &UserId, query: &LoanQuery) -> Result<Page<Loan>> {
        query.validate()?;
        let after = query
            .cursor
            .as_deref()
            .map(LoanCursor::decode)
            .transpose()?;
        // The deployed `user-id-index` has no sort key: read the owner's loans (one Query per
        // 1 MB page), order them by (created_at, id) here, and page with the core's cursor.
        let mut loans = self.owner_loans(owner).await?;
        loans.retain(|loan| query.matches(loan) && after.as_ref().is_none_or(|c| c.precedes(loan)));
        loans.sort_by(|a, b| (a.created_at(), &a.id()).cmp(&(b.created_at(), &b.id())));
        let limit = query.limit as usize;
        let more = loans.len() > limit;
        loans.truncate(limit);
        let next_cursor = match (more, loans.last()) {
            (true, Some(last)) => Some(LoanCursor::after(last).encode()),
            _ => None,
        };
        Ok(Page {
            items: loans,
            next_cursor,
        })
    }

    async fn insert(&self, loan: Loan) -> Result<()> {
        let table = &self.tables.loans;
        let result = self
            .client
            .put_item()
            .table_name(table)
            .set_item(Some(encode_loan(&loan, loan.version())))
            .condition_expression("attribute_not_exists(id)")
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("ConditionalCheckFailedException") => {
                Err(Error::already_exists("loan", loan.id().as_str()))
            }
            Err(e) => Err(DynamoError::request("PutItem", table, &e).into()),
        }
    }

    async fn update(&self, loan: Loan, expected_version: u64) -> Result<Loan> {
        let table = &self.tables.loans;
        let put = self.loan_put(&loan, expected_version)?;
        let result = self
            .client
            .put_item()
            .table_name(table)
            .set_item(Some(put.item))
            .condition_expression(put.condition_expression.unwrap_or_default())
            .set_expression_attribute_names(put.expression_attribute_names)
            .set_expression_attribute_values(put.expression_attribute_values)
            .send()
            .await;
        match result {
            Ok(_) => {
                let stored = loan.stored_after(expected_version);
                Ok(stored)
            }
            Err(e) if e.code() == Some("ConditionalCheckFailedException") => {
                Err(self.loan_write_failure(&loan, expected_version).await?)
            }
            Err(e) => Err(DynamoError::request("PutItem", table, &e).into()),
        }
    }

    /// Reads only the item's `user_id` and `deleting` attributes, so that an item that cannot
    /// be decoded (see [`DynamoStore::undecodable_items`]) can still be deleted by its owner.
    ///
    /// With `expected_version`, the mark that starts the delete is conditional on that version
    /// (see [`DynamoStore::mark_deleting`]): a stale version marks and deletes nothing. A loan
    /// already marked (an interrupted delete) is finished whatever the version.
    async fn delete_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
        expected_version: Option<u64>,
    ) -> Result<()> {
        match self.get_item(&self.tables.loans, id.as_str()).await? {
            Some(item) if raw_owned_by(&item, owner) => {
                if !raw_deleting(&item) {
                    self.mark_deleting_at(owner, id, expected_version).await?;
                }
                self.finish_delete(id).await
            }
            _ => Err(Error::not_found("loan", id.as_str())),
        }
    }
}

impl RepaymentRepository for DynamoStore {
    async fn get(&self, owner: &UserId, id: &RepaymentId) -> Result<Repayment> {
        let not_found = || Error::not_found("repayment", id.as_str());
        let Some(item) = self.owned_repayment_item(owner, id).await? else {
            return Err(not_found());
        };
        let Some(AttributeValue::S(loan_id)) = item.get("loan_id") else {
            return Err(not_found());
        };
        let loan_id = LoanId::new(loan_id.clone()).map_err(|_| not_found())?;
        // A repayment is visible only while its loan is.
        match self.load_loan(&loan_id).await? {
            Some(stored) if stored.loan.owner() == owner && !stored.deleting => {
                self.decode_rep(&item, stored.loan.terms().currency())
            }
            _ => Err(not_found()),
        }
    }

    /// Reads the raw `loan_id` alone (no decoding), so that a repayment item that cannot be
    /// decoded any more can still be deleted by its id; visible only while its loan is.
    async fn loan_of(&self, owner: &UserId, id: &RepaymentId) -> Result<LoanId> {
        let not_found = || Error::not_found("repayment", id.as_str());
        let Some(item) = self.owned_repayment_item(owner, id).await? else {
            return Err(not_found());
        };
        let Some(AttributeValue::S(loan_id)) = item.get("loan_id") else {
            return Err(not_found());
        };
        let loan_id = LoanId::new(loan_id.clone()).map_err(|_| not_found())?;
        let Some(loan) = self.get_item(&self.tables.loans, loan_id.as_str()).await? else {
            return Err(not_found());
        };
        if raw_visible_to(&loan, owner) {
            Ok(loan_id)
        } else {
            Err(not_found())
        }
    }

    async fn list_for_loan(&self, owner: &UserId, loan_id: &LoanId) -> Result<Vec<Repayment>> {
        // The consistent read of the loan (owner, not being deleted) and the index query run
        // side by side: one round trip of latency.
        let table = &self.tables.repayments;
        let (stored, items) = tokio::join!(
            self.load_loan(loan_id),
            self.query_index(table, LOAN_ID_INDEX, "loan_id", loan_id.as_str())
        );
        let loan = match stored? {
            Some(stored) if stored.loan.owner() == owner && !stored.deleting => stored.loan,
            _ => return Err(Error::not_found("loan", loan_id.as_str())),
        };
        let currency = loan.terms().currency();
        let mut reps = Vec::new();
        for item in items?.iter().filter(|i| !is_guard(i)) {
            match decode_repayment(table, item, currency) {
                Ok(rep) if rep.owner == *owner => reps.push(rep),
                Ok(_) => {}
                Err(e) => self.skip_undecodable(&e),
            }
        }
        reps.sort_by(Repayment::ledger_order);
        Ok(reps)
    }

    async fn list_for_owner(&self, owner: &UserId) -> Result<Vec<Repayment>> {
        let table = &self.tables.loans;
        let items = self
            .query_index(table, USER_ID_INDEX, "user_id", owner.as_str())
            .await?;
        let mut all = Vec::new();
        for item in &items {
            let stored = match decode_loan(table, item) {
                Ok(stored) => stored,
                Err(e) => {
                    if raw_visible_to(item, owner) {
                        self.skip_undecodable(&e);
                    }
                    continue;
                }
            };
            if stored.deleting || stored.loan.owner() != owner {
                continue;
            }
            all.extend(self.repayments_of(&stored.loan).await?);
        }
        all.sort_by(Repayment::ledger_order);
        Ok(all)
    }

    async fn find_by_idempotency_key(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
        key: &str,
    ) -> Result<Option<Repayment>> {
        let table = &self.tables.repayments;
        let Some(guard) = self.get_item(table, &guard_id(owner, loan_id, key)).await? else {
            return Ok(None);
        };
        let Some(AttributeValue::S(rep_id)) = guard.get("repayment_id") else {
            return Ok(None);
        };
        let Ok(rep_id) = RepaymentId::new(rep_id.clone()) else {
            return Ok(None);
        };
        match RepaymentRepository::get(self, owner, &rep_id).await {
            Ok(rep) if rep.loan_id == *loan_id => Ok(Some(rep)),
            Ok(_) | Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

impl LedgerStore for DynamoStore {
    /// One consistent `GetItem` (owner, not being deleted) then one `Query`: the loan read
    /// already proves what [`RepaymentRepository::list_for_loan`] would check again.
    async fn loan_with_repayments(
        &self,
        owner: &UserId,
        id: &LoanId,
    ) -> Result<(Loan, Vec<Repayment>)> {
        let stored = match self.load_loan(id).await? {
            Some(stored) if stored.loan.owner() == owner && !stored.deleting => stored,
            _ => return Err(Error::not_found("loan", id.as_str())),
        };
        let repayments = self.repayments_of(&stored.loan).await?;
        let mut loan = stored.loan;
        if stored.legacy_aggregates {
            let at = loan.updated_at();
            loan.set_aggregates(LoanAggregates::from_repayments(&repayments), at);
        }
        Ok((loan, repayments))
    }

    async fn record_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_repayment_matches_loan(&repayment, &loan)?;
        let table = &self.tables.repayments;
        let mut ops = vec![put_op(self.loan_put(&loan, expected_version)?)];
        ops.push(put_op(
            Put::builder()
                .table_name(table)
                .set_item(Some(encode_repayment(&repayment)))
                .condition_expression("attribute_not_exists(id)")
                .build()
                .map_err(|e| DynamoError::build("Put", table, e))?,
        ));
        if let Some(key) = repayment.idempotency_key.as_deref() {
            ops.push(put_op(
                Put::builder()
                    .table_name(table)
                    .set_item(Some(encode_guard(&repayment, key)))
                    .condition_expression("attribute_not_exists(id)")
                    .build()
                    .map_err(|e| DynamoError::build("Put", table, e))?,
            ));
        }
        match self.transact(ops, &self.ledger_label()).await? {
            Transact::Done => {
                let stored = loan.stored_after(expected_version);
                Ok(stored)
            }
            Transact::ConditionFailed => {
                // Classify in the port's order: loan, repayment rules, version.
                let failure = self.loan_write_failure(&loan, expected_version).await?;
                if matches!(failure, Error::NotFound { .. }) {
                    return Err(failure);
                }
                if let Some(item) = self.get_item(table, repayment.id.as_str()).await? {
                    // Exactly our repayment (ids are new per request): an earlier attempt of
                    // this very transaction committed and its answer was lost (the SDK
                    // retried after a timeout or a dropped connection). Done, not a conflict.
                    let ours = decode_repayment(table, &item, loan.terms().currency())
                        .is_ok_and(|stored| stored == repayment);
                    if ours {
                        let stored = loan.stored_after(expected_version);
                        return Ok(stored);
                    }
                    return Err(Error::already_exists("repayment", repayment.id.as_str()));
                }
                if let Some(key) = repayment.idempotency_key.as_deref() {
                    let guard = guard_id(&repayment.owner, &repayment.loan_id, key);
                    if self.get_item(table, &guard).await?.is_some() {
                        return Err(idempotency_conflict(loan.id(), key));
                    }
                }
                Err(failure)
            }
        }
    }

    async fn replace_repayment(
        &self,
        repayment: Repayment,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_repayment_matches_loan(&repayment, &loan)?;
        let table = &self.tables.repayments;
        let not_found = || Error::not_found("repayment", repayment.id.as_str());
        let Some(old_item) = self
            .owned_repayment_item(&repayment.owner, &repayment.id)
            .await?
        else {
            return Err(self.absent_repayment_error(&loan, not_found()).await);
        };
        if !matches!(old_item.get("loan_id"), Some(AttributeValue::S(l)) if l == repayment.loan_id.as_str())
        {
            return Err(self.absent_repayment_error(&loan, not_found()).await);
        }
        let old_key = match old_item.get("idempotency_key") {
            Some(AttributeValue::S(k)) => Some(k.clone()),
            _ => None,
        };
        let new_key = repayment.idempotency_key.clone();

        let mut ops = vec![put_op(self.loan_put(&loan, expected_version)?)];
        ops.push(put_op(
            Put::builder()
                .table_name(table)
                .set_item(Some(encode_repayment(&repayment)))
                .condition_expression("attribute_exists(id) AND #u = :owner AND #l = :loan")
                .expression_attribute_names("#u", "user_id")
                .expression_attribute_names("#l", "loan_id")
                .expression_attribute_values(":owner", s(repayment.owner.as_str()))
                .expression_attribute_values(":loan", s(repayment.loan_id.as_str()))
                .build()
                .map_err(|e| DynamoError::build("Put", table, e))?,
        ));
        if old_key != new_key {
            if let Some(old) = &old_key {
                let delete = Delete::builder()
                    .table_name(table)
                    .key("id", s(guard_id(&repayment.owner, &repayment.loan_id, old)))
                    .condition_expression("attribute_not_exists(id) OR #r = :rid")
                    .expression_attribute_names("#r", "repayment_id")
                    .expression_attribute_values(":rid", s(repayment.id.as_str()))
                    .build()
                    .map_err(|e| DynamoError::build("Delete", table, e))?;
                ops.push(TransactWriteItem::builder().delete(delete).build());
            }
            if let Some(new) = &new_key {
                ops.push(put_op(
                    Put::builder()
                        .table_name(table)
                        .set_item(Some(encode_guard(&repayment, new)))
                        .condition_expression("attribute_not_exists(id) OR #r = :rid")
                        .expression_attribute_names("#r", "repayment_id")
                        .expression_attribute_values(":rid", s(repayment.id.as_str()))
                        .build()
                        .map_err(|e| DynamoError::build("Put", table, e))?,
                ));
            }
        } else if let Some(key) = &new_key {
            // The key stays: make sure it is still this repayment's.
            let check = ConditionCheck::builder()
                .table_name(table)
                .key("id", s(guard_id(&repayment.owner, &repayment.loan_id, key)))
                .condition_expression("attribute_not_exists(id) OR #r = :rid")
                .expression_attribute_names("#r", "repayment_id")
                .expression_attribute_values(":rid", s(repayment.id.as_str()))
                .build()
                .map_err(|e| DynamoError::build("ConditionCheck", table, e))?;
            ops.push(TransactWriteItem::builder().condition_check(check).build());
        }
        match self.transact(ops, &self.ledger_label()).await? {
            Transact::Done => {
                let stored = loan.stored_after(expected_version);
                Ok(stored)
            }
            Transact::ConditionFailed => {
                let failure = self.loan_write_failure(&loan, expected_version).await?;
                if matches!(failure, Error::NotFound { .. }) {
                    return Err(failure);
                }
                let still = self
                    .owned_repayment_item(&repayment.owner, &repayment.id)
                    .await?;
                if !still.as_ref().is_some_and(|i| {
                    matches!(i.get("loan_id"), Some(AttributeValue::S(l)) if l == repayment.loan_id.as_str())
                }) {
                    return Err(not_found());
                }
                if let Some(key) = &new_key {
                    let guard = guard_id(&repayment.owner, &repayment.loan_id, key);
                    if let Some(item) = self.get_item(table, &guard).await? {
                        if !matches!(item.get("repayment_id"), Some(AttributeValue::S(r)) if r == repayment.id.as_str())
                        {
                            return Err(idempotency_conflict(loan.id(), key));
                        }
                    }
                }
                Err(failure)
            }
        }
    }

    async fn remove_repayment(
        &self,
        owner: &UserId,
        id: &RepaymentId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        loansyncro_core::app::ports::ensure_loan_owner(&loan, owner, "repayment")?;
        let table = &self.tables.repayments;
        let not_found = || Error::not_found("repayment", id.as_str());
        let item = self.owned_repayment_item(owner, id).await?;
        let Some(item) = item.filter(
            |i| matches!(i.get("loan_id"), Some(AttributeValue::S(l)) if l == loan.id().as_str()),
        ) else {
            return Err(self.absent_repayment_error(&loan, not_found()).await);
        };
        let mut ops = vec![put_op(self.loan_put(&loan, expected_version)?)];
        let delete = Delete::builder()
            .table_name(table)
            .key("id", s(id.as_str()))
            .condition_expression("attribute_exists(id) AND #u = :owner AND #l = :loan")
            .expression_attribute_names("#u", "user_id")
            .expression_attribute_names("#l", "loan_id")
            .expression_attribute_values(":owner", s(owner.as_str()))
            .expression_attribute_values(":loan", s(loan.id().as_str()))
            .build()
            .map_err(|e| DynamoError::build("Delete", table, e))?;
        ops.push(TransactWriteItem::builder().delete(delete).build());
        if let Some(AttributeValue::S(key)) = item.get("idempotency_key") {
            let delete = Delete::builder()
                .table_name(table)
                .key("id", s(guard_id(owner, loan.id(), key)))
                .condition_expression("attribute_not_exists(id) OR #r = :rid")
                .expression_attribute_names("#r", "repayment_id")
                .expression_attribute_values(":rid", s(id.as_str()))
                .build()
                .map_err(|e| DynamoError::build("Delete", table, e))?;
            ops.push(TransactWriteItem::builder().delete(delete).build());
        }
        match self.transact(ops, &self.ledger_label()).await? {
            Transact::Done => {
                let stored = loan.stored_after(expected_version);
                Ok(stored)
            }
            Transact::ConditionFailed => {
                let failure = self.loan_write_failure(&loan, expected_version).await?;
                if matches!(failure, Error::NotFound { .. }) {
                    return Err(failure);
                }
                let still = self.owned_repayment_item(owner, id).await?;
                if still.is_none() {
                    return Err(not_found());
                }
                Err(failure)
            }
        }
    }
}

impl DynamoStore {
    /// The error when the repayment to change is absent: the loan's own not-found first.
    async fn absent_repayment_error(&self, loan: &Loan, repayment_missing: Error) -> Error {
        match self.load_loan(loan.id()).await {
            Ok(Some(stored)) if stored.loan.owner() == loan.owner() && !stored.deleting => {
                repayment_missing
            }
            Ok(_) => Error::not_found("loan", loan.id().as_str()),
            Err(e) => e,
        }
    }
}
