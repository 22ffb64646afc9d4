//! The OpenAPI schemas of the wire's leaf values that the DTOs carry as core types (decimal
//! strings, amounts read exactly, currencies, the core's enums, grace, rate changes, transition
//! reasons). The DTOs (`dto.rs`) derive their schemas with `utoipa::ToSchema` and point their
//! leaf fields here with `#[schema(value_type = ...)]`; [`crate::openapi`] collects them.
//!
//! Enum spellings are never typed here: each list is the core's serde spelling of every
//! variant, and the variant lists are checked by an exhaustive `match`, so a variant added to
//! the core fails to compile until its schema names it.

use std::borrow::Cow;

use loansyncro_core::domain::status::LoanStatus;
use loansyncro_core::math::calendar::{DayCount, Frequency};
use loansyncro_core::math::money::RoundingMode;
use loansyncro_core::math::rate::Compounding;
use loansyncro_core::schedule::terms::{
    Accrual, AmortizationMethod, BalancePrecision, PrepaymentPolicy,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// The pattern of every decimal string of the API (answers and inputs).
pub const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// Declares a schema-only marker type named `$name` in the document.
macro_rules! leaf_schema {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $ty;

        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

/// Every variant of a fieldless core enum; the `match` fails to compile on a new variant.
macro_rules! variants {
    ($enum:ident { $($variant:ident),+ $(,)? }) => {{
        fn _exhaustive(value: $enum) {
            match value {
                $($enum::$variant)|+ => {}
            }
        }
        [$($enum::$variant),+]
    }};
}

/// The serde spelling of each value.
fn spellings<T: Serialize>(values: &[T]) -> Vec<Value> {
    values
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .collect()
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn integer(minimum: u32) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(minimum))
}

fn date() -> ObjectBuilder {
    string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

fn string_enum<T: Serialize>(description: &str, values: &[T]) -> RefOr<Schema> {
    string()
        .description(Some(description))
        .enum_values(Some(spellings(values)))
        .into()
}

fn decimal_string() -> ObjectBuilder {
    string().pattern(Some(DECIMAL_PATTERN))
}

fn closed(object: ObjectBuilder) -> ObjectBuilder {
    object.additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
}

leaf_schema!(
    /// An exact decimal answered as a string (`"1250.00"`, never a binary float).
    DecimalString,
    "Decimal",
    decimal_string()
        .description(Some("An exact decimal as a string (never a binary float)"))
        .examples([Value::from("1250.00")])
        .into()
);

impl PartialSchema for crate::extract::Amount {
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .description(Some(
                "A decimal string (\"1250.00\") or a JSON number, read exactly (never through binary floating point)",
            ))
            .item(decimal_string())
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .into()
    }
}

impl ToSchema for crate::extract::Amount {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AmountInput")
    }
}

leaf_schema!(
    /// An ISO 4217 currency code.
    CurrencyCode,
    "Currency",
    string()
        .description(Some("ISO 4217 currency code"))
        .pattern(Some("^[A-Z]{3}$"))
        .examples([Value::from("USD")])
        .into()
);

leaf_schema!(
    /// A loan's status.
    LoanStatusName,
    "LoanStatus",
    string_enum("The loan's status", &LoanStatus::ALL)
);

leaf_schema!(
    /// A day-count convention.
    DayCountName,
    "DayCount",
    string_enum(
        "Day-count convention",
        &variants!(DayCount {
            Thirty360Us,
            Thirty360European,
            Actual360,
            Actual364,
            Actual365Fixed,
            ActualActualIsda,
        }),
    )
);

leaf_schema!(
    /// How the quoted rate compounds.
    CompoundingName,
    "Compounding",
    string_enum(
        "How the quoted rate compounds",
        &variants!(Compounding {
            Nominal,
            SemiAnnual,
            Annual
        }),
    )
);

leaf_schema!(
    /// A rounding mode.
    RoundingModeName,
    "RoundingMode",
    string_enum(
        "Rounding mode",
        &variants!(RoundingMode {
            HalfUp,
            HalfEven,
            Up,
            Down
        }),
    )
);

leaf_schema!(
    /// Whether balances are rounded, carried with precision, or the spreadsheet table.
    BalancePrecisionName,
    "BalancePrecision",
    string_enum(
        "Round each balance, carry precision, or the spreadsheet table",
        &variants!(BalancePrecision {
            RoundEachBalance,
            CarryPrecision,
            Spreadsheet,
        }),
    )
);

leaf_schema!(
    /// What extra payments do.
    PrepaymentPolicyName,
    "PrepaymentPolicy",
    string_enum(
        "What extra payments do",
        &variants!(PrepaymentPolicy {
            ReduceTerm,
            ReducePayment
        }),
    )
);

leaf_schema!(
    /// Interest accrual when replaying repayments.
    AccrualName,
    "Accrual",
    string_enum(
        "Interest accrual when replaying repayments",
        &variants!(Accrual { Scheduled, Daily }),
    )
);

/// The spelling of a variant that carries data: the key of its serde object form.
fn tag_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map.keys().next().cloned().unwrap_or_default(),
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `{"<tag>": <inner>}`: serde's form of an enum variant with data.
fn tagged(tag: String, inner: impl Into<RefOr<Schema>>) -> ObjectBuilder {
    closed(
        ObjectBuilder::new()
            .property(tag.clone(), inner)
            .required(tag),
    )
}

fn frequency_schema() -> RefOr<Schema> {
    fn _exhaustive(f: Frequency) {
        match f {
            Frequency::Weekly
            | Frequency::Biweekly
            | Frequency::SemiMonthly { .. }
            | Frequency::Monthly
            | Frequency::Quarterly
            | Frequency::SemiAnnual
            | Frequency::Annual
            | Frequency::EveryNDays(_) => {}
        }
    }
    let named = [
        Frequency::Weekly,
        Frequency::Biweekly,
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::SemiAnnual,
        Frequency::Annual,
    ];
    let semi_monthly = Frequency::SemiMonthly {
        first_day: 1,
        second_day: 15,
    };
    OneOfBuilder::new()
        .description(Some(
            "Payment frequency: a name, twice a month on two days of month, or every N days",
        ))
        .item(string().enum_values(Some(spellings(&named))))
        .item(tagged(
            tag_of(&semi_monthly),
            closed(
                ObjectBuilder::new()
                    .property("first_day", integer(1).maximum(Some(31)))
                    .required("first_day")
                    .property("second_day", integer(1).maximum(Some(31)))
                    .required("second_day"),
            ),
        ))
        .item(tagged(tag_of(&Frequency::EveryNDays(15)), integer(1)))
        .into()
}

leaf_schema!(
    /// A payment frequency.
    FrequencySchema,
    "Frequency",
    frequency_schema()
);

fn method_schema() -> RefOr<Schema> {
    fn _exhaustive(m: AmortizationMethod) {
        match m {
            AmortizationMethod::EqualInstallments
            | AmortizationMethod::EqualPrincipal
            | AmortizationMethod::FlatInterest
            | AmortizationMethod::InterestOnly
            | AmortizationMethod::FixedInstallment { .. } => {}
        }
    }
    let named = [
        AmortizationMethod::EqualInstallments,
        AmortizationMethod::EqualPrincipal,
        AmortizationMethod::FlatInterest,
        AmortizationMethod::InterestOnly,
    ];
    let fixed = AmortizationMethod::FixedInstallment {
        amount: rust_decimal::Decimal::ONE,
    };
    OneOfBuilder::new()
        .description(Some(
            "Amortization method: a name, or a fixed installment amount",
        ))
        .item(string().enum_values(Some(spellings(&named))))
        .item(tagged(
            tag_of(&fixed),
            closed(
                ObjectBuilder::new()
                    .property("amount", crate::extract::Amount::schema())
                    .required("amount"),
            ),
        ))
        .into()
}

leaf_schema!(
    /// An amortization method.
    AmortizationMethodSchema,
    "AmortizationMethod",
    method_schema()
);

leaf_schema!(
    /// Grace periods at the start of the schedule.
    GraceSchema,
    "Grace",
    closed(
        ObjectBuilder::new()
            .description(Some("Grace periods at the start of the schedule"))
            .property("principal_periods", integer(0))
            .property("interest_periods", integer(0)),
    )
    .into()
);

leaf_schema!(
    /// A change of the annual rate from a date on.
    RateChangeSchema,
    "RateChange",
    closed(
        ObjectBuilder::new()
            .description(Some(
                "A change of the annual rate from a date on (annual_rate is a fraction: 0.065 = 6.5 %)",
            ))
            .property("effective", date())
            .required("effective")
            .property("annual_rate", decimal_string())
            .required("annual_rate"),
    )
    .into()
);

leaf_schema!(
    /// Why a status changed.
    TransitionReasonSchema,
    "TransitionReason",
    ObjectBuilder::new()
        .description(Some("Why a status changed (days_past_due with past_due_threshold)"))
        .property(
            "kind",
            string().enum_values(Some(transition_kinds())),
        )
        .required("kind")
        .property("days_past_due", integer(0))
        .into()
);

fn transition_kinds() -> Vec<Value> {
    use loansyncro_core::domain::status::TransitionReason as R;
    fn _exhaustive(r: R) {
        match r {
            R::Closed
            | R::BalanceReappeared
            | R::DefaultedByOwner
            | R::PastDueThreshold { .. }
            | R::Cured => {}
        }
    }
    [
        R::Closed,
        R::BalanceReappeared,
        R::DefaultedByOwner,
        R::PastDueThreshold { days_past_due: 1 },
        R::Cured,
    ]
    .iter()
    .filter_map(|r| serde_json::to_value(r).ok()?.get("kind").cloned())
    .collect()
}
