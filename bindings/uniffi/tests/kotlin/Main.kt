// JVM test of the Kotlin bindings: the public vectors (read from the JSON files), every exported
// function, the error mapping and a portfolio round trip. Usage: MainKt <vectors dir>.
// Exits 1 on any failure, listing them.
package loansyncro.test

import java.io.File
import java.math.BigDecimal
import java.math.MathContext
import java.math.RoundingMode as JRounding
import java.time.LocalDate
import uniffi.loansyncro.*

val failures = mutableListOf<String>()
var checks = 0

fun check(ok: Boolean, what: () -> String) {
    checks++
    if (!ok) failures.add(what())
}

/** Numeric equality (BigDecimal.equals also compares the scale). */
fun same(a: BigDecimal?, b: BigDecimal?) = a == null && b == null || a != null && b != null && a.compareTo(b) == 0

fun eq(got: BigDecimal?, want: BigDecimal?, what: String) = check(same(got, want)) { "$what: got $got, want $want" }
fun <T> eq(got: T, want: T, what: String) = check(got == want) { "$what: got $got, want $want" }

fun dec(v: Any?): BigDecimal = when (v) {
    null -> BigDecimal.ZERO
    is String -> BigDecimal(v)
    is BigDecimal -> v
    else -> error("not a decimal: $v")
}

fun date(v: Any?): LocalDate = LocalDate.parse(v.str())

/** Expects `block` to throw a `LoanSyncroException` of type `E`; returns it. */
inline fun <reified E : LoanSyncroException> throws(what: String, block: () -> Unit): E? {
    try {
        block()
        check(false) { "$what: no exception" }
    } catch (e: LoanSyncroException) {
        check(e is E) { "$what: got ${e::class.simpleName} $e" }
        return e as? E
    }
    return null
}

fun code(e: LoanSyncroException): String = when (e) {
    is LoanSyncroException.Validation -> "validation"
    is LoanSyncroException.NoSolution -> "no_solution"
    is LoanSyncroException.Overflow -> "overflow"
    is LoanSyncroException.NotFound -> "not_found"
    is LoanSyncroException.Conflict -> "conflict"
    is LoanSyncroException.InvalidTransition -> "invalid_transition"
    is LoanSyncroException.Overpayment -> "overpayment"
    is LoanSyncroException.Storage -> "storage"
}

fun load(dir: File, name: String) = Json.parse(File(dir, name).readText()).obj()

// ---------------------------------------------------------------------------------------------
// Schedules: every row to the cent.

fun termsFrom(t: Map<String, Any?>): LoanTermsInput {
    val rounding = when (t["rounding"] as String? ?: "half_up") {
        "half_even_to_cents", "half_even" -> RoundingMode.HALF_EVEN
        "half_up_to_cents", "half_up" -> parseRoundingMode("half_up")
        else -> error("rounding ${t["rounding"]}")
    }
    val accrual = when (t["accrual"] as String?) {
        null, "scheduled" -> null
        "daily" -> Accrual.DAILY
        else -> error("accrual ${t["accrual"]}")
    }
    check(t["method"] == null || t["method"] == "equal_installments") { "method ${t["method"]}" }
    return LoanTermsInput(
        principal = dec(t["principal"]),
        annualRatePercent = dec(t["annual_rate_percent"]),
        installments = t["installments"].int().toUInt(),
        start = t["start"]?.let(::date) ?: LocalDate.of(2024, 1, 1),
        currency = t["currency"] as String? ?: "USD",
        frequency = parseFrequency(t["frequency"].str()),
        firstDue = t["first_due"]?.let(::date),
        method = AmortizationMethod.EqualInstallments,
        dayCount = parseDayCount(t["day_count"].str()),
        paymentRounding = rounding,
        interestRounding = rounding,
        accrual = accrual,
    )
}

fun schedules(dir: File, name: String): Int {
    val cases = load(dir, name)["cases"].arr()
    for (c in cases.map { it.obj() }) {
        val id = c["id"].str()
        val input = termsFrom(c["terms"].obj())
        val s = LoanTerms(input).use { it.schedule() }
        val e = c["expected"].obj()
        eq(s.regularPayment, dec(e["payment"]), "$id payment")
        val rows = e["rows"].arr().map { it.obj() }
        eq(s.installments.size, rows.size, "$id rows")
        for ((row, got) in rows.zip(s.installments)) {
            val n = row["n"].int()
            eq(got.number, n.toUInt(), "$id row $n number")
            eq(got.payment, dec(row["payment"]), "$id row $n payment")
            eq(got.interest, dec(row["interest"]), "$id row $n interest")
            eq(got.principal, dec(row["principal"]), "$id row $n principal")
            eq(got.balance, dec(row["balance"]), "$id row $n balance")
        }
        e["total_interest"]?.let { eq(s.totals.interest, dec(it), "$id total_interest") }
        e["total_paid"]?.let { eq(s.totals.paid, dec(it), "$id total_paid") }
        e["final_payment"]?.let { eq(s.installments.last().payment, dec(it), "$id final_payment") }
        eq(s.installments.last().balance, BigDecimal.ZERO, "$id closes at zero")
        eq(s.totals.principal, input.principal, "$id principal sum")
    }
    return cases.size
}

// ---------------------------------------------------------------------------------------------
// Finance functions: within the case's tolerance, errors where expected.

/** finance-generated.json's inputs are binary64 floats expanded exactly (to 28 digits). */
var binaryFloatInputs = false

fun arg(a: Map<String, Any?>, key: String): BigDecimal {
    val v = a[key] ?: return BigDecimal.ZERO
    if (!binaryFloatInputs) return dec(v)
    val exact = BigDecimal(v.str().toDouble()).round(MathContext(28, JRounding.HALF_EVEN))
    return if (exact.scale() > 28) exact.setScale(28, JRounding.HALF_EVEN) else exact
}

fun u(a: Map<String, Any?>, key: String): UInt = a[key].int().toUInt()

fun evaluate(c: Map<String, Any?>): BigDecimal {
    val a = c["args"].obj()
    val w = when (a["when"] as String? ?: "end") { "begin" -> When.BEGIN; else -> When.END }
    return when (val fn = c["fn"].str()) {
        "pmt" -> pmt(arg(a, "rate"), u(a, "nper"), arg(a, "pv"), arg(a, "fv"), w)
        "fv" -> fv(arg(a, "rate"), u(a, "nper"), arg(a, "pmt"), arg(a, "pv"), w)
        "pv" -> pv(arg(a, "rate"), u(a, "nper"), arg(a, "pmt"), arg(a, "fv"), w)
        "nper" -> nper(arg(a, "rate"), arg(a, "pmt"), arg(a, "pv"), arg(a, "fv"), w)
        "rate" -> rate(u(a, "nper"), arg(a, "pmt"), arg(a, "pv"), arg(a, "fv"), w)
        "ipmt" -> ipmt(arg(a, "rate"), u(a, "per"), u(a, "nper"), arg(a, "pv"), arg(a, "fv"), w)
        "ppmt" -> ppmt(arg(a, "rate"), u(a, "per"), u(a, "nper"), arg(a, "pv"), arg(a, "fv"), w)
        "cumipmt" -> cumipmt(arg(a, "rate"), u(a, "nper"), arg(a, "pv"), u(a, "start"), u(a, "end"), w)
        "cumprinc" -> cumprinc(arg(a, "rate"), u(a, "nper"), arg(a, "pv"), u(a, "start"), u(a, "end"), w)
        else -> error("unknown function $fn")
    }
}

fun finance(dir: File, name: String, binary: Boolean): Int {
    binaryFloatInputs = binary
    val cases = load(dir, name)["cases"].arr()
    for (c in cases.map { it.obj() }) {
        val id = c["id"].str()
        val wantError = c["expected_error"] as String?
        try {
            val got = evaluate(c)
            if (wantError != null) {
                check(false) { "$id: expected error $wantError, got $got" }
                continue
            }
            val want = dec(c["expected"])
            val tol = c["tolerance_abs"]?.let(::dec) ?: dec(c["tolerance_rel"]).multiply(want.abs())
            check(got.subtract(want).abs() <= tol) { "$id: got $got, want $want ± $tol" }
        } catch (e: LoanSyncroException) {
            check(wantError != null && code(e) == wantError) { "$id: unexpected $e" }
        }
    }
    binaryFloatInputs = false
    return cases.size
}

// ---------------------------------------------------------------------------------------------
// APR: the 12 worked examples of Regulation Z Appendix J, to two decimals.

fun flows(v: Any?) = v.arr().map { f -> CashFlow(date(f.obj()["date"]), dec(f.obj()["amount"])) }

fun aprVectors(dir: File): Int {
    val cases = load(dir, "apr.json")["cases"].arr()
    for (c in cases.map { it.obj() }) {
        val id = c["id"].str()
        val advances = flows(c["advances"])
        val payments = flows(c["payments"])
        val text = c["unit_period"].str()
        val unit = if (text.startsWith("day (single advance, single payment)"))
            unitPeriodOfTerm(advances[0].date, payments[0].date)
        else parseUnitPeriod(text)
        val got = apr(advances, payments, unit).movePointRight(2).setScale(2, JRounding.HALF_EVEN)
        eq(got, dec(c["expected_apr_percent"]), "$id APR")
    }
    return cases.size
}

// ---------------------------------------------------------------------------------------------
// Ledger: payoff quotes and payable amounts (Apache Fineract).

fun ledgerVectors(dir: File): Int {
    val cases = load(dir, "ledger.json")["cases"].arr()
    for (c in cases.map { it.obj() }) {
        val id = c["id"].str()
        LoanTerms(termsFrom(c["terms"].obj())).use { terms ->
            eq(terms.schedule().regularPayment, dec(c["schedule_payment"]), "$id schedule payment")
            val paid = c["repayments"].arr().map { LedgerPayment(date(it.obj()["date"]), dec(it.obj()["amount"])) }
            c["payoff_on"]?.let { on ->
                val rule = when (c["payoff_rule"] as String?) {
                    null, "till_pre_close" -> PayoffRule.TILL_PRE_CLOSE
                    "till_period_end" -> PayoffRule.TILL_PERIOD_END
                    else -> error("rule")
                }
                val q = terms.payoffQuote(paid, date(on), rule)
                eq(q.date, date(on), "$id date")
                eq(q.principal, dec(c["expected_principal"]), "$id principal")
                eq(q.interest, dec(c["expected_interest"]), "$id interest")
                eq(q.total, dec(c["expected_payoff"]), "$id payoff")
                if (rule == PayoffRule.TILL_PRE_CLOSE) {
                    val pos = terms.position(paid, date(on))
                    eq(pos.payoffAmount, dec(c["expected_payoff"]), "$id position payoff")
                    eq(pos.interestAccrued, dec(c["expected_interest"]), "$id position interest")
                    eq(pos.principalOutstanding, dec(c["expected_principal"]), "$id position principal")
                }
            }
            c["payable_on"]?.let { on ->
                val p = terms.payable(paid, date(on), date(c["for_due"]))
                eq(p.outstanding, dec(c["expected_outstanding"]), "$id outstanding")
                eq(p.principalDue, dec(c["expected_principal_due"]), "$id principal due")
                eq(p.interestDue, dec(c["expected_interest_due"]), "$id interest due")
            }
        }
    }
    return cases.size
}

// ---------------------------------------------------------------------------------------------
// The rest of the API, worked examples from the core's documentation.

fun d(y: Int, m: Int, day: Int): LocalDate = LocalDate.of(y, m, day)
fun b(s: String) = BigDecimal(s)

fun termsAndSchedules() {
    val input = LoanTermsInput(principal = b("250000"), annualRatePercent = b("6.5"), installments = 360u, start = d(2025, 1, 1))
    LoanTerms(input).use { t ->
        val s = t.schedule()
        eq(s.regularPayment, b("1580.17"), "quickstart payment")
        eq(s.currency, "USD", "currency")
        eq(s.installments.size, 360, "rows")
        eq(s.installments[0].dueDate, d(2025, 2, 1), "first due date")
        eq(s.totals.principal, b("250000"), "totals principal")
        eq(s.negativeAmortization, false, "negative amortization")
        eq(t.installments(), 360u, "installments()")
        eq(t.firstDueDate(), d(2025, 2, 1), "firstDueDate()")
        // input() spells out the defaults and rebuilds to the same terms.
        val full = t.input()
        eq(full.frequency, Frequency.Monthly, "default frequency")
        eq(full.dayCount, DayCount.THIRTY360_US, "default day count")
        eq(full.method, AmortizationMethod.EqualInstallments, "default method")
        eq(LoanTerms(full).use { it.schedule() }, s, "round trip through input()")
        // What-if: 200 extra a month.
        val w = t.whatIf(ExtraPayments(recurring = b("200")))
        check(w.installmentsSaved > 0u) { "what-if saves installments: ${w.installmentsSaved}" }
        check(w.interestSaved > BigDecimal.ZERO) { "what-if saves interest" }
        eq(w.baseInstallments, 360u, "what-if base installments")
        eq(w.baseTotals, s.totals, "what-if base totals")
        eq(w.schedule.installments.size.toUInt(), 360u - w.installmentsSaved, "what-if rows")
        val lump = t.whatIf(ExtraPayments(recurring = BigDecimal.ZERO, lumpSums = listOf(LumpSum(d(2026, 1, 1), b("10000"))), policy = PrepaymentPolicy.REDUCE_PAYMENT))
        eq(lump.installmentsSaved, 0u, "reduce payment keeps the term")
        // APR of the terms.
        eq(t.apr(BigDecimal.ZERO).setScale(2, JRounding.HALF_EVEN), b("6.50"), "APR without fees")
        check(t.apr(b("3000")) > b("6.6")) { "APR with fees" }
        eq(t.effectiveAnnualRate().setScale(4, JRounding.HALF_EVEN), b("6.6972"), "effective annual rate")
        // CSV.
        val csv = t.scheduleCsv()
        check(csv.startsWith("number,due_date,payment,interest,principal,balance,deferred_interest,extra_principal\r\n")) { "CSV header" }
        eq(csv.split("\r\n").size, 362, "CSV lines")
    }
    // Other options cross the boundary (methods, frequencies, grace, rate changes).
    LoanTerms(LoanTermsInput(principal = b("100"), annualRatePercent = BigDecimal.ZERO, installments = 2u, start = d(2025, 1, 1))).use {
        check(it.scheduleCsv().contains("\r\n1,2025-02-01,50.00,0.00,50.00,50.00,0.00,0.00\r\n")) { "CSV row" }
    }
    val variants = listOf(
        LoanTermsInput(principal = b("1200"), annualRatePercent = b("12"), installments = 12u, start = d(2025, 1, 1), method = AmortizationMethod.EqualPrincipal),
        LoanTermsInput(principal = b("1200"), annualRatePercent = b("12"), installments = 0u, start = d(2025, 1, 1), method = AmortizationMethod.FixedInstallment(b("150"))),
        LoanTermsInput(principal = b("1200"), annualRatePercent = b("12"), installments = 12u, start = d(2025, 1, 1), method = AmortizationMethod.InterestOnly, frequency = Frequency.Quarterly),
        LoanTermsInput(principal = b("1200"), annualRatePercent = b("12"), installments = 24u, start = d(2025, 1, 1), frequency = Frequency.SemiMonthly(1u, 15u), dayCount = DayCount.ACTUAL365_FIXED),
        LoanTermsInput(principal = b("1200"), annualRatePercent = b("12"), installments = 26u, start = d(2025, 1, 1), frequency = Frequency.EveryNDays(14u), grace = Grace(principalPeriods = 2u)),
        LoanTermsInput(principal = b("120000"), annualRatePercent = b("5"), installments = 120u, start = d(2025, 1, 1), rateChanges = listOf(RateChange(d(2027, 1, 1), b("7"))), paymentCap = b("1.075"), compounding = Compounding.SEMI_ANNUAL),
        LoanTermsInput(principal = b("100000"), annualRatePercent = b("6"), installments = 60u, start = d(2025, 1, 1), balloon = b("20000"), balancePrecision = BalancePrecision.CARRY_PRECISION, installmentMultiple = b("1")),
        LoanTermsInput(principal = b("1000000"), annualRatePercent = b("3"), installments = 12u, start = d(2025, 1, 1), currency = "JPY", amortizationInstallments = 24u, prepaymentPolicy = PrepaymentPolicy.REDUCE_PAYMENT, firstDue = d(2025, 2, 15)),
    )
    for ((i, v) in variants.withIndex()) {
        LoanTerms(v).use { t ->
            val s = t.schedule()
            eq(s.installments.last().balance, BigDecimal.ZERO, "variant $i closes at zero")
            eq(s.totals.principal, v.principal, "variant $i principal sum")
            eq(LoanTerms(t.input()).use { it.schedule() }, s, "variant $i round trip")
        }
    }
    eq(LoanTerms(variants[1]).use { it.installments() }, 9u, "fixed installment count")
    eq(LoanTerms(variants[7]).use { it.schedule().installments[0].payment.scale() }, 0, "JPY has no minor unit")
}

fun ledgerApi() {
    // 1200 at 0%, 12 installments of 100 from 2025-02-01.
    LoanTerms(LoanTermsInput(principal = b("1200"), annualRatePercent = BigDecimal.ZERO, installments = 12u, start = d(2025, 1, 1))).use { t ->
        val paid = listOf(LedgerPayment(d(2025, 2, 1), b("100")), LedgerPayment(d(2025, 3, 1), b("40")))
        val pos = t.position(paid, d(2025, 3, 11))
        eq(pos.asOf, d(2025, 3, 11), "as of")
        eq(pos.amountDue, b("60"), "amount due")
        eq(pos.daysPastDue, 10u, "days past due")
        eq(pos.principalOutstanding, b("1060"), "principal outstanding")
        eq(pos.nextDueDate, d(2025, 4, 1), "next due date")
        eq(pos.remainingScheduled, b("1060"), "remaining scheduled")
        eq(pos.installmentsPaid, 1u, "installments paid")
        eq(pos.projected[0].payment, b("60"), "projected arrears row")
        eq(pos.closed, false, "not closed")
        t.checkPayment(paid, LedgerPayment(d(2025, 3, 20), b("60")))
        val e = throws<LoanSyncroException.Validation>("zero payment") { t.checkPayment(paid, LedgerPayment(d(2025, 3, 20), BigDecimal.ZERO)) }
        eq(e?.field, "amount", "zero payment field")
    }
    // Overpayment carries the payoff as a BigDecimal.
    LoanTerms(LoanTermsInput(principal = b("1200"), annualRatePercent = b("12"), installments = 12u, start = d(2025, 1, 1))).use { t ->
        val q = t.payoffQuote(emptyList(), d(2025, 1, 16), PayoffRule.TILL_PRE_CLOSE)
        eq(q.total, b("1205.81"), "payoff quote")
        val closed = t.position(listOf(LedgerPayment(d(2025, 1, 16), q.total)), d(2025, 6, 1))
        eq(closed.closed, true, "paid off")
        eq(closed.nextDueDate, null, "no next due date")
        val over = throws<LoanSyncroException.Overpayment>("overpayment") { t.checkPayment(emptyList(), LedgerPayment(d(2025, 1, 16), b("1205.82"))) }
        eq(over?.payoff, b("1205.81"), "overpayment payoff")
        eq(over?.attempted, b("1205.82"), "overpayment attempted")
        eq(over?.date, "2025-01-16", "overpayment date")
        val early = throws<LoanSyncroException.Validation>("as_of before start") { t.position(emptyList(), d(2024, 12, 31)) }
        eq(early?.field, "as_of", "as_of field")
    }
}

fun errors() {
    val e = throws<LoanSyncroException.Validation>("negative principal") {
        LoanTerms(LoanTermsInput(principal = b("-1"), annualRatePercent = b("5"), installments = 12u, start = d(2025, 1, 1)))
    }
    eq(e?.field, "principal", "validation field")
    check(e?.reason?.contains("greater than zero") == true) { "validation reason: ${e?.reason}" }
    check(e?.message?.contains("principal") == true) { "exception message: ${e?.message}" }
    eq(throws<LoanSyncroException.Validation>("rate > 100") {
        LoanTerms(LoanTermsInput(principal = b("100"), annualRatePercent = b("101"), installments = 12u, start = d(2025, 1, 1)))
    }?.field, "annual_rate", "rate field")
    eq(throws<LoanSyncroException.Validation>("currency") {
        LoanTerms(LoanTermsInput(principal = b("100"), annualRatePercent = b("5"), installments = 12u, start = d(2025, 1, 1), currency = "XYZ"))
    }?.field, "currency", "currency field")
    eq(throws<LoanSyncroException.Validation>("rate change") {
        LoanTerms(LoanTermsInput(principal = b("100"), annualRatePercent = b("5"), installments = 12u, start = d(2025, 1, 1), rateChanges = listOf(RateChange(d(2025, 6, 1), b("-1")))))
    }?.field, "rate_changes[0].annual_rate", "rate change field")
    eq(throws<LoanSyncroException.Validation>("cents") {
        LoanTerms(LoanTermsInput(principal = b("100.001"), annualRatePercent = b("5"), installments = 12u, start = d(2025, 1, 1)))
    }?.field, "principal", "precision field")
    eq(throws<LoanSyncroException.Validation>("frequency") { parseFrequency("hourly") }?.field, "frequency", "frequency field")
    eq(throws<LoanSyncroException.Validation>("day count") { parseDayCount("actual/999") }?.field, "day_count", "day count field")
    eq(throws<LoanSyncroException.Validation>("rounding") { parseRoundingMode("sideways") }?.field, "rounding", "rounding field")
    eq(throws<LoanSyncroException.Validation>("unit period") { parseUnitPeriod("fortnight-ish") }?.field, "unit_period", "unit period field")
    throws<LoanSyncroException.NoSolution>("rate without root") { rate(2u, BigDecimal.ZERO, b("-13.65"), b("-329.67"), When.END) }
    throws<LoanSyncroException.Validation>("nper 0") { pmt(b("0.01"), 0u, b("100"), BigDecimal.ZERO, When.END) }
}

fun helpers() {
    eq(parseFrequency("every 15 days"), Frequency.EveryNDays(15u), "parse every 15 days")
    eq(parseFrequency("semi-monthly 1,15"), Frequency.SemiMonthly(1u, 15u), "parse semi-monthly")
    eq(parseDayCount("actual/actual"), DayCount.ACTUAL_ACTUAL_ISDA, "parse actual/actual")
    eq(parseRoundingMode("down"), RoundingMode.DOWN, "parse down")
    eq(parseUnitPeriod("quarter"), UnitPeriod.Months(3u), "parse quarter")
    eq(unitPeriodOfFrequency(Frequency.Biweekly), UnitPeriod.Weeks(2u), "unit period of biweekly")
    eq(unitPeriodOfFrequency(Frequency.Annual), UnitPeriod.Year, "unit period of annual")
    eq(currencyMinorUnits("JPY"), 0u, "JPY minor units")
    eq(currencyMinorUnits("BHD"), 3u, "BHD minor units")
    eq(effectiveAnnualRate(b("0.12"), 12u).setScale(10, JRounding.HALF_EVEN), b("0.1268250301"), "effective annual rate")
    val advances = listOf(CashFlow(d(2025, 1, 1), b("1000")))
    val payments = (2..12).map { CashFlow(d(2025, it, 1), b("95")) }
    val plain = apr(advances, payments, UnitPeriod.Months(1u))
    val withFee = aprWithPrepaidFinanceCharge(advances, payments, UnitPeriod.Months(1u), b("25"))
    check(withFee > plain) { "APR with a prepaid finance charge: $withFee <= $plain" }
}

fun planner() {
    val input = PlanInput(
        currency = "USD",
        debts = listOf(Debt("card", "Card", b("1000"), b("24"), b("50")), Debt("car", "Car", b("500"), b("6"), b("50"))),
        monthlyBudget = b("300"),
        strategy = Strategy.Avalanche,
        start = d(2025, 1, 31),
    )
    val r = plan(input)
    eq(r.months[0].balances.size, 2, "balances per debt")
    eq(r.months[0].balances[0], b("770.00"), "card after month 1")
    eq(r.months[0].balances[1], b("452.50"), "car after month 1")
    eq(r.monthsToDebtFree, 6u, "months to debt free")
    eq(r.debtFreeDate, d(2025, 6, 30), "debt free date")
    eq(r.totalPaid, b("1500").add(r.totalInterest), "total paid")
    check(r.interestSaved!! > BigDecimal.ZERO) { "interest saved" }
    check(r.baseline is Baseline.PaidOff) { "baseline ${r.baseline}" }
    eq(r.debts.map { it.id }, listOf("card", "car"), "outcomes in input order")
    eq(r.strategy, Strategy.Avalanche, "strategy echoed")
    val snow = plan(input.copy(strategy = Strategy.Snowball))
    check(snow.totalInterest >= r.totalInterest) { "avalanche pays the least interest" }
    val custom = plan(input.copy(strategy = Strategy.Custom(listOf("car", "card"))))
    eq(custom.totalInterest, snow.totalInterest, "custom car-first = snowball here")
    val low = throws<LoanSyncroException.Validation>("budget below minimums") { plan(input.copy(monthlyBudget = b("10"))) }
    eq(low?.field, "monthly_budget", "budget field")
    eq(throws<LoanSyncroException.Validation>("debt rate") {
        plan(input.copy(debts = listOf(Debt("x", "X", b("10"), b("-3"), b("1")))))
    }?.field, "debts[0].annual_rate", "debt rate field")
}

/** Informational: the cost of a 360-row schedule crossing the boundary (median of 200 calls). */
fun timing(): String {
    val input = LoanTermsInput(principal = b("250000"), annualRatePercent = b("6.5"), installments = 360u, start = d(2025, 1, 1))
    return LoanTerms(input).use { t ->
        repeat(100) { t.schedule() }
        val times = (1..200).map { val s = System.nanoTime(); t.schedule(); System.nanoTime() - s }.sorted()
        val csv = (1..200).map { val s = System.nanoTime(); t.scheduleCsv(); System.nanoTime() - s }.sorted()
        "360-row schedule as records: median ${times[100] / 1000} us; as CSV string: median ${csv[100] / 1000} us"
    }
}

fun main(args: Array<String>) {
    val dir = File(args.getOrElse(0) { "loansyncro-core/tests/data/vectors" })
    val started = System.nanoTime()
    val counts = linkedMapOf(
        "schedules.json" to schedules(dir, "schedules.json"),
        "schedules-generated.json" to schedules(dir, "schedules-generated.json"),
        "finance.json" to finance(dir, "finance.json", binary = false),
        "finance-generated.json" to finance(dir, "finance-generated.json", binary = true),
        "apr.json" to aprVectors(dir),
        "ledger.json" to ledgerVectors(dir),
        "conventions.json" to conventionVectors(dir),
    )
    termsAndSchedules()
    ledgerApi()
    errors()
    helpers()
    planner()
    portfolio()
    sqlitePortfolio()
    coverage()
    val ms = (System.nanoTime() - started) / 1_000_000
    println("vectors: " + counts.entries.joinToString { "${it.key} ${it.value}" })
    if (failures.isNotEmpty()) {
        System.err.println("${failures.size} of $checks checks FAILED:")
        failures.take(50).forEach { System.err.println("  $it") }
        kotlin.system.exitProcess(1)
    }
    println(timing())
    println("Kotlin bindings: all $checks checks passed in $ms ms")
}
