// conventions.json (lender conventions): every case through the Kotlin bindings.
package loansyncro.test

import java.io.File
import java.math.BigDecimal
import java.time.LocalDate
import uniffi.loansyncro.*

val conventionStart: LocalDate = LocalDate.of(2024, 1, 1)

/** The vector's terms; the README's names mapped to the bindings' fields. */
fun conventionTerms(t: Map<String, Any?>, convention: String): LoanTermsInput {
    val rounding = parseRoundingMode(t["rounding"].str())
    var input = LoanTermsInput(
        principal = dec(t["principal"]),
        annualRatePercent = dec(t["annual_rate_percent"]),
        installments = (t["installments"]?.int() ?: 0).toUInt(),
        start = t["start"]?.let(::date) ?: conventionStart,
        currency = t["currency"].str(),
        frequency = parseFrequency(t["frequency"].str()),
        firstDue = t["first_due"]?.let(::date),
        dayCount = parseDayCount(t["day_count"].str()),
        paymentRounding = rounding,
        interestRounding = rounding,
    )
    if (t["balance_tracking"] == "carry_precision") input = input.copy(balancePrecision = BalancePrecision.SPREADSHEET)
    t["payment"]?.let { input = input.copy(method = AmortizationMethod.FixedInstallment(dec(it))) }
    if (convention == "actual_360_amortizing_30_360") {
        input = input.copy(
            installments = t["term_months"].int().toUInt(),
            amortizationInstallments = t["amortization_months"].int().toUInt(),
            paymentDayCount = parseDayCount("30/360"),
        )
    }
    if (convention == "arm_periodic_recast") {
        input = input.copy(
            adjustmentPaymentNumbers = t["adjustment_payment_numbers"].arr().map { it.int().toUInt() },
            rateChanges = t["rate_changes"].arr().map { it.obj() }.map {
                RateChange(conventionStart.plusMonths(it["payment_number"].int().toLong() - 1), dec(it["annual_rate_percent"]))
            },
            paymentCap = t["payment_cap_percent"]?.let { BigDecimal.ONE + dec(it).movePointLeft(2) },
        )
    }
    return input
}

fun conventionVectors(dir: File): Int {
    val cases = load(dir, "conventions.json")["cases"].arr().map { it.obj() }
    eq(cases.size, 35, "conventions.json cases")
    for (c in cases) {
        val id = c["id"].str()
        val convention = c["convention"].str()
        val t = c["terms"].obj()
        val e = c["expected"].obj()
        if (convention.startsWith("apr_")) {
            val got = apr(flows(t["advances"]), flows(t["payments"]), parseUnitPeriod(t["unit_period"].str())).movePointRight(2)
            check((got - dec(e["apr_percent"])).abs() <= dec(e["tolerance_pp"])) { "$id APR $got" }
            check((got - dec(e["apr_percent_6dp"])).abs() <= BigDecimal("0.0000005")) { "$id APR $got (6 dp)" }
            continue
        }
        val s = LoanTerms(conventionTerms(t, convention)).use { it.schedule() }
        eq(s.regularPayment, dec(e["payment"] ?: e["initial_payment"]), "$id payment")
        if (e["rows_complete"] == true) eq(s.installments.size, e["rows"].arr().size, "$id rows")
        e["installments"]?.let { eq(s.installments.size, it.int(), "$id installments") }
        for (row in e["rows"].arr().map { it.obj() }) {
            val n = row["n"].int()
            val got = s.installments[n - 1]
            eq(got.payment, dec(row["payment"]), "$id row $n payment")
            eq(got.interest, dec(row["interest"]), "$id row $n interest")
            eq(got.principal, dec(row["principal"]), "$id row $n principal")
            eq(got.balance, dec(row["balance"]), "$id row $n balance")
            row["date"]?.let { eq(got.dueDate, date(it), "$id row $n date") }
        }
        e["total_interest"]?.let { eq(s.totals.interest, dec(it), "$id total_interest") }
        e["total_paid"]?.let { eq(s.totals.paid, dec(it), "$id total_paid") }
        e["final_payment"]?.let { eq(s.installments.last().payment, dec(it), "$id final_payment") }
        e["principal_column_sum"]?.let { eq(s.totals.principal, dec(it), "$id principal column") }
        e["balloon_balance"]?.let { eq(s.installments.last().payment - s.regularPayment, dec(it), "$id balloon") }
        for (a in (e["adjustments"]?.arr() ?: emptyList()).map { it.obj() }) {
            val k = a["payment_number"].int()
            eq(s.installments[k - 2].balance, dec(a["balance_before"]), "$id balance before $k")
            eq(s.installments[k - 1].payment, dec(a["payment"]), "$id payment from $k")
        }
        e["negative_amortization_rows"]?.let { eq(s.installments.count { r -> r.negativeAmortization }, it.int(), "$id negative rows") }
    }
    return cases.size
}
