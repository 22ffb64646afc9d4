// Every exported function, method and constructor must be exercised by these tests: the
// exports are read from the generated bindings (their checksum functions), the tested ones are
// listed here. A new export without a test fails the suite.
package loansyncro.test

import java.io.File

val tested = setOf(
    // finance
    "func_pmt", "func_fv", "func_pv", "func_ipmt", "func_ppmt", "func_nper", "func_rate",
    "func_cumipmt", "func_cumprinc",
    // apr
    "func_apr", "func_apr_with_prepaid_finance_charge", "func_effective_annual_rate",
    "func_unit_period_of_term", "func_parse_unit_period", "func_unit_period_of_frequency",
    // types
    "func_parse_frequency", "func_parse_day_count", "func_parse_rounding_mode", "func_currency_minor_units",
    // planner
    "func_plan",
    // terms
    "constructor_loanterms_new", "method_loanterms_input", "method_loanterms_installments",
    "method_loanterms_first_due_date", "method_loanterms_schedule", "method_loanterms_schedule_csv",
    "method_loanterms_what_if", "method_loanterms_apr", "method_loanterms_effective_annual_rate",
    "method_loanterms_position", "method_loanterms_payoff_quote", "method_loanterms_payable",
    "method_loanterms_check_payment",
    // portfolio
    "constructor_portfolio_new", "method_portfolio_owner", "method_portfolio_today",
    "method_portfolio_set_today", "method_portfolio_sync_user", "method_portfolio_create_loan",
    "method_portfolio_get_loan", "method_portfolio_list_loans", "method_portfolio_update_loan",
    "method_portfolio_delete_loan", "method_portfolio_set_defaulted", "method_portfolio_cure",
    "method_portfolio_record_repayment", "method_portfolio_get_repayment",
    "method_portfolio_update_repayment", "method_portfolio_delete_repayment",
    "method_portfolio_list_repayments", "method_portfolio_grouped_repayments",
    "method_portfolio_position", "method_portfolio_summary", "method_portfolio_summary_as_of",
    "method_portfolio_plan",
    // portfolio in a SQLite file (Sqlite.kt)
    "constructor_portfolio_open", "method_portfolio_path",
)

fun coverage() {
    val source = System.getProperty("loansyncro.generated") ?: return
    val exported = Regex("""fun uniffi_loansyncro_ffi_checksum_(\w+)\(""").findAll(File(source).readText())
        .map { it.groupValues[1] }.toSet()
    check(exported.isNotEmpty()) { "no exports found in $source" }
    val untested = exported - tested
    val gone = tested - exported
    check(untested.isEmpty()) { "exported but not tested: $untested" }
    check(gone.isEmpty()) { "listed as tested but not exported: $gone" }
    println("exports: ${exported.size}, all exercised")
}
