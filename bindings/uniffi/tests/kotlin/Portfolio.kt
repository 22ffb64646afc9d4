// A portfolio round trip: loans and repayments in memory, positions, status changes, the
// dashboard per currency, grouped repayments and the payoff planner, through the bindings.
package loansyncro.test

import java.math.BigDecimal
import uniffi.loansyncro.*

fun portfolio() {
    Portfolio("ada", d(2025, 1, 1)).use { p ->
        eq(p.owner(), "ada", "owner")
        eq(p.today(), d(2025, 1, 1), "today")
        eq(p.syncUser("ada@example.com", "Ada Lovelace").email, "ada@example.com", "sync user")
        val car = p.createLoan(NewLoan(
            title = "Car",
            terms = LoanTermsInput(principal = b("1200"), annualRatePercent = b("12"), installments = 12u, start = d(2025, 1, 1)),
            description = "blue hatchback",
        ))
        eq(car.installment, b("106.62"), "installment")
        eq(car.loan.status, LoanStatus.ACTIVE, "new loan is active")
        eq(car.loan.terms.principal, b("1200"), "terms round trip")
        eq(car.loan.owner, "ada", "loan owner")
        val id = car.loan.id
        val euro = p.createLoan(NewLoan("Sofa", LoanTermsInput(principal = b("600"), annualRatePercent = BigDecimal.ZERO, installments = 6u, start = d(2025, 1, 1), currency = "EUR")))

        p.setToday(d(2025, 2, 1))
        val paid = p.recordRepayment(id, NewRepayment(amount = b("106.62"), date = d(2025, 2, 1), notes = "first", idempotencyKey = "k1"))
        eq(paid.position.paidInterest, b("12.00"), "paid interest")
        eq(paid.loan.aggregates.totalRepaid, b("106.62"), "aggregates")
        eq(paid.replayed, false, "first write")
        val again = p.recordRepayment(id, NewRepayment(amount = b("106.62"), date = d(2025, 2, 1), notes = "first", idempotencyKey = "k1"))
        eq(again.replayed, true, "idempotent retry")
        eq(again.repayment.id, paid.repayment.id, "same repayment on retry")
        // Overpaying states the payoff.
        val over = throws<LoanSyncroException.Overpayment>("overpayment") { p.recordRepayment(id, NewRepayment(b("5000"), d(2025, 2, 1))) }
        eq(over?.payoff, b("1105.38"), "payoff in the error")
        // Another owner's loan does not exist for them (same store is not shared: a new portfolio).
        throws<LoanSyncroException.NotFound>("unknown loan") { p.getLoan("loan_999") }
        eq(throws<LoanSyncroException.Validation>("empty id") { p.getLoan("") }?.field, "loan_id", "empty id field")

        eq(p.getLoan(id).loan.aggregates.repaymentCount, 1u, "get loan")
        val page = p.listLoans(LoanQueryInput())
        eq(page.items.size, 2, "list loans")
        eq(p.listLoans(LoanQueryInput(search = "sofa")).items.map { it.loan.title }, listOf("Sofa"), "search")
        eq(p.listLoans(LoanQueryInput(limit = 1u)).items.size, 1, "limit")
        eq(p.listRepayments(id).size, 1, "repayments of a loan")
        eq(p.listRepayments(null).size, 1, "all repayments")
        val rid = paid.repayment.id
        eq(p.getRepayment(rid).notes, "first", "get repayment")
        val edited = p.updateRepayment(rid, NewRepayment(b("200"), d(2025, 2, 1), "edited"))
        eq(edited.repayment.amount, b("200"), "edited amount")
        eq(edited.position.paidTotal, b("200"), "edited position")

        val pos = p.position(id, d(2025, 2, 1))
        eq(pos.paidTotal, b("200"), "position")
        eq(p.position(id, null).asOf, d(2025, 2, 1), "position today")

        val groups = p.groupedRepayments(null)
        eq(groups.map { it.loanId }.toSet(), setOf(id, euro.loan.id), "grouped: one group per loan")
        val group = groups.first { it.loanId == id }
        eq(group.repayments.map { it.id }, listOf(rid), "grouped repayments")
        eq(group.totalRepaid, b("200"), "grouped total")
        eq(groups.first { it.loanId == euro.loan.id }.repaymentCount, 0u, "group without repayments")
        eq(p.groupedRepayments("nothing-matches").size, 0, "grouped search")

        val summary = p.summary()
        eq(summary.currencies.map { it.currency }, listOf("EUR", "USD"), "one summary per currency")
        val usd = summary.currencies.first { it.currency == "USD" }
        eq(usd.counts, StatusCounts(1u, 0u, 0u), "USD counts")
        eq(usd.totalBorrowed, b("1200"), "USD borrowed")
        eq(usd.totalRepaid, b("200"), "USD repaid")
        eq(usd.repaymentCount, 1uL, "USD repayment count")
        eq(p.summaryAsOf(d(2025, 3, 1)).currencies.size, 2, "summary as of")

        // Status: default and cure.
        val defaulted = p.setDefaulted(euro.loan.id)
        eq(defaulted.change, StatusChange(LoanStatus.ACTIVE, LoanStatus.DEFAULTED, TransitionReason.DefaultedByOwner), "defaulted")
        throws<LoanSyncroException.InvalidTransition>("default twice") { p.setDefaulted(euro.loan.id) }
        eq(p.cure(euro.loan.id).change.to, LoanStatus.ACTIVE, "cured")

        // Payoff plan over the owner's unpaid loans.
        val plan = p.plan(PlanRequest(currency = "USD", monthlyBudget = b("300"), strategy = Strategy.Avalanche, start = d(2025, 3, 1)))
        eq(plan.debts.map { it.id }, listOf(id), "plan debts")
        check(plan.monthsToDebtFree in 1u..12u) { "plan months ${plan.monthsToDebtFree}" }

        // Paying off closes the loan; removing a repayment reopens it.
        val payoff = p.position(id, d(2025, 2, 1)).payoffAmount
        val closing = p.recordRepayment(id, NewRepayment(payoff, d(2025, 2, 1)))
        eq(closing.loan.status, LoanStatus.PAID, "paid off")
        eq(closing.transition?.reason, TransitionReason.Closed, "closed transition")
        val reopened = p.deleteRepayment(closing.repayment.id)
        eq(reopened.loan.status, LoanStatus.ACTIVE, "reopened")
        eq(reopened.transition?.reason, TransitionReason.BalanceReappeared, "balance reappeared")

        // Update with a stale version conflicts; with the right one it replays.
        val current = p.getLoan(id).loan
        throws<LoanSyncroException.Conflict>("stale version") {
            p.updateLoan(id, NewLoan("Car", current.terms.copy(annualRatePercent = b("10"))), current.version + 5uL)
        }
        val updated = p.updateLoan(id, NewLoan("Car (refinanced)", current.terms.copy(annualRatePercent = b("10"))), current.version)
        eq(updated.loan.title, "Car (refinanced)", "updated title")
        eq(updated.loan.terms.annualRatePercent, b("10"), "updated rate")

        p.deleteLoan(euro.loan.id)
        throws<LoanSyncroException.NotFound>("deleted loan") { p.getLoan(euro.loan.id) }
        eq(p.summary().currencies.map { it.currency }, listOf("USD"), "summary after delete")
    }
    // A second portfolio is a separate store.
    Portfolio("bob", null).use { q -> eq(q.listLoans(LoanQueryInput()).items.size, 0, "separate portfolio") }
    eq(throws<LoanSyncroException.Validation>("empty owner") { Portfolio("", null) }?.field, "user_id", "owner field")
}
