//! Loan terms: a validated builder for everything that defines a loan's contractual schedule.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, MathError, Result};
use crate::math::calendar::{DayCount, Frequency};
use crate::math::money::{Currency, RoundingMode};
use crate::math::rate::{Compounding, Rate};
use crate::math::vocab::vocabulary;
pub use crate::schedule::events::{History, Opening, Renewal, Segment};

/// Largest principal accepted (one trillion in the currency's major unit).
pub const MAX_PRINCIPAL: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);
/// Most installments a schedule may have.
pub const MAX_INSTALLMENTS: u32 = 1200;

/// How the principal is paid back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmortizationMethod {
    /// Equal installments (annuity): every installment is the same; the interest part shrinks.
    #[default]
    EqualInstallments,
    /// Equal principal parts; the installment shrinks with the interest.
    EqualPrincipal,
    /// Flat (add-on) interest: interest on the original principal for the whole term, spread
    /// evenly over the installments.
    FlatInterest,
    /// Interest only, the whole principal due with the last installment (balloon).
    InterestOnly,
    /// A fixed installment amount; the number of installments follows from it.
    FixedInstallment {
        /// The installment amount.
        amount: Decimal,
    },
}

vocabulary! {
    mixed AmortizationMethod, field: "method", noun: "amortization method";
    EqualInstallments => "equal_installments" | "annuity",
    EqualPrincipal => "equal_principal",
    FlatInterest => "flat_interest" | "flat",
    InterestOnly => "interest_only",
    FixedInstallment { .. } => "fixed_installment" needs "an installment amount",
}

impl AmortizationMethod {
    /// Parses a method name; the fixed-installment method takes `amount`, which it requires
    /// (a validation error on `installment_amount` without it); other methods ignore it.
    ///
    /// ```
    /// use loansyncro_core::AmortizationMethod;
    /// use rust_decimal_macros::dec;
    /// assert_eq!(
    ///     AmortizationMethod::parse_with_amount("fixed_installment", Some(dec!(100)))?,
    ///     AmortizationMethod::FixedInstallment { amount: dec!(100) }
    /// );
    /// assert_eq!(
    ///     AmortizationMethod::parse_with_amount("annuity", None)?,
    ///     AmortizationMethod::EqualInstallments
    /// );
    /// let err = AmortizationMethod::parse_with_amount("fixed_installment", None).unwrap_err();
    /// assert_eq!(err.field(), Some("installment_amount"));
    /// assert_eq!(
    ///     AmortizationMethod::parse_with_amount("balloon", None).unwrap_err().field(),
    ///     Some("method")
    /// );
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn parse_with_amount(text: &str, amount: Option<Decimal>) -> Result<AmortizationMethod> {
        match (AmortizationMethod::lookup(text), amount) {
            (Some(Err(_)), Some(amount)) => Ok(AmortizationMethod::FixedInstallment { amount }),
            (Some(Err(_)), None) => Err(Error::validation(
                "installment_amount",
                format!(
                    "is required with method {:?}",
                    AmortizationMethod::FixedInstallment {
                        amount: Decimal::ZERO
                    }
                    .name()
                ),
            )),
            _ => AmortizationMethod::parse_field(text, AmortizationMethod::FIELD)
                .map_err(Error::from),
        }
    }
}

impl std::fmt::Display for AmortizationMethod {
    /// The method's name (without the amount of a fixed installment).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

impl std::str::FromStr for AmortizationMethod {
    type Err = Error;
    /// A method's name; `fixed_installment` needs its amount (see
    /// [`AmortizationMethod::parse_with_amount`]).
    fn from_str(text: &str) -> Result<AmortizationMethod> {
        AmortizationMethod::parse_field(text, AmortizationMethod::FIELD).map_err(Error::from)
    }
}

/// What an extra payment does to the rest of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PrepaymentPolicy {
    /// The installment stays, the schedule gets shorter (the default).
    #[default]
    ReduceTerm,
    /// The term stays, the installment is recalculated over the remaining installments.
    ReducePayment,
}

/// How interest accrues when actual repayments are replayed (see the ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Accrual {
    /// Interest per installment exactly as in the schedule.
    #[default]
    Scheduled,
    /// Simple interest accrues daily on the outstanding principal between actual payment dates.
    Daily,
}

/// Whether each balance is rounded to the minor unit or carried with extra precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BalancePrecision {
    /// Interest of every period is rounded; balances are whole minor units (the default).
    #[default]
    RoundEachBalance,
    /// Interest and balances are carried with six extra digits; rows show the rounded figures
    /// (principal = difference of rounded balances, interest = payment - principal).
    CarryPrecision,
    /// The spreadsheet/textbook table: the exact (unrounded) payment and balance are carried
    /// and each column is rounded on its own: interest = round(exact interest), principal =
    /// shown payment − shown interest, balance = round(exact balance). The last row pays the
    /// exact balance plus its interest. Rows need not chain and the principal column need not
    /// add up to the principal (a display convention). Equal installments (payment = the exact
    /// annuity, shown rounded) or a fixed installment (the given payment; the term is as long
    /// as it takes) over uniform periods, without grace, rate changes, balloon or extra
    /// payments (else a validation error on `balance_precision`).
    Spreadsheet,
}

vocabulary! {
    unit PrepaymentPolicy, field: "prepayment_policy", noun: "prepayment policy";
    ReduceTerm => "reduce_term",
    ReducePayment => "reduce_payment",
}

vocabulary! {
    unit Accrual, field: "accrual", noun: "accrual";
    Scheduled => "scheduled",
    Daily => "daily",
}

vocabulary! {
    unit BalancePrecision, field: "balance_precision", noun: "balance precision";
    RoundEachBalance => "round_each_balance",
    CarryPrecision => "carry_precision",
    Spreadsheet => "spreadsheet",
}

/// Grace periods at the start of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Grace {
    /// Installments that pay interest only (no principal).
    pub principal_periods: u32,
    /// Installments whose interest is deferred; the deferred interest is paid with the first
    /// installment after the grace (it does not itself bear interest).
    pub interest_periods: u32,
}

/// A change of the annual rate from a date on (variable-rate loans).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RateChange {
    /// The first day the new rate applies; it governs periods starting on or after it.
    #[serde(deserialize_with = "crate::math::calendar::deserialize_iso_date")]
    pub effective: NaiveDate,
    /// The new annual nominal rate.
    pub annual_rate: Rate,
}

/// Validated loan terms. Build them with [`LoanTerms::builder`].
///
/// ```
/// use loansyncro_core::{LoanTerms, Rate};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
/// let terms = LoanTerms::builder()
///     .principal(dec!(250000))
///     .annual_rate(Rate::from_percent(dec!(6.5)).unwrap())
///     .installments(360)
///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
///     .build()
///     .unwrap();
/// assert_eq!(terms.schedule().unwrap().regular_payment(), dec!(1580.17));
/// let err = LoanTerms::builder().principal(dec!(-1)).build().unwrap_err();
/// assert_eq!(err.field(), Some("principal"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LoanTermsBuilder", into = "LoanTermsBuilder")]
pub struct LoanTerms {
    pub(crate) currency: Currency,
    pub(crate) principal: Decimal,
    pub(crate) annual_rate: Rate,
    pub(crate) installments: u32,
    pub(crate) frequency: Frequency,
    pub(crate) start: NaiveDate,
    pub(crate) first_due: Option<NaiveDate>,
    pub(crate) method: AmortizationMethod,
    pub(crate) day_count: DayCount,
    pub(crate) compounding: Compounding,
    pub(crate) payment_rounding: RoundingMode,
    pub(crate) interest_rounding: RoundingMode,
    pub(crate) installment_multiple: Option<Decimal>,
    pub(crate) balance_precision: BalancePrecision,
    pub(crate) balloon: Option<Decimal>,
    pub(crate) amortization_installments: Option<u32>,
    pub(crate) grace: Grace,
    pub(crate) rate_changes: Vec<RateChange>,
    pub(crate) payment_cap: Option<Decimal>,
    pub(crate) prepayment_policy: PrepaymentPolicy,
    pub(crate) accrual: Accrual,
    pub(crate) default_after_days_past_due: Option<u32>,
    pub(crate) payment_day_count: Option<DayCount>,
    pub(crate) adjustment_payment_numbers: Vec<u32>,
    pub(crate) renewals: Vec<Renewal>,
    pub(crate) opening: Option<Opening>,
}

/// A decimal from its wire form (a string or an integer) **exactly**: more significant digits
/// than a `Decimal` holds (28) is an error, never a silent rounding (`serde`'s default parse
/// rounds them). A JSON number with a fraction is refused: a binary float is not an exact
/// decimal (send a string).
fn exact_decimal<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Decimal, D::Error> {
    struct Exact;
    impl serde::de::Visitor<'_> for Exact {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an exact decimal")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Decimal, E> {
            Decimal::from_str_exact(v.trim())
                .map_err(|e| E::custom(format!("{v:?}: not exact ({e}), never rounded")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
    }
    d.deserialize_any(Exact)
}

/// Installment numbers given as integers or as decimal strings (JavaScript clients send every
/// number as a string).
fn installment_numbers<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<u32>, D::Error> {
    use rust_decimal::prelude::ToPrimitive;
    #[derive(Deserialize)]
    struct Number(#[serde(deserialize_with = "exact_decimal")] Decimal);
    Vec::<Number>::deserialize(d)?
        .into_iter()
        .map(|Number(n)| {
            n.fract()
                .is_zero()
                .then(|| n.to_u32())
                .flatten()
                .ok_or_else(|| serde::de::Error::custom("not an installment number"))
        })
        .collect()
}

/// Builder (and wire form) of [`LoanTerms`]. Every field has a default except the principal,
/// the rate and the installments; [`LoanTermsBuilder::build`] validates all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoanTermsBuilder {
    /// ISO 4217 currency (default USD).
    pub currency: Currency,
    /// Amount lent, > 0 and at most 1e12, in the currency's precision.
    #[serde(deserialize_with = "exact_decimal")]
    pub principal: Decimal,
    /// Annual nominal rate in percent (6.5 = 6.5%), 0 to 100 inclusive.
    #[serde(deserialize_with = "exact_decimal")]
    pub annual_rate_percent: Decimal,
    /// Number of installments, 1..=1200 (ignored for a fixed installment amount).
    pub installments: u32,
    /// Payment frequency (default monthly).
    pub frequency: Frequency,
    /// Disbursement date (required).
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub start: Option<NaiveDate>,
    /// First due date; when it is not one period after `start`, the first period is odd and
    /// its interest is pro-rated by the day count.
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub first_due: Option<NaiveDate>,
    /// Amortization method.
    pub method: AmortizationMethod,
    /// Day-count convention (default 30/360).
    pub day_count: DayCount,
    /// How the quoted rate compounds (default nominal).
    pub compounding: Compounding,
    /// Rounding of the installment (default half-up).
    pub payment_rounding: RoundingMode,
    /// Rounding of each period's interest (default half-up).
    pub interest_rounding: RoundingMode,
    /// Round the level installment to a multiple of this amount (e.g. 1 for whole units)
    /// instead of the minor unit. Equal installments only (Fineract semantics): with any other
    /// method it is a validation error on `installment_multiple`, never silently ignored.
    pub installment_multiple: Option<Decimal>,
    /// Round each balance (default), carry precision, or the spreadsheet table.
    pub balance_precision: BalancePrecision,
    /// Balloon (residual) amount left for the last installment.
    pub balloon: Option<Decimal>,
    /// Amortize over more installments than the term (e.g. 360 with a 120 term): the rest of
    /// the balance is due with the last installment.
    pub amortization_installments: Option<u32>,
    /// Grace periods.
    pub grace: Grace,
    /// Rate changes (variable rate), in any order; dates must be distinct.
    pub rate_changes: Vec<RateChange>,
    /// Payment cap factor at a recast (e.g. 1.075: the installment may rise at most 7.5%, the
    /// cap rounded half-up).
    pub payment_cap: Option<Decimal>,
    /// What extra payments do (default reduce term).
    pub prepayment_policy: PrepaymentPolicy,
    /// Interest accrual when replaying repayments (default scheduled).
    pub accrual: Accrual,
    /// The loan's own default policy: when set, the loan becomes `defaulted` automatically
    /// once more than this many days past due (see [`crate::domain::status`]); unset (the default),
    /// only the owner declares it defaulted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_after_days_past_due: Option<u32>,
    /// The day count of the level payment when it differs from the accrual `day_count`: US
    /// commercial loans compute the payment at the nominal rate / 12 (30/360) over the
    /// amortization period but accrue each month's interest on actual days / 360. A 30/360
    /// variant with a month-based frequency; unset, the payment follows `day_count`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_day_count: Option<DayCount>,
    /// Adjustable-rate recasts (Regulation Z Appendix H style): at each of these installment
    /// numbers (2..=installments) the level payment is recomputed over the remaining term from
    /// the balance, whether or not the rate changed, limited by `payment_cap`. Equal
    /// installments only.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "installment_numbers"
    )]
    pub adjustment_payment_numbers: Vec<u32>,
    /// Renewals and refinances in this loan's timeline (see [`Renewal`]), in any order, one per
    /// date. Equal installments or a fixed installment, without a balloon amount.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub renewals: Vec<Renewal>,
    /// Where a loan entered mid-term starts (see [`Opening`]; built by
    /// [`LoanTerms::from_current`] and [`LoanTerms::enter_mid_term`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening: Option<Opening>,
}

impl Default for LoanTermsBuilder {
    fn default() -> Self {
        LoanTermsBuilder {
            currency: Currency::USD,
            principal: Decimal::ZERO,
            annual_rate_percent: Decimal::ZERO,
            installments: 0,
            frequency: Frequency::Monthly,
            start: None,
            first_due: None,
            method: AmortizationMethod::EqualInstallments,
            day_count: DayCount::Thirty360Us,
            compounding: Compounding::Nominal,
            payment_rounding: RoundingMode::HalfUp,
            interest_rounding: RoundingMode::HalfUp,
            installment_multiple: None,
            balance_precision: BalancePrecision::RoundEachBalance,
            balloon: None,
            amortization_installments: None,
            grace: Grace::default(),
            rate_changes: Vec::new(),
            payment_cap: None,
            prepayment_policy: PrepaymentPolicy::ReduceTerm,
            accrual: Accrual::Scheduled,
            default_after_days_past_due: None,
            payment_day_count: None,
            adjustment_payment_numbers: Vec::new(),
            renewals: Vec::new(),
            opening: None,
        }
    }
}

macro_rules! setter {
    ($(#[$doc:meta])* $name:ident: $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = value;
            self
        }
    };
}

impl LoanTermsBuilder {
    setter!(/// Sets the currency.
        currency: Currency);
    setter!(/// Sets the principal.
        principal: Decimal);
    setter!(/// Sets the annual rate in percent.
        annual_rate_percent: Decimal);
    setter!(/// Sets the number of installments.
        installments: u32);
    setter!(/// Sets the frequency.
        frequency: Frequency);
    setter!(/// Sets the amortization method.
        method: AmortizationMethod);
    setter!(/// Sets the day count.
        day_count: DayCount);
    setter!(/// Sets the compounding of the quoted rate.
        compounding: Compounding);
    setter!(/// Sets the installment rounding mode.
        payment_rounding: RoundingMode);
    setter!(/// Sets the interest rounding mode.
        interest_rounding: RoundingMode);
    setter!(/// Sets carry-precision or round-each-balance.
        balance_precision: BalancePrecision);
    setter!(/// Sets the grace periods.
        grace: Grace);
    setter!(/// Sets the rate changes.
        rate_changes: Vec<RateChange>);
    setter!(/// Sets the prepayment policy.
        prepayment_policy: PrepaymentPolicy);
    setter!(/// Sets the accrual mode.
        accrual: Accrual);

    /// Computes the level payment on `day_count` (a 30/360 variant) while interest accrues on
    /// the terms' own day count.
    ///
    /// ```
    /// use loansyncro_core::{DayCount, LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// // 4,750,000 at 4.625%: payment of a 360-month 30/360 amortization, actual/360 accrual,
    /// // balloon at month 60.
    /// let s = LoanTerms::builder()
    ///     .principal(dec!(4750000))
    ///     .annual_rate(Rate::from_percent(dec!(4.625))?)
    ///     .installments(60)
    ///     .amortization_installments(360)
    ///     .day_count(DayCount::Actual360)
    ///     .payment_day_count(DayCount::Thirty360Us)
    ///     .start(NaiveDate::from_ymd_opt(2021, 3, 1).unwrap())
    ///     .build()?
    ///     .schedule()?;
    /// assert_eq!(s.regular_payment(), dec!(24421.63));
    /// assert_eq!(s.installments()[0].interest(), dec!(18917.53)); // 31 days / 360
    /// assert_eq!(s.last().unwrap().payment(), dec!(4379901.33)); // the balloon
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn payment_day_count(mut self, day_count: DayCount) -> Self {
        self.payment_day_count = Some(day_count);
        self
    }

    /// Recasts the payment at each of these installment numbers (see the field).
    pub fn adjustment_payment_numbers(mut self, numbers: Vec<u32>) -> Self {
        self.adjustment_payment_numbers = numbers;
        self
    }

    /// Recasts the payment at installment `first` and every `every` installments after it, up
    /// to the builder's `installments` (set them first), e.g. `(13, 12)` for a 1/1 ARM.
    ///
    /// ```
    /// use loansyncro_core::{LoanTerms, Rate, RateChange};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    /// let s = LoanTerms::builder()
    ///     .principal(dec!(96400))
    ///     .annual_rate(Rate::from_percent(dec!(4.75))?)
    ///     .installments(360)
    ///     .start(start)
    ///     .adjust_every(13, 12)
    ///     .rate_changes(vec![RateChange {
    ///         effective: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), // from payment 13
    ///         annual_rate: Rate::from_percent(dec!(7.75))?,
    ///     }])
    ///     .payment_cap_percent(dec!(7.5))
    ///     .build()?
    ///     .schedule()?;
    /// let first = &s.adjustments()[0];
    /// assert_eq!((first.payment_number, first.balance_before), (13, dec!(94912.44)));
    /// assert_eq!((first.recast_payment, first.payment), (dec!(685.99), dec!(540.59)));
    /// assert!(s.installments()[12].negative_amortization()); // the cap binds
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn adjust_every(mut self, first: u32, every: u32) -> Self {
        let every = every.max(1);
        self.adjustment_payment_numbers = (0..)
            .map_while(|i: u32| first.checked_add(i.checked_mul(every)?))
            .take_while(|k| *k <= self.installments)
            .collect();
        self
    }

    /// Caps the payment's rise at each recast by `percent` percent (7.5: at most 7.5% above
    /// the previous payment, rounded half-up), as [`LoanTermsBuilder::payment_cap`] with the
    /// factor `1 + percent / 100`.
    pub fn payment_cap_percent(mut self, percent: Decimal) -> Self {
        self.payment_cap = percent
            .checked_div(Decimal::ONE_HUNDRED)
            .map(|p| Decimal::ONE + p);
        self
    }

    /// Opts in to an automatic default more than `days` days past due (see
    /// [`crate::domain::status`]).
    pub fn default_after_days_past_due(mut self, days: u32) -> Self {
        self.default_after_days_past_due = Some(days);
        self
    }

    /// Sets the annual rate.
    pub fn annual_rate(mut self, rate: Rate) -> Self {
        self.annual_rate_percent = rate.percent();
        self
    }

    /// Sets the disbursement date.
    pub fn start(mut self, date: NaiveDate) -> Self {
        self.start = Some(date);
        self
    }

    /// Sets the first due date.
    pub fn first_due(mut self, date: NaiveDate) -> Self {
        self.first_due = Some(date);
        self
    }

    /// Rounds the level installment to a multiple of `step` (e.g. whole units); equal
    /// installments only.
    ///
    /// ```
    /// use loansyncro_core::{AmortizationMethod, LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let b = LoanTerms::builder()
    ///     .principal(dec!(250000))
    ///     .annual_rate(Rate::from_percent(dec!(6.5))?)
    ///     .installments(360)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .installment_multiple(dec!(1));
    /// assert_eq!(b.clone().build()?.schedule()?.regular_payment(), dec!(1580.00));
    /// let err = b.method(AmortizationMethod::EqualPrincipal).build().unwrap_err();
    /// assert_eq!(err.field(), Some("installment_multiple"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn installment_multiple(mut self, step: Decimal) -> Self {
        self.installment_multiple = Some(step);
        self
    }

    /// Sets a balloon amount.
    pub fn balloon(mut self, amount: Decimal) -> Self {
        self.balloon = Some(amount);
        self
    }

    /// Amortizes over `n` installments while the term keeps [`LoanTermsBuilder::installments`].
    pub fn amortization_installments(mut self, n: u32) -> Self {
        self.amortization_installments = Some(n);
        self
    }

    /// Caps the installment's rise at a recast (a rate change or an adjustment) by `factor`
    /// (e.g. 1.075): the new installment is at most the previous one × `factor`, rounded
    /// half-up; falls are not capped. Interest above a capped installment is added to the
    /// balance (negative amortization, flagged on the row).
    pub fn payment_cap(mut self, factor: Decimal) -> Self {
        self.payment_cap = Some(factor);
        self
    }

    /// Validates every field and builds the terms, with [`MAX_INSTALLMENTS`] installments
    /// for a fixed installment amount: [`LoanTermsBuilder::build`] then derives the count and
    /// proves the terms produce a schedule.
    pub(crate) fn validated(mut self) -> Result<LoanTerms> {
        let currency = self.currency;
        let principal = self.principal;
        if principal <= Decimal::ZERO {
            return Err(Error::validation("principal", "must be greater than zero"));
        }
        if principal > MAX_PRINCIPAL {
            return Err(Error::validation("principal", "must be at most 1e12"));
        }
        currency.check_precision("principal", principal)?;
        let annual_rate = Rate::from_percent(self.annual_rate_percent)?;
        self.frequency.validate()?;
        let fixed = matches!(self.method, AmortizationMethod::FixedInstallment { .. });
        if !fixed && !(1..=MAX_INSTALLMENTS).contains(&self.installments) {
            return Err(Error::validation(
                "installments",
                format!("must be between 1 and {MAX_INSTALLMENTS}"),
            ));
        }
        let start = self
            .start
            .ok_or_else(|| Error::validation("start", "is required"))?;
        crate::math::calendar::check_supported_date("start", start)?;
        if let Some(first_due) = self.first_due {
            crate::math::calendar::check_supported_date("first_due", first_due)?;
            if first_due <= start {
                return Err(Error::validation(
                    "first_due",
                    "must be after the start (disbursement) date",
                ));
            }
            if let Some(regular) = self.frequency.first_due_after(start) {
                let limit = self.frequency.step(regular, 1).unwrap_or(regular);
                if first_due > limit {
                    return Err(Error::validation(
                        "first_due",
                        "must fall within two periods of the start date",
                    ));
                }
            }
            if let Frequency::SemiMonthly {
                first_day,
                second_day,
            } = self.frequency
            {
                let due = self.frequency.step(first_due, 0);
                if due != Some(first_due) {
                    return Err(Error::validation(
                        "first_due",
                        format!("must fall on day {first_day} or {second_day} of a month"),
                    ));
                }
            }
        }
        if let Some(step) = self.installment_multiple {
            if step <= Decimal::ZERO || step.normalize().scale() > currency.minor_units() {
                return Err(Error::validation(
                    "installment_multiple",
                    "must be a positive amount in the currency's precision",
                ));
            }
            if self.method != AmortizationMethod::EqualInstallments {
                return Err(Error::validation(
                    "installment_multiple",
                    "applies to equal installments only (no level installment to round)",
                ));
            }
        }
        if let Some(balloon) = self.balloon {
            if balloon < Decimal::ZERO || balloon >= principal {
                return Err(Error::validation(
                    "balloon",
                    "must be at least zero and less than the principal",
                ));
            }
            currency.check_precision("balloon", balloon)?;
        }
        if let Some(n) = self.amortization_installments {
            if n < self.installments || n > MAX_INSTALLMENTS {
                return Err(Error::validation(
                    "amortization_installments",
                    format!("must be between installments and {MAX_INSTALLMENTS}"),
                ));
            }
        }
        if !fixed
            && (self.grace.principal_periods >= self.installments
                || self.grace.interest_periods >= self.installments)
        {
            return Err(Error::validation(
                "grace",
                "grace periods must be fewer than the installments",
            ));
        }
        if self.grace.interest_periods > self.grace.principal_periods {
            return Err(Error::validation(
                "grace.interest_periods",
                "interest grace must not be longer than principal grace",
            ));
        }
        if self.balloon.is_some()
            && !matches!(
                self.method,
                AmortizationMethod::EqualInstallments | AmortizationMethod::EqualPrincipal
            )
        {
            return Err(Error::validation(
                "balloon",
                "a balloon needs equal installments or equal principal",
            ));
        }
        let mut adjustment_payment_numbers = std::mem::take(&mut self.adjustment_payment_numbers);
        adjustment_payment_numbers.sort_unstable();
        adjustment_payment_numbers.dedup();
        for (i, k) in adjustment_payment_numbers.iter().enumerate() {
            if *k < 2 || *k > self.installments {
                return Err(Error::validation(
                    format!("adjustment_payment_numbers[{i}]"),
                    format!("{k} is out of range"),
                ));
            }
        }
        if !adjustment_payment_numbers.is_empty()
            && self.method != AmortizationMethod::EqualInstallments
        {
            return Err(Error::validation(
                "adjustment_payment_numbers",
                "needs equal installments",
            ));
        }
        if let Some(basis) = self.payment_day_count {
            if !basis.is_thirty_360() || self.frequency.months().is_none() {
                return Err(Error::validation(
                    "payment_day_count",
                    "must be 30/360 with monthly periods",
                ));
            }
        }
        if let Some(cap) = self.payment_cap {
            if cap < Decimal::ONE {
                return Err(Error::validation(
                    "payment_cap",
                    "must be at least 1 (1.075 allows a 7.5% rise)",
                ));
            }
        }
        let mut rate_changes = std::mem::take(&mut self.rate_changes);
        rate_changes.sort_by_key(|c| c.effective);
        for (i, pair) in rate_changes.windows(2).enumerate() {
            if let [a, b] = pair {
                if a.effective == b.effective {
                    return Err(Error::validation(
                        format!("rate_changes[{}].effective", i + 1),
                        "two rate changes on the same date",
                    ));
                }
            }
        }
        for (i, change) in rate_changes.iter().enumerate() {
            crate::math::calendar::check_supported_date(
                format!("rate_changes[{i}].effective"),
                change.effective,
            )?;
            if change.effective <= start {
                return Err(Error::validation(
                    format!("rate_changes[{i}].effective"),
                    "must be after the start date",
                ));
            }
            Rate::from_fraction(change.annual_rate.fraction()).map_err(|e| match e {
                MathError::InvalidArgument { reason, .. } => {
                    Error::validation(format!("rate_changes[{i}].annual_rate"), reason)
                }
                other => other.into(),
            })?;
        }
        let renewals = self.checked_events(start, &rate_changes)?;
        if let AmortizationMethod::FixedInstallment { amount } = self.method {
            if amount <= Decimal::ZERO {
                return Err(Error::validation(
                    "method.amount",
                    "the fixed installment must be greater than zero",
                ));
            }
            currency.check_precision("method.amount", amount)?;
        }
        let installments = if fixed {
            MAX_INSTALLMENTS
        } else {
            self.installments
        };
        Ok(self.assemble(Checked {
            principal,
            annual_rate,
            installments,
            start,
            rate_changes,
            adjustment_payment_numbers,
            renewals,
        }))
    }

    /// The terms from this builder's fields, with the ones the caller settled (checked, or
    /// restored as stored) in `checked`: the one place that lists every field.
    fn assemble(self, checked: Checked) -> LoanTerms {
        LoanTerms {
            currency: self.currency,
            principal: checked.principal,
            annual_rate: checked.annual_rate,
            installments: checked.installments,
            frequency: self.frequency,
            start: checked.start,
            first_due: self.first_due,
            method: self.method,
            day_count: self.day_count,
            compounding: self.compounding,
            payment_rounding: self.payment_rounding,
            interest_rounding: self.interest_rounding,
            installment_multiple: self.installment_multiple,
            balance_precision: self.balance_precision,
            balloon: self.balloon,
            amortization_installments: self.amortization_installments,
            grace: self.grace,
            rate_changes: checked.rate_changes,
            payment_cap: self.payment_cap,
            prepayment_policy: self.prepayment_policy,
            accrual: self.accrual,
            default_after_days_past_due: self.default_after_days_past_due,
            payment_day_count: self.payment_day_count,
            adjustment_payment_numbers: checked.adjustment_payment_numbers,
            renewals: checked.renewals,
            opening: self.opening,
        }
    }
}

/// The fields of [`LoanTerms`] that are settled rather than copied from the builder.
struct Checked {
    principal: Decimal,
    annual_rate: Rate,
    installments: u32,
    start: NaiveDate,
    rate_changes: Vec<RateChange>,
    adjustment_payment_numbers: Vec<u32>,
    renewals: Vec<Renewal>,
}

impl LoanTermsBuilder {
    /// Terms a store wrote itself (from [`LoanTerms::to_builder`] of terms that passed
    /// [`LoanTermsBuilder::build`] when they were written): the same terms, without checking
    /// the rules again or generating the schedule, so that reading a loan stays cheap and a
    /// loan stays readable when a later version tightens a rule. Only the start is required
    /// (else a validation error on `start`) and the rate converted ([`Rate::from_percent`]).
    /// Never use it for input: that is [`LoanTermsBuilder::build`].
    ///
    /// ```
    /// use loansyncro_core::LoanTerms;
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let terms = LoanTerms::builder()
    ///     .principal(dec!(1200))
    ///     .installments(12)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build()?;
    /// assert_eq!(terms.to_builder().build_stored()?, terms);
    /// // No rule is checked: a principal that `build` refuses is restored as it was stored.
    /// let stored = terms.to_builder().principal(dec!(-1)).build_stored()?;
    /// assert_eq!(stored.principal(), dec!(-1));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn build_stored(mut self) -> Result<LoanTerms> {
        let start = self
            .start
            .ok_or_else(|| Error::validation("start", "is required"))?;
        let checked = Checked {
            principal: self.principal,
            annual_rate: Rate::from_percent(self.annual_rate_percent)?,
            installments: self.installments,
            start,
            rate_changes: std::mem::take(&mut self.rate_changes),
            adjustment_payment_numbers: std::mem::take(&mut self.adjustment_payment_numbers),
            renewals: std::mem::take(&mut self.renewals),
        };
        Ok(self.assemble(checked))
    }
}

impl From<LoanTerms> for LoanTermsBuilder {
    fn from(t: LoanTerms) -> Self {
        t.to_builder()
    }
}

impl LoanTerms {
    /// A builder with defaults (USD, monthly, 30/360, equal installments, half-up).
    pub fn builder() -> LoanTermsBuilder {
        LoanTermsBuilder::default()
    }

    /// The builder these terms came from, to change a field and build again.
    pub fn to_builder(&self) -> LoanTermsBuilder {
        LoanTermsBuilder {
            currency: self.currency,
            principal: self.principal,
            annual_rate_percent: self.annual_rate.percent(),
            installments: self.installments,
            frequency: self.frequency,
            start: Some(self.start),
            first_due: self.first_due,
            method: self.method,
            day_count: self.day_count,
            compounding: self.compounding,
            payment_rounding: self.payment_rounding,
            interest_rounding: self.interest_rounding,
            installment_multiple: self.installment_multiple,
            balance_precision: self.balance_precision,
            balloon: self.balloon,
            amortization_installments: self.amortization_installments,
            grace: self.grace,
            rate_changes: self.rate_changes.clone(),
            payment_cap: self.payment_cap,
            prepayment_policy: self.prepayment_policy,
            accrual: self.accrual,
            default_after_days_past_due: self.default_after_days_past_due,
            payment_day_count: self.payment_day_count,
            adjustment_payment_numbers: self.adjustment_payment_numbers.clone(),
            renewals: self.renewals.clone(),
            opening: self.opening,
        }
    }

    /// Currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }
    /// Principal.
    pub fn principal(&self) -> Decimal {
        self.principal
    }
    /// Annual nominal rate.
    pub fn annual_rate(&self) -> Rate {
        self.annual_rate
    }
    /// Number of installments (derived for a fixed installment amount).
    pub fn installments(&self) -> u32 {
        self.installments
    }
    /// Frequency.
    pub fn frequency(&self) -> Frequency {
        self.frequency
    }
    /// Disbursement date.
    pub fn start(&self) -> NaiveDate {
        self.start
    }
    /// First due date as given (see [`LoanTerms::first_due_date`] for the effective one).
    pub fn first_due(&self) -> Option<NaiveDate> {
        self.first_due
    }
    /// The effective first due date: the given one, or one period after the start.
    pub fn first_due_date(&self) -> Option<NaiveDate> {
        self.first_due
            .or_else(|| self.frequency.first_due_after(self.start))
    }
    /// Whether the first period is a regular one: no first due date is given, or the given one
    /// falls one period after the start (otherwise the first period is odd, and its interest
    /// follows its actual length).
    pub fn first_period_is_regular(&self) -> bool {
        self.first_due.is_none() || self.frequency.first_due_after(self.start) == self.first_due
    }
    /// The terms with `n` installments (the builder's count for a fixed installment amount).
    pub(crate) fn with_installments(mut self, n: u32) -> LoanTerms {
        self.installments = n;
        self
    }
    /// Amortization method.
    pub fn method(&self) -> AmortizationMethod {
        self.method
    }
    /// Day count.
    pub fn day_count(&self) -> DayCount {
        self.day_count
    }
    /// Compounding of the quoted rate.
    pub fn compounding(&self) -> Compounding {
        self.compounding
    }
    /// Installment rounding mode.
    pub fn payment_rounding(&self) -> RoundingMode {
        self.payment_rounding
    }
    /// Interest rounding mode.
    pub fn interest_rounding(&self) -> RoundingMode {
        self.interest_rounding
    }
    /// Installment multiple, if any.
    pub fn installment_multiple(&self) -> Option<Decimal> {
        self.installment_multiple
    }
    /// Balance precision.
    pub fn balance_precision(&self) -> BalancePrecision {
        self.balance_precision
    }
    /// Balloon amount, if any.
    pub fn balloon(&self) -> Option<Decimal> {
        self.balloon
    }
    /// Amortization basis, if longer than the term.
    pub fn amortization_installments(&self) -> Option<u32> {
        self.amortization_installments
    }
    /// Grace periods.
    pub fn grace(&self) -> Grace {
        self.grace
    }
    /// Rate changes, sorted by date.
    pub fn rate_changes(&self) -> &[RateChange] {
        &self.rate_changes
    }
    /// Payment cap factor, if any.
    pub fn payment_cap(&self) -> Option<Decimal> {
        self.payment_cap
    }
    /// Prepayment policy.
    pub fn prepayment_policy(&self) -> PrepaymentPolicy {
        self.prepayment_policy
    }
    /// Accrual mode.
    pub fn accrual(&self) -> Accrual {
        self.accrual
    }
    /// The installment numbers at which the payment is recast (sorted).
    pub fn adjustment_payment_numbers(&self) -> &[u32] {
        &self.adjustment_payment_numbers
    }
    /// The day count of the level payment, when it differs from the accrual day count.
    pub fn payment_day_count(&self) -> Option<DayCount> {
        self.payment_day_count
    }
    /// The days past due after which the loan defaults on its own (see
    /// [`crate::domain::status::StatusPolicy::of`]); `None` when only its owner defaults it.
    pub fn default_after_days_past_due(&self) -> Option<u32> {
        self.default_after_days_past_due
    }
    /// The annual rate in force for a period starting on `date`: the latest rate change or
    /// renewal with a rate on or before it, else the terms' rate.
    pub fn rate_on(&self, date: NaiveDate) -> Rate {
        let change = self
            .rate_changes
            .iter()
            .rev()
            .find(|c| c.effective <= date)
            .map(|c| (c.effective, c.annual_rate));
        let renewal = self
            .renewals
            .iter()
            .rev()
            .filter(|r| r.effective <= date)
            .find_map(|r| Some((r.effective, r.annual_rate?)));
        match (change, renewal) {
            (Some(c), Some(r)) => {
                if c.0 > r.0 {
                    c.1
                } else {
                    r.1
                }
            }
            (c, r) => c.or(r).map_or(self.annual_rate, |x| x.1),
        }
    }
}
