// A portfolio kept in a SQLite file: written, closed, reopened and found again exactly
// (amounts keep their scale), ids continue, the idempotency key still answers; memory stays
// the default; an unusable file is a Storage error.
package loansyncro.test

import java.io.File
import java.nio.file.Files
import uniffi.loansyncro.*

fun sqlitePortfolio() {
    val dir = Files.createTempDirectory("loansyncro-kotlin-sqlite").toFile()
    try {
        val path = File(dir, "loans.db").path
        val terms = LoanTermsInput(principal = b("1200.50"), annualRatePercent = b("12"), installments = 12u, start = d(2025, 1, 1), currency = "EUR")
        var carId = ""
        var firstRepaymentId = ""
        Portfolio.open(path, "ada", d(2025, 1, 1)).use { p ->
            eq(p.path(), path, "path of a file portfolio")
            carId = p.createLoan(NewLoan("Car", terms, "blue")).loan.id
            p.setToday(d(2025, 2, 1))
            firstRepaymentId = p.recordRepayment(carId, NewRepayment(b("106.70"), d(2025, 2, 1), "février", "feb")).repayment.id
            val van = p.createLoan(NewLoan("Van", terms))
            p.setDefaulted(van.loan.id)
        }
        // Closed (the native object is destroyed); a new one on the same file finds everything.
        Portfolio.open(path, "ada", d(2025, 2, 1)).use { p ->
            val loans = p.listLoans(LoanQueryInput()).items.map { it.loan }
            eq(loans.map { it.title }, listOf("Car", "Van"), "reopened: loans in creation order")
            eq(loans.map { it.status }, listOf(LoanStatus.ACTIVE, LoanStatus.DEFAULTED), "reopened: statuses")
            val car = p.getLoan(carId).loan
            eq(car.description, "blue", "reopened: description")
            eq(car.version, 2uL, "reopened: version")
            check(car.aggregates.totalRepaid == b("106.70")) { "reopened: total keeps its scale, got ${car.aggregates.totalRepaid}" }
            check(car.terms.principal == b("1200.50")) { "reopened: principal keeps its scale, got ${car.terms.principal}" }
            val reps = p.listRepayments(carId)
            eq(reps.map { it.notes }, listOf("février"), "reopened: repayment")
            val retry = p.recordRepayment(carId, NewRepayment(b("106.70"), d(2025, 2, 1), "février", "feb"))
            eq(retry.replayed, true, "reopened: idempotency key still answers")
            eq(retry.repayment.id, firstRepaymentId, "reopened: the first repayment")
            val bike = p.createLoan(NewLoan("Bike", terms)).loan.id
            check(bike != carId && loans.none { it.id == bike }) { "reopened: new id $bike collides" }
            eq(p.summaryAsOf(d(2025, 2, 1)).currencies.map { it.currency }, listOf("EUR"), "reopened: summary")
        }
        Portfolio("ada", d(2025, 1, 1)).use { eq(it.path(), null, "memory stays the default") }
        throws<LoanSyncroException.Storage>("a file in a missing directory") {
            Portfolio.open(File(dir, "missing/dir/loans.db").path, "ada", null)
        }
        File(dir, "notes.db").writeText("not a database at all, just text that is long enough to be read as a header......")
        throws<LoanSyncroException.Storage>("a file that is not SQLite") {
            Portfolio.open(File(dir, "notes.db").path, "ada", null)
        }
    } finally {
        dir.deleteRecursively()
    }
}
