//! The account names of a loan's postings: defaults from the loan's name, validation of names
//! given by the user (one rule for beancount, hledger and ledger: `Root:Sub:Sub`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The roots every account name starts with (beancount's five; hledger and ledger accept them).
pub const ROOTS: [&str; 5] = ["Assets", "Liabilities", "Equity", "Income", "Expenses"];

/// Where each leg of a loan's transactions is posted.
///
/// ```
/// use loansyncro_core::ledger::postings::Accounts;
/// let a = Accounts::for_loan("car loan 2024");
/// assert_eq!(a.liability, "Liabilities:Loans:CarLoan2024");
/// assert_eq!(a.interest, "Expenses:Interest:CarLoan2024");
/// assert_eq!(a.cash, "Assets:Checking");
/// assert_eq!(a.disbursement, "Assets:Checking");
/// assert_eq!(a.fees, "Expenses:Fees:CarLoan2024");
/// assert_eq!(a.escrow, "Assets:Escrow:CarLoan2024");
/// a.validate()?;
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounts {
    /// The loan itself (its balance is minus the principal outstanding).
    pub liability: String,
    /// Interest paid (and interest capitalized).
    pub interest: String,
    /// The account repayments are paid from.
    pub cash: String,
    /// The account the loan's principal was paid into (the opening disbursement).
    pub disbursement: String,
    /// Fees paid with a repayment.
    pub fees: String,
    /// Escrow paid with a repayment (held by the lender for taxes and insurance).
    pub escrow: String,
}

impl Accounts {
    /// The default accounts of a loan named `name` (reduced to one account component:
    /// ASCII letters and digits, each word capitalized; `Loan` when nothing is left).
    pub fn for_loan(name: &str) -> Accounts {
        let c = component(name);
        Accounts {
            liability: format!("Liabilities:Loans:{c}"),
            interest: format!("Expenses:Interest:{c}"),
            cash: "Assets:Checking".to_owned(),
            disbursement: "Assets:Checking".to_owned(),
            fees: format!("Expenses:Fees:{c}"),
            escrow: format!("Assets:Escrow:{c}"),
        }
    }

    /// Every account with the name of its field (`accounts.liability`, ...).
    pub fn named(&self) -> [(&'static str, &str); 6] {
        [
            ("accounts.liability", &self.liability),
            ("accounts.interest", &self.interest),
            ("accounts.cash", &self.cash),
            ("accounts.disbursement", &self.disbursement),
            ("accounts.fees", &self.fees),
            ("accounts.escrow", &self.escrow),
        ]
    }

    /// Checks every name (see [`check_account`]); the liability must differ from the others.
    pub fn validate(&self) -> Result<()> {
        for (field, name) in self.named() {
            check_account(field, name)?;
        }
        for (field, name) in self.named().into_iter().skip(1) {
            if name == self.liability {
                return Err(Error::validation(
                    field,
                    "must differ from accounts.liability (the loan's balance would not be its own)",
                ));
            }
        }
        Ok(())
    }
}

/// An account name every supported format reads the same way: components separated by `:`,
/// the first one of [`ROOTS`], each next one starting with an ASCII capital letter or digit
/// followed by ASCII letters, digits or `-`. Else a validation error on `field`.
///
/// ```
/// use loansyncro_core::ledger::postings::check_account;
/// assert!(check_account("a", "Liabilities:Loans:Car").is_ok());
/// assert_eq!(check_account("a", "Loans:Car").unwrap_err().field(), Some("a"));
/// assert!(check_account("a", "Assets:checking").is_err());
/// assert!(check_account("a", "Assets").is_err());
/// ```
pub fn check_account(field: &str, name: &str) -> Result<()> {
    let mut parts = name.split(':');
    let root = parts.next().unwrap_or_default();
    if !ROOTS.contains(&root) {
        return Err(Error::validation(
            field,
            format!("{name:?} must start with one of {}", ROOTS.join(", ")),
        ));
    }
    let mut count = 0;
    for part in parts {
        count += 1;
        let mut chars = part.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(Error::validation(
                field,
                format!(
                    "{name:?}: the component {part:?} must start with a capital letter or a digit \
                     and hold only letters, digits and '-'"
                ),
            ));
        }
    }
    if count == 0 {
        return Err(Error::validation(
            field,
            format!("{name:?} needs at least one component after the root (e.g. {root}:Loan)"),
        ));
    }
    Ok(())
}

/// `name` as one account component: its ASCII words capitalized and joined.
fn component(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() {
        "Loan".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_are_valid_for_any_loan_name() {
        for name in [
            "",
            "  ",
            "Car",
            "mortgage: 123 Main St.",
            "Prêt auto",
            "42",
            "a-b_c",
        ] {
            let a = Accounts::for_loan(name);
            assert!(a.validate().is_ok(), "{name:?} -> {a:?}");
        }
        assert_eq!(
            Accounts::for_loan("Prêt auto").liability,
            "Liabilities:Loans:PrTAuto"
        );
        assert_eq!(Accounts::for_loan("").liability, "Liabilities:Loans:Loan");
        assert_eq!(Accounts::for_loan("42").liability, "Liabilities:Loans:42");
    }

    #[test]
    fn bad_names_name_their_field() {
        let mut a = Accounts::for_loan("Car");
        a.interest = "Expenses:interest".to_owned();
        assert_eq!(a.validate().unwrap_err().field(), Some("accounts.interest"));
        let mut a = Accounts::for_loan("Car");
        a.cash = a.liability.clone();
        assert_eq!(a.validate().unwrap_err().field(), Some("accounts.cash"));
        for bad in [
            "",
            "Assets:",
            "Assets::X",
            "Cash:X",
            "Assets:X Y",
            "Assets:X;Y",
        ] {
            assert!(check_account("f", bad).is_err(), "{bad:?}");
        }
    }
}
