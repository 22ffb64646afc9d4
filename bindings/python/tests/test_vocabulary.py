"""Enum names parse through the core's one vocabulary: a bad name is a ValidationError on the
argument's own name listing the valid names; every spelling accepted before still is; the
package's ``str`` enums and the getters give the core's names."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import pytest

import loansyncro
import loansyncro.finance as npf
from loansyncro import LoanTerms

START = date(2025, 1, 1)


def terms(**kwargs: object) -> LoanTerms:
    return LoanTerms(principal=1000, installments=12, annual_rate_percent=6, start=START, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("argument", "names"),
    [
        ("frequency", "weekly, biweekly, semi-monthly, monthly, quarterly, semi-annual, annual, every N days"),
        ("method", "equal_installments, equal_principal, flat_interest, interest_only, fixed_installment"),
        ("day_count", "30/360, 30E/360, actual/360, actual/364, actual/365F, actual/actual"),
        ("payment_day_count", "30/360, 30E/360, actual/360, actual/364, actual/365F, actual/actual"),
        ("compounding", "nominal, semi_annual, annual"),
        ("rounding", "half_up, half_even, up, down"),
        ("payment_rounding", "half_up, half_even, up, down"),
        ("interest_rounding", "half_up, half_even, up, down"),
        ("balance_precision", "round_each_balance, carry_precision, spreadsheet"),
        ("prepayment_policy", "reduce_term, reduce_payment"),
        ("accrual", "scheduled, daily"),
    ],
)
def test_a_bad_name_names_the_argument_and_lists_the_valid_ones(argument: str, names: str) -> None:
    with pytest.raises(loansyncro.ValidationError) as e:
        terms(**{argument: "no-such-name"})
    assert e.value.field == argument
    assert e.value.reason.endswith(f"expected one of: {names}"), e.value.reason
    assert '"no-such-name"' in e.value.reason


def test_other_functions_name_their_argument() -> None:
    t = terms()
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.payoff_quote(t, [], date(2025, 2, 1), rule="till_the_end")  # type: ignore[arg-type]
    assert e.value.field == "rule"
    assert e.value.reason.endswith("expected one of: till_pre_close, till_period_end")
    with pytest.raises(loansyncro.ValidationError) as e:
        t.what_if(recurring=10, policy="shorter")
    assert e.value.field == "policy"
    assert e.value.reason.endswith("expected one of: reduce_term, reduce_payment")
    debts = [{"id": "card", "balance": 1000, "annual_rate_percent": 20, "minimum_payment": 50}]
    with pytest.raises(loansyncro.ValidationError) as e:
        loansyncro.plan(debts, 200, start=START, strategy="highest-first")
    assert e.value.field == "strategy"
    assert e.value.reason.endswith("expected one of: avalanche, snowball, custom")
    with pytest.raises(loansyncro.ValidationError) as e:
        npf.pmt(Decimal("0.01"), 12, 1000, when="middle")
    assert e.value.field == "when"
    assert e.value.reason.endswith("expected one of: end, begin")
    with pytest.raises(loansyncro.ValidationError) as e:
        terms(method="fixed_installment")
    assert e.value.field == "installment_amount"


def test_every_spelling_accepted_before_still_is() -> None:
    assert terms(method="annuity").method == "equal_installments"
    assert terms(method="Flat").method == "flat_interest"
    assert terms(method="equal-principal").method == "equal_principal"
    assert terms(installment_amount=100).method == "fixed_installment"
    assert terms(compounding="j2").to_dict()["compounding"] == "semi_annual"
    assert terms(compounding="semiannual").to_dict()["compounding"] == "semi_annual"
    assert terms(compounding="effective").to_dict()["compounding"] == "annual"
    assert terms(rounding="bankers").payment_rounding == "half_even"
    assert terms(rounding="HALF-UP").interest_rounding == "half_up"
    assert terms(day_count="act/365").day_count == "actual/365F"
    assert terms(day_count="30/360 US").day_count == "30/360"
    assert terms(frequency="fortnightly").frequency == "biweekly"
    assert terms(frequency="semi_annual").frequency == "semi-annual"
    assert terms(frequency="semi-monthly 5,20").frequency == "semi-monthly 5,20"
    assert terms(frequency="every 15 days").frequency == "every 15 days"
    assert terms(prepayment_policy="Reduce-Payment").prepayment_policy == "reduce_payment"
    assert terms(accrual="daily").to_dict()["accrual"] == "daily"
    assert terms(balance_precision="carry_precision").to_dict()["balance_precision"] == "carry_precision"
    q = loansyncro.payoff_quote(terms(), [], date(2025, 1, 15), rule="till_period_end")
    assert q["interest"] == Decimal("5.00")
    assert npf.pmt(Decimal("0.01"), 12, 1000, when="beginning") == npf.pmt(
        Decimal("0.01"), 12, 1000, when=1
    )


@pytest.mark.parametrize(
    ("names", "argument", "getter"),
    [
        (loansyncro.DayCount, "day_count", "day_count"),
        (loansyncro.Rounding, "payment_rounding", "payment_rounding"),
        (loansyncro.PrepaymentPolicy, "prepayment_policy", "prepayment_policy"),
    ],
)
def test_the_package_enums_are_the_core_names(names: type[enum.Enum], argument: str, getter: str) -> None:
    for member in names:
        # A member is accepted, and the getter gives back the member's value (the core's name).
        assert getattr(terms(**{argument: member}), getter) == member.value
        assert names(getattr(terms(**{argument: member.value}), getter)) is member


def test_the_method_enum_is_the_core_names() -> None:
    for member in loansyncro.Method:
        if member is loansyncro.Method.FIXED_INSTALLMENT:
            assert terms(method=member, installment_amount=100).method == member.value
        else:
            assert terms(method=member).method == member.value


def test_the_frequency_enum_is_the_core_names() -> None:
    for member in loansyncro.Frequency:
        got = terms(frequency=member).frequency
        if member is loansyncro.Frequency.SEMI_MONTHLY:
            assert got == "semi-monthly 1,15"  # the 1st and the 15th
        else:
            assert got == member.value


def core_names(**bad: object) -> set[str]:
    """The names the core lists for a bad value of one argument."""
    with pytest.raises(loansyncro.ValidationError) as e:
        if "strategy" in bad:
            debts = [{"id": "card", "balance": 100, "annual_rate_percent": 20, "minimum_payment": 10}]
            loansyncro.plan(debts, 50, start=START, strategy=bad["strategy"])  # type: ignore[arg-type]
        else:
            terms(**bad)
    return set(e.value.reason.split("expected one of: ")[1].split(", "))


def values(names: type[enum.Enum]) -> set[str]:
    return {str(m.value) for m in names}


def test_the_package_enums_have_every_core_name() -> None:
    """Drift: a variant added to (or removed from) a core vocabulary fails here until the
    package's ``str`` enum follows."""
    assert values(loansyncro.DayCount) == core_names(day_count="?")
    assert values(loansyncro.Rounding) == core_names(rounding="?")
    assert values(loansyncro.Method) == core_names(method="?")
    assert values(loansyncro.PrepaymentPolicy) == core_names(prepayment_policy="?")
    # The parameterized forms are strings, not members.
    assert values(loansyncro.Frequency) == core_names(frequency="?") - {"every N days"}
    assert values(loansyncro.Strategy) == core_names(strategy="?") - {"custom"}
