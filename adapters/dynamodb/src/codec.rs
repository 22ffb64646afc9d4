//! Items <-> entities. Numbers travel as DynamoDB `N` built from the decimal's own string
//! (never through `f64`); dates and times as ISO-8601 strings. See the crate README for the
//! attribute mapping and the defaults given to items written by the original Python Lambdas.

use std::collections::HashMap;
use std::str::FromStr;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use loansyncro_core::domain::loan::{Loan, LoanAggregates, LoanId, LoanRecord};
use loansyncro_core::domain::repayment::{Repayment, RepaymentId};
use loansyncro_core::domain::status::LoanStatus;
use loansyncro_core::domain::user::{User, UserId};
use loansyncro_core::schedule::terms::{LoanTerms, LoanTermsBuilder};
use loansyncro_core::Currency;
use rust_decimal::Decimal;

use crate::error::DynamoError;

/// A DynamoDB item.
pub type Item = HashMap<String, AttributeValue>;

/// Terms fields stored as their own attributes (the original layout); every other terms
/// option lives in the JSON string `terms_options`.
const FLAT_TERMS_FIELDS: [&str; 5] = [
    "currency",
    "principal",
    "annual_rate_percent",
    "installments",
    "start",
];

/// Prefix of the ids of idempotency-guard items in the repayments table.
pub const GUARD_PREFIX: &str = "idem:";

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

/// An `S` attribute.
pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// An `N` attribute from a decimal's exact string.
pub fn n(value: Decimal) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// Inserts `value` as an `N` attribute and records its scale in `scales` (DynamoDB drops
/// trailing zeros; the scale gives them back on reading).
pub fn put_decimal(
    item: &mut Item,
    scales: &mut HashMap<String, AttributeValue>,
    name: &str,
    value: Decimal,
) {
    item.insert(name.to_owned(), n(value));
    scales.insert(name.to_owned(), n_int(u64::from(value.scale())));
}

/// An `N` attribute from an integer.
pub fn n_int(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// A timestamp as RFC 3339 UTC with only as many fraction digits as needed.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses a decimal string exactly (plain or scientific notation).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    Decimal::from_str(text)
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// Gives `value` at least `scale` decimal places (DynamoDB drops trailing zeros: `1000.50`
/// reads back as `1000.5`). Never rounds: a value with more places keeps them.
pub fn rescale_up(mut value: Decimal, scale: u32) -> Decimal {
    if value.scale() < scale {
        value.rescale(scale);
    }
    value
}

/// Parses an RFC 3339 timestamp, or a naive ISO-8601 one as UTC (Python's
/// `datetime.utcnow().isoformat()`), or a bare date as midnight UTC.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    parse_date(text).map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// Parses `YYYY-MM-DD`, ignoring a time part after it.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let head = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
}

/// Reads attributes of one item, naming the table and item in every error.
#[derive(Debug)]
pub struct Reader<'a> {
    table: &'a str,
    id: String,
    item: &'a Item,
}

impl<'a> Reader<'a> {
    /// A reader of `item` from `table`.
    pub fn new(table: &'a str, item: &'a Item) -> Reader<'a> {
        let id = match item.get("id") {
            Some(AttributeValue::S(id)) => id.clone(),
            _ => String::new(),
        };
        Reader { table, id, item }
    }

    /// The error for `attribute`.
    pub fn error(&self, attribute: &str, reason: impl Into<String>) -> DynamoError {
        DynamoError::decode(self.table, &self.id, attribute, reason)
    }

    /// A string attribute; `None` when absent or NULL.
    pub fn opt_str(&self, name: &str) -> Result<Option<&'a str>, DynamoError> {
        match self.item.get(name) {
            None | Some(AttributeValue::Null(_)) => Ok(None),
            Some(AttributeValue::S(v)) => Ok(Some(v.as_str())),
            Some(other) => Err(self.error(name, format!("expected a string, got {other:?}"))),
        }
    }

    /// A required string attribute.
    pub fn str(&self, name: &str) -> Result<&'a str, DynamoError> {
        self.opt_str(name)?
            .ok_or_else(|| self.error(name, "missing"))
    }

    /// A number attribute (`N`, or a decimal string `S` as some old items have); `None` when
    /// absent or NULL.
    pub fn opt_decimal(&self, name: &str) -> Result<Option<Decimal>, DynamoError> {
        let text = match self.item.get(name) {
            None | Some(AttributeValue::Null(_)) => return Ok(None),
            Some(AttributeValue::N(v)) | Some(AttributeValue::S(v)) => v,
            Some(other) => {
                return Err(self.error(name, format!("expected a number, got {other:?}")))
            }
        };
        parse_decimal(text)
            .map(Some)
            .ok_or_else(|| self.error(name, format!("{text:?} is not a decimal number")))
    }

    /// A number attribute given back with the scale it was written with (recorded in the
    /// item's `scales` map, since DynamoDB drops trailing zeros), or at least `min_scale`
    /// places for items without that record (original layout).
    pub fn opt_exact(&self, name: &str, min_scale: u32) -> Result<Option<Decimal>, DynamoError> {
        let Some(value) = self.opt_decimal(name)? else {
            return Ok(None);
        };
        let written = match self.item.get("scales") {
            Some(AttributeValue::M(scales)) => match scales.get(name) {
                Some(AttributeValue::N(text)) => text.parse::<u32>().ok(),
                _ => None,
            },
            _ => None,
        };
        Ok(Some(match written {
            Some(scale) => rescale_up(value, scale),
            None => rescale_up(value, min_scale),
        }))
    }

    /// A required number attribute, see [`Reader::opt_exact`].
    pub fn exact(&self, name: &str, min_scale: u32) -> Result<Decimal, DynamoError> {
        self.opt_exact(name, min_scale)?
            .ok_or_else(|| self.error(name, "missing"))
    }

    /// A required number attribute.
    pub fn decimal(&self, name: &str) -> Result<Decimal, DynamoError> {
        self.opt_decimal(name)?
            .ok_or_else(|| self.error(name, "missing"))
    }

    /// A non-negative integer attribute; `None` when absent.
    pub fn opt_u64(&self, name: &str) -> Result<Option<u64>, DynamoError> {
        match self.opt_decimal(name)? {
            None => Ok(None),
            Some(d) => {
                let whole = d.normalize();
                if whole.scale() != 0 || whole.is_sign_negative() {
                    return Err(self.error(name, format!("{d} is not a whole number")));
                }
                u64::try_from(whole)
                    .map(Some)
                    .map_err(|_| self.error(name, format!("{d} is out of range")))
            }
        }
    }

    /// A boolean attribute (absent is false).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.item.get(name), Some(AttributeValue::Bool(true)))
    }

    /// An optional timestamp attribute.
    pub fn opt_timestamp(&self, name: &str) -> Result<Option<DateTime<Utc>>, DynamoError> {
        match self.opt_str(name)? {
            None => Ok(None),
            Some(text) => parse_timestamp(text)
                .map(Some)
                .ok_or_else(|| self.error(name, format!("{text:?} is not an ISO-8601 time"))),
        }
    }

    /// An optional date attribute.
    pub fn opt_date(&self, name: &str) -> Result<Option<NaiveDate>, DynamoError> {
        match self.opt_str(name)? {
            None => Ok(None),
            Some(text) => parse_date(text)
                .map(Some)
                .ok_or_else(|| self.error(name, format!("{text:?} is not an ISO-8601 date"))),
        }
    }

    fn id<T>(
        &self,
        name: &str,
        make: impl Fn(String) -> loansyncro_core::Result<T>,
    ) -> Result<T, DynamoError> {
        let text = self.str(name)?;
        make(text.to_owned()).map_err(|e| self.error(name, e.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------

/// A user from its item (`full_name`, or `name` in older items; empty when absent).
pub fn decode_user(table: &str, item: &Item) -> Result<User, DynamoError> {
    let r = Reader::new(table, item);
    let full_name = match r.opt_str("full_name")? {
        Some(name) => name,
        None => r.opt_str("name")?.unwrap_or_default(),
    };
    Ok(User {
        id: r.id("id", UserId::new)?,
        email: r.str("email")?.to_owned(),
        full_name: full_name.to_owned(),
        created_at: r
            .opt_timestamp("created_at")?
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
    })
}

// ---------------------------------------------------------------------------------------------
// Loans
// ---------------------------------------------------------------------------------------------

/// A loan as stored, with what the adapter needs besides the entity.
#[derive(Debug, Clone)]
pub struct StoredLoan {
    /// The entity.
    pub loan: Loan,
    /// A cascade delete is under way: the loan is invisible to readers.
    pub deleting: bool,
    /// The item has no aggregates (written by the original Lambdas): they must be recomputed
    /// from the repayments.
    pub legacy_aggregates: bool,
}

/// The status of a loan item; `completed`/`closed` of older items read as paid; absent is
/// active.
fn decode_status(r: &Reader<'_>) -> Result<LoanStatus, DynamoError> {
    let Some(text) = r.opt_str("status")? else {
        return Ok(LoanStatus::Active);
    };
    // The names of older items; every other value is a name of the core's vocabulary.
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Ok(LoanStatus::Active),
        "completed" | "closed" | "paid_off" => Ok(LoanStatus::Paid),
        "default" => Ok(LoanStatus::Defaulted),
        _ => text
            .parse()
            .map_err(|e: loansyncro_core::MathError| r.error("status", e.to_string())),
    }
}

/// The JSON shape of every aggregate field, from the defaults: a string is a decimal, a number
/// an integer, null an optional date (or decimal).
fn aggregate_shapes() -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(LoanAggregates::default()) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// Each aggregate field becomes an attribute of the same name: decimals and counts as `N`,
/// dates as `S`, absent options omitted. New fields of the core's `LoanAggregates` are
/// stored without changes here.
fn encode_aggregates(
    aggregates: &LoanAggregates,
    item: &mut Item,
    scales: &mut HashMap<String, AttributeValue>,
) {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(aggregates) else {
        return;
    };
    for (field, value) in map {
        let attribute = match value {
            serde_json::Value::Number(number) => AttributeValue::N(number.to_string()),
            serde_json::Value::String(text) => match parse_decimal(&text) {
                Some(d) if parse_date(&text).is_none() => {
                    put_decimal(item, scales, &field, d);
                    continue;
                }
                _ => AttributeValue::S(text),
            },
            _ => continue,
        };
        item.insert(field, attribute);
    }
}

/// The aggregates of a loan item (absent fields take their defaults); decimals are rescaled to
/// the currency's minor units.
fn decode_aggregates(r: &Reader<'_>, scale: u32) -> Result<LoanAggregates, DynamoError> {
    let mut wire = serde_json::Map::new();
    for (field, shape) in aggregate_shapes() {
        let value = match (&shape, r.item.get(&field)) {
            (_, None) | (_, Some(AttributeValue::Null(_))) => continue,
            (serde_json::Value::Number(_), Some(_)) => match r.opt_u64(&field)? {
                Some(count) => serde_json::Value::from(count),
                None => continue,
            },
            (_, Some(AttributeValue::N(_))) => match r.opt_exact(&field, scale)? {
                Some(d) => serde_json::Value::String(d.to_string()),
                None => continue,
            },
            (_, Some(AttributeValue::S(text))) => serde_json::Value::String(text.clone()),
            (_, Some(other)) => {
                return Err(r.error(&field, format!("unexpected value {other:?}")));
            }
        };
        wire.insert(field, value);
    }
    serde_json::from_value(serde_json::Value::Object(wire))
        .map_err(|e| r.error("aggregates", e.to_string()))
}

/// The layout version of the loan items this library writes (attribute `schema_version`).
/// Version 2: the terms were validated when the item was written, so reading it does not check
/// them again ([`LoanTermsBuilder::build_stored`]); the aggregates carry the ledger checkpoint.
/// Items without it (version 1: the original Lambdas' and earlier versions') are validated on
/// read.
pub const LOAN_SCHEMA_VERSION: u64 = 2;

/// The full item of `loan` stored with `version`.
pub fn encode_loan(loan: &Loan, version: u64) -> Item {
    let terms = &loan.terms();
    let builder = terms.to_builder();
    let mut options = match serde_json::to_value(&builder) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    for field in FLAT_TERMS_FIELDS {
        options.remove(field);
    }
    let mut item: Item = HashMap::with_capacity(24);
    let mut scales = HashMap::with_capacity(12);
    item.insert("id".into(), s(loan.id().as_str()));
    item.insert("user_id".into(), s(loan.owner().as_str()));
    item.insert("title".into(), s(loan.title().to_owned()));
    item.insert("description".into(), s(loan.description().to_owned()));
    put_decimal(&mut item, &mut scales, "amount", terms.principal());
    put_decimal(
        &mut item,
        &mut scales,
        "interest_rate",
        builder.annual_rate_percent,
    );
    item.insert("term_months".into(), n_int(u64::from(terms.installments())));
    item.insert("start_date".into(), s(terms.start().to_string()));
    item.insert("currency".into(), s(terms.currency().code()));
    item.insert(
        "terms_options".into(),
        s(serde_json::Value::Object(options).to_string()),
    );
    if let Ok(schedule) = terms.schedule() {
        item.insert("monthly_payment".into(), n(schedule.regular_payment()));
        item.insert("total_amount".into(), n(schedule.total_amount()));
    }
    item.insert("status".into(), s(loan.status().as_str()));
    item.insert("version".into(), n_int(version));
    item.insert("schema_version".into(), n_int(LOAN_SCHEMA_VERSION));
    item.insert("created_at".into(), s(timestamp(loan.created_at())));
    item.insert("updated_at".into(), s(timestamp(loan.updated_at())));
    encode_aggregates(loan.aggregates(), &mut item, &mut scales);
    item.insert("scales".into(), AttributeValue::M(scales));
    item
}

/// A loan from its item (new or original layout).
pub fn decode_loan(table: &str, item: &Item) -> Result<StoredLoan, DynamoError> {
    let r = Reader::new(table, item);
    let currency_code = r.opt_str("currency")?.unwrap_or("USD");
    let currency =
        Currency::from_code(currency_code).map_err(|e| r.error("currency", e.to_string()))?;
    let scale = currency.minor_units();

    let mut wire = match r.opt_str("terms_options")? {
        None => serde_json::Map::new(),
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Err(r.error("terms_options", "is not a JSON object")),
        },
    };
    let principal = r.exact("amount", scale)?;
    let rate = r.exact("interest_rate", 0)?;
    let installments = r
        .opt_u64("term_months")?
        .ok_or_else(|| r.error("term_months", "missing"))?;
    let start = r
        .opt_date("start_date")?
        .ok_or_else(|| r.error("start_date", "missing"))?;
    wire.insert("currency".into(), currency_code.into());
    wire.insert("principal".into(), principal.to_string().into());
    wire.insert("annual_rate_percent".into(), rate.to_string().into());
    wire.insert("installments".into(), installments.into());
    wire.insert("start".into(), start.to_string().into());
    let builder: LoanTermsBuilder = serde_json::from_value(serde_json::Value::Object(wire))
        .map_err(|e| r.error("terms_options", e.to_string()))?;
    let written_validated = r.opt_u64("schema_version")?.unwrap_or(1) >= 2;
    let terms: LoanTerms = if written_validated {
        builder.build_stored()
    } else {
        builder.build()
    }
    .map_err(|e| r.error("amount/interest_rate/term_months/start_date", e.to_string()))?;

    let created_at = r.opt_timestamp("created_at")?;
    let updated_at = r.opt_timestamp("updated_at")?;
    let created_at = created_at
        .or(updated_at)
        .ok_or_else(|| r.error("created_at", "missing"))?;
    let legacy_aggregates = !item.contains_key("repayment_count");
    let aggregates = decode_aggregates(&r, scale)?;
    let loan = Loan::restore(LoanRecord {
        id: r.id("id", LoanId::new)?,
        owner: r.id("user_id", UserId::new)?,
        title: r.str("title")?.to_owned(),
        description: r.opt_str("description")?.unwrap_or_default().to_owned(),
        terms,
        status: decode_status(&r)?,
        version: r.opt_u64("version")?.unwrap_or(1),
        created_at,
        updated_at: updated_at.unwrap_or(created_at),
        aggregates,
    });
    Ok(StoredLoan {
        loan,
        deleting: r.flag("deleting"),
        legacy_aggregates,
    })
}

// ---------------------------------------------------------------------------------------------
// Repayments
// ---------------------------------------------------------------------------------------------

/// The item of a repayment.
pub fn encode_repayment(rep: &Repayment) -> Item {
    let mut item: Item = HashMap::with_capacity(10);
    let mut scales = HashMap::with_capacity(1);
    item.insert("id".into(), s(rep.id.as_str()));
    item.insert("loan_id".into(), s(rep.loan_id.as_str()));
    item.insert("user_id".into(), s(rep.owner.as_str()));
    put_decimal(&mut item, &mut scales, "amount", rep.amount);
    item.insert("scales".into(), AttributeValue::M(scales));
    item.insert("payment_date".into(), s(rep.date.to_string()));
    item.insert("notes".into(), s(rep.notes.clone()));
    if let Some(key) = &rep.idempotency_key {
        item.insert("idempotency_key".into(), s(key.clone()));
    }
    item.insert("created_at".into(), s(timestamp(rep.created_at)));
    item
}

/// Whether a repayments-table item is an idempotency guard rather than a repayment.
pub fn is_guard(item: &Item) -> bool {
    matches!(item.get("kind"), Some(AttributeValue::S(k)) if k == "idempotency")
}

/// A repayment from its item; `currency` gives the scale amounts are read back with.
/// `payment_date` (or `date` in older items) is the date; `created_at` defaults to that
/// date's midnight.
pub fn decode_repayment(
    table: &str,
    item: &Item,
    currency: Currency,
) -> Result<Repayment, DynamoError> {
    let r = Reader::new(table, item);
    let date = match r.opt_date("payment_date")? {
        Some(d) => d,
        None => r
            .opt_date("date")?
            .ok_or_else(|| r.error("payment_date", "missing"))?,
    };
    Ok(Repayment {
        id: r.id("id", RepaymentId::new)?,
        loan_id: r.id("loan_id", LoanId::new)?,
        owner: r.id("user_id", UserId::new)?,
        amount: r.exact("amount", currency.minor_units())?,
        date,
        notes: r.opt_str("notes")?.unwrap_or_default().to_owned(),
        idempotency_key: r.opt_str("idempotency_key")?.map(str::to_owned),
        created_at: r
            .opt_timestamp("created_at")?
            .unwrap_or_else(|| date.and_time(chrono::NaiveTime::MIN).and_utc()),
    })
}

/// The id of the guard item that makes an idempotency key unique per (owner, loan).
/// Lengths are spelled out so that no two triples share an id.
pub fn guard_id(owner: &UserId, loan_id: &LoanId, key: &str) -> String {
    format!(
        "{GUARD_PREFIX}{}:{}:{}:{}:{key}",
        owner.as_str().len(),
        owner.as_str(),
        loan_id.as_str().len(),
        loan_id.as_str()
    )
}

/// The guard item of `rep`'s idempotency key (it has no `loan_id`, so it stays out of
/// `loan-id-index`).
pub fn encode_guard(rep: &Repayment, key: &str) -> Item {
    let mut item: Item = HashMap::with_capacity(5);
    item.insert("id".into(), s(guard_id(&rep.owner, &rep.loan_id, key)));
    item.insert("kind".into(), s("idempotency"));
    item.insert("repayment_id".into(), s(rep.id.as_str()));
    item.insert("guard_loan_id".into(), s(rep.loan_id.as_str()));
    item.insert("owner".into(), s(rep.owner.as_str()));
    item
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use loansyncro_core::app::testing::{at, day, sample_loan, sample_repayment};

    #[test]
    fn loan_round_trips_with_normalised_numbers() {
        let mut loan = sample_loan("ada", "l1", "Car", at(3));
        let rep = sample_repayment(&loan, "r1", Decimal::new(100_050, 2), day(2, 1), Some("k"));
        let (aggregates, now) = (loan.aggregates().with_repayment(&rep), loan.updated_at());
        loan.set_aggregates(aggregates, now);
        let mut item = encode_loan(&loan, 7);
        // What DynamoDB Local hands back: trailing zeros dropped.
        for (_, v) in item.iter_mut() {
            if let AttributeValue::N(text) = v {
                *text = parse_decimal(text).unwrap().normalize().to_string();
            }
        }
        let stored = decode_loan("loans", &item).unwrap();
        let expected = loan.clone().stored_after(6);
        assert_eq!(stored.loan, expected);
        assert_eq!(stored.loan.aggregates().total_repaid.to_string(), "1000.50");
        assert_eq!(stored.loan.terms().principal().to_string(), "1000.00");
        assert!(!stored.deleting && !stored.legacy_aggregates);
    }

    #[test]
    fn repayment_round_trip_and_guard_ids() {
        let loan = sample_loan("ada", "l1", "Car", at(3));
        let rep = sample_repayment(&loan, "r1", Decimal::new(1_250, 2), day(2, 1), Some("k"));
        let mut item = encode_repayment(&rep);
        item.insert("amount".into(), AttributeValue::N("12.5".into()));
        let back = decode_repayment("repayments", &item, Currency::USD).unwrap();
        assert_eq!(back, rep);
        assert_eq!(back.amount.to_string(), "12.50");
        let a = guard_id(&"a|b".parse().unwrap(), &"c".parse().unwrap(), "k");
        let b = guard_id(&"a".parse().unwrap(), &"b|c".parse().unwrap(), "k");
        assert_ne!(a, b);
        assert!(is_guard(&encode_guard(&rep, "k")));
    }

    #[test]
    fn statuses_of_every_era_decode() {
        let status = |text: Option<&str>| {
            let mut item = Item::new();
            if let Some(text) = text {
                item.insert("status".into(), AttributeValue::S(text.into()));
            }
            decode_status(&Reader::new("loans", &item))
        };
        for s in LoanStatus::ALL {
            assert_eq!(status(Some(s.as_str())).unwrap(), s);
        }
        assert_eq!(status(None).unwrap(), LoanStatus::Active);
        assert_eq!(status(Some("")).unwrap(), LoanStatus::Active);
        assert_eq!(status(Some("Completed")).unwrap(), LoanStatus::Paid);
        assert_eq!(status(Some("closed")).unwrap(), LoanStatus::Paid);
        assert_eq!(status(Some("paid_off")).unwrap(), LoanStatus::Paid);
        assert_eq!(status(Some("default")).unwrap(), LoanStatus::Defaulted);
        assert_eq!(status(Some("DEFAULTED")).unwrap(), LoanStatus::Defaulted);
        let e = status(Some("archived")).unwrap_err().to_string();
        assert!(
            e.contains("status") && e.contains("active, paid, defaulted"),
            "{e}"
        );
    }

    #[test]
    fn timestamps_of_every_era_parse() {
        assert_eq!(parse_timestamp("2025-01-01T00:03:00Z"), Some(at(3)));
        assert_eq!(parse_timestamp("2025-01-01T00:03:00.000000"), Some(at(3)));
        assert_eq!(parse_timestamp("2025-01-01 00:03:00"), Some(at(3)));
        assert_eq!(parse_timestamp("2025-01-01T00:03:00+00:00"), Some(at(3)));
        assert_eq!(parse_timestamp("2025-01-01"), Some(at(0)));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(timestamp(at(3)), "2025-01-01T00:03:00Z");
        assert_eq!(parse_decimal("1E+3"), Some(Decimal::new(1000, 0)));
    }
}
