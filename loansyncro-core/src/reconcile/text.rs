//! The sentence a borrower reads: which convention, how many lines, and why the others differ.

use rust_decimal::Decimal;

use super::compare::LineCheck;
use super::convention::Convention;

/// Why one line differs under the best convention.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    /// The terms cannot replay the payment (it exceeds the payoff, or an earlier one did).
    NotReplayable,
    /// The balance carries the difference of an earlier line.
    Carried,
    /// A neighbouring convention (one dimension changed) reproduces the line.
    Neighbour(String),
    /// Nothing in the grid reproduces it.
    Unexplained,
}

/// The summary sentence (see [`super::Reconciliation::summary`]).
pub(super) fn summary(
    best: &Convention,
    lines: &[LineCheck],
    matched: usize,
    first_unexplained: Option<usize>,
    others: &[(Convention, &[LineCheck])],
    scale: u32,
) -> String {
    let n = lines.len();
    let Some(first) = first_unexplained else {
        return format!(
            "Your lender {}: this reproduces all {n} lines exactly.",
            best.describe()
        );
    };
    let mut text = format!(
        "Your lender most likely {}: this reproduces {matched} of {n} lines exactly",
        best.describe()
    );
    // Group the differing lines by what differs and why.
    let mut groups: Vec<(String, Why, Vec<usize>)> = Vec::new();
    let mut previous_balance_difference: Option<Decimal> = None;
    for line in lines {
        if line.matches {
            previous_balance_difference = None;
            continue;
        }
        let what = differences(line, scale);
        let why = if what.is_empty() {
            Why::NotReplayable
        } else if line.interest.agrees()
            && line.principal.agrees()
            && line.balance.difference.is_some()
            && line.balance.difference == previous_balance_difference
        {
            Why::Carried
        } else {
            neighbour(best, line.line, others).map_or(Why::Unexplained, Why::Neighbour)
        };
        previous_balance_difference = line.balance.difference.filter(|d| !d.is_zero());
        match groups.last_mut() {
            Some((w, y, numbers)) if *w == what && *y == why => numbers.push(line.line),
            _ => groups.push((what, why, vec![line.line])),
        }
    }
    for (what, why, numbers) in &groups {
        let (label, verb) = line_list(numbers);
        text.push_str("; ");
        text.push_str(&label);
        match why {
            Why::NotReplayable => {
                text.push_str(" cannot be replayed under these terms (a payment above the payoff)")
            }
            Why::Carried => text.push_str(&format!(
                " carry the balance difference of the line before ({what})"
            )),
            Why::Neighbour(phrase) => text.push_str(&format!(
                " {verb} {what} because {} match when {phrase}",
                if numbers.len() == 1 {
                    "it would"
                } else {
                    "they would"
                }
            )),
            Why::Unexplained => text.push_str(&format!(
                " {verb} {what}, which no supported convention explains"
            )),
        }
    }
    text.push_str(&format!(
        ". No supported convention explains every line: line {first} is the first that cannot \
         be explained (a fee, a charge, a missing payment or a lender error?)."
    ));
    text
}

/// "by +0.01 in interest and -0.01 in principal" (empty when no column can be compared).
fn differences(line: &LineCheck, scale: u32) -> String {
    let mut parts = Vec::new();
    for (name, amounts) in [
        ("interest", &line.interest),
        ("principal", &line.principal),
        ("balance", &line.balance),
    ] {
        if let Some(d) = amounts.difference.filter(|d| !d.is_zero()) {
            let sign = if d > Decimal::ZERO { "+" } else { "" };
            parts.push(format!("{sign}{} in {name}", d.round_dp(scale)));
        }
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("by {}", join(&parts))
}

/// What a convention one dimension away from `best` that reproduces line `number` does
/// differently, e.g. "the interest is rounded half-even".
fn neighbour(
    best: &Convention,
    number: usize,
    others: &[(Convention, &[LineCheck])],
) -> Option<String> {
    others.iter().find_map(|(c, checked)| {
        let reproduces = checked
            .get(number.wrapping_sub(1))
            .is_some_and(|l| l.matches);
        (best.distance(c) == 1 && reproduces).then(|| best.change_phrase(c))
    })
}

/// "line 4" / "lines 14 and 15" / "lines 3, 7 and 9", with the verb agreeing.
fn line_list(numbers: &[usize]) -> (String, &'static str) {
    let texts: Vec<String> = numbers.iter().map(ToString::to_string).collect();
    if texts.len() == 1 {
        (format!("line {}", texts.join("")), "differs")
    } else {
        (format!("lines {}", join(&texts)), "differ")
    }
}

fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
