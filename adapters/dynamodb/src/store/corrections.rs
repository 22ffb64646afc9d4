//! [`CorrectionStore`] on DynamoDB: items in the existing `repayments` table, one document
//! item per loan holding all its corrections (a loan has few: the service allows 500, well
//! under the 400 KB item limit), so listing a loan's corrections is one consistent `GetItem`,
//! never a Scan, and no new table, index or IAM statement is needed.
//!
//! | attribute | type | meaning |
//! |---|---|---|
//! | `id` | S | `corrections:{len}:{loan id}` (lengths spelled out, like the idempotency guards) |
//! | `kind` | S | `balance_corrections` |
//! | `owner` | S | the loan's owner (not `user_id`: the item is no repayment) |
//! | `corrections_loan_id` | S | the loan (not `loan_id`: the item stays out of `loan-id-index`, so repayment listings never see it) |
//! | `doc_version` | N | bumped by every write |
//! | `corrections` | S | the corrections as JSON (decimals as strings, exact scale) |
//!
//! Every write is one `TransactWriteItems`: the loan `Put` conditioned on its version (as every
//! ledger write) and the document `Put` conditioned on the `doc_version` read, so two writers
//! can never both book against the same ledger. Deleting the loan deletes its document (the
//! last step before the loan item itself).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Put};
use loansyncro_core::app::ports::{
    check_correction_matches_loan, idempotency_conflict, CorrectionStore,
};
use loansyncro_core::domain::correction::{BalanceCorrection, CorrectionId};
use loansyncro_core::domain::loan::{Loan, LoanId};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::error::{Error, Result};

use super::{put_op, DynamoStore, Transact};
use crate::codec::{s, Item};
use crate::error::DynamoError;

const KIND: &str = "balance_corrections";

/// The id of the corrections document of `loan_id`.
pub fn corrections_doc_id(loan_id: &LoanId) -> String {
    format!(
        "corrections:{}:{}",
        loan_id.as_str().len(),
        loan_id.as_str()
    )
}

/// A loan's corrections document as read: its version (0 when absent) and corrections.
struct Doc {
    version: u64,
    corrections: Vec<BalanceCorrection>,
}

fn decode(table: &str, id: &str, item: &Item) -> std::result::Result<Doc, DynamoError> {
    let fail = |attribute: &str, reason: String| DynamoError::decode(table, id, attribute, reason);
    let version = match item.get("doc_version") {
        Some(AttributeValue::N(n)) => n
            .parse()
            .map_err(|e| fail("doc_version", format!("{n:?}: {e}")))?,
        _ => return Err(fail("doc_version", "is missing".into())),
    };
    let corrections = match item.get("corrections") {
        Some(AttributeValue::S(json)) => {
            serde_json::from_str(json).map_err(|e| fail("corrections", e.to_string()))?
        }
        _ => return Err(fail("corrections", "is missing".into())),
    };
    Ok(Doc {
        version,
        corrections,
    })
}

impl DynamoStore {
    /// The loan's corrections document (consistent read); empty when absent.
    async fn corrections_doc(&self, loan_id: &LoanId) -> Result<Doc> {
        let table = &self.tables.repayments;
        let id = corrections_doc_id(loan_id);
        match self.get_item(table, &id).await? {
            Some(item) => Ok(decode(table, &id, &item)?),
            None => Ok(Doc {
                version: 0,
                corrections: Vec::new(),
            }),
        }
    }

    /// Deletes the loan's corrections document (if any): one `DeleteItem`, the last step of a
    /// loan's cascade delete before the loan item.
    pub(super) async fn delete_corrections_doc(&self, loan_id: &LoanId) -> Result<()> {
        let table = &self.tables.repayments;
        self.client
            .delete_item()
            .table_name(table)
            .key("id", s(corrections_doc_id(loan_id)))
            .send()
            .await
            .map_err(|e| DynamoError::request("DeleteItem", table, &e))?;
        Ok(())
    }

    /// The transaction that stores `loan` (version checked) and the document `corrections`
    /// of `owner` (its read version `read` checked); `Ok(true)` when it committed.
    async fn write_corrections(
        &self,
        owner: &UserId,
        loan: &Loan,
        expected_version: u64,
        read: u64,
        mut corrections: Vec<BalanceCorrection>,
    ) -> Result<bool> {
        let table = &self.tables.repayments;
        corrections.sort_by(BalanceCorrection::ledger_order);
        let json = serde_json::to_string(&corrections).map_err(|e| Error::Storage {
            operation: "encoding balance corrections".into(),
            message: e.to_string(),
        })?;
        let item: Item = HashMap::from([
            ("id".to_owned(), s(corrections_doc_id(loan.id()))),
            ("kind".to_owned(), s(KIND)),
            ("owner".to_owned(), s(owner.as_str())),
            ("corrections_loan_id".to_owned(), s(loan.id().as_str())),
            (
                "doc_version".to_owned(),
                AttributeValue::N(read.saturating_add(1).to_string()),
            ),
            ("corrections".to_owned(), s(json)),
        ]);
        let condition = if read == 0 {
            "attribute_not_exists(id)"
        } else {
            "doc_version = :read"
        };
        let mut put = Put::builder()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression(condition);
        if read > 0 {
            put = put.expression_attribute_values(":read", AttributeValue::N(read.to_string()));
        }
        let put = put
            .build()
            .map_err(|e| DynamoError::build("Put", table, e))?;
        let ops = vec![put_op(self.loan_put(loan, expected_version)?), put_op(put)];
        Ok(matches!(
            self.transact(ops, &self.ledger_label()).await?,
            Transact::Done
        ))
    }
}

impl CorrectionStore for DynamoStore {
    async fn corrections_for_loan(
        &self,
        owner: &UserId,
        loan_id: &LoanId,
    ) -> Result<Vec<BalanceCorrection>> {
        let (stored, doc) = tokio::join!(self.load_loan(loan_id), self.corrections_doc(loan_id));
        match stored? {
            Some(stored) if stored.loan.owner() == owner && !stored.deleting => {}
            _ => return Err(Error::not_found("loan", loan_id.as_str())),
        }
        let mut list: Vec<BalanceCorrection> = doc?
            .corrections
            .into_iter()
            .filter(|c| &c.owner == owner && &c.loan_id == loan_id)
            .collect();
        list.sort_by(BalanceCorrection::ledger_order);
        Ok(list)
    }

    async fn record_correction(
        &self,
        correction: BalanceCorrection,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        check_correction_matches_loan(&correction, &loan)?;
        let doc = self.corrections_doc(loan.id()).await?;
        if doc.corrections.iter().any(|c| c.id == correction.id) {
            let failure = self.loan_write_failure(&loan, expected_version).await?;
            if matches!(failure, Error::NotFound { .. }) {
                return Err(failure);
            }
            return Err(Error::already_exists("correction", correction.id.as_str()));
        }
        if let Some(key) = correction.idempotency_key.as_deref() {
            if doc
                .corrections
                .iter()
                .any(|c| c.idempotency_key.as_deref() == Some(key))
            {
                let failure = self.loan_write_failure(&loan, expected_version).await?;
                if matches!(failure, Error::NotFound { .. }) {
                    return Err(failure);
                }
                return Err(idempotency_conflict(loan.id(), key));
            }
        }
        let mut next = doc.corrections;
        next.push(correction.clone());
        let owner = loan.owner().clone();
        if self
            .write_corrections(&owner, &loan, expected_version, doc.version, next)
            .await?
        {
            return Ok(loan.stored_after(expected_version));
        }
        // A condition failed: the loan (absent, stale), or the document moved meanwhile. An
        // earlier attempt of this very transaction may have committed with its answer lost.
        let now = self.corrections_doc(loan.id()).await?;
        if now.corrections.contains(&correction) {
            return Ok(loan.stored_after(expected_version));
        }
        let failure = self.loan_write_failure(&loan, expected_version).await?;
        if let Some(key) = correction.idempotency_key.as_deref() {
            let used = now
                .corrections
                .iter()
                .any(|c| c.idempotency_key.as_deref() == Some(key));
            if used && !matches!(failure, Error::NotFound { .. }) {
                return Err(idempotency_conflict(loan.id(), key));
            }
        }
        Err(failure)
    }

    async fn remove_correction(
        &self,
        owner: &UserId,
        id: &CorrectionId,
        loan: Loan,
        expected_version: u64,
    ) -> Result<Loan> {
        loansyncro_core::app::ports::ensure_loan_owner(&loan, owner, "correction")?;
        let (stored, doc) =
            tokio::join!(self.load_loan(loan.id()), self.corrections_doc(loan.id()));
        match stored? {
            Some(stored) if stored.loan.owner() == owner && !stored.deleting => {}
            _ => return Err(Error::not_found("loan", loan.id().as_str())),
        }
        let doc = doc?;
        let ours =
            |c: &BalanceCorrection| &c.id == id && &c.owner == owner && &c.loan_id == loan.id();
        if !doc.corrections.iter().any(ours) {
            return Err(Error::not_found("correction", id.as_str()));
        }
        let next: Vec<BalanceCorrection> = doc
            .corrections
            .iter()
            .filter(|c| !ours(c))
            .cloned()
            .collect();
        if self
            .write_corrections(owner, &loan, expected_version, doc.version, next)
            .await?
        {
            return Ok(loan.stored_after(expected_version));
        }
        Err(self.loan_write_failure(&loan, expected_version).await?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn document_ids_do_not_collide_and_decode_errors_name_the_attribute() {
        let a = corrections_doc_id(&LoanId::new("a:1").unwrap());
        let b = corrections_doc_id(&LoanId::new("a").unwrap());
        assert_eq!(a, "corrections:3:a:1");
        assert_ne!(a, b);
        let item: Item = HashMap::from([("doc_version".to_owned(), AttributeValue::N("2".into()))]);
        let e = decode("repayments", "x", &item).err().unwrap().to_string();
        assert!(e.contains("corrections"), "{e}");
        let item: Item = HashMap::from([
            ("doc_version".to_owned(), AttributeValue::N("2".into())),
            ("corrections".to_owned(), s("[]")),
        ]);
        let doc = decode("repayments", "x", &item).unwrap();
        assert_eq!((doc.version, doc.corrections.len()), (2, 0));
    }
}
