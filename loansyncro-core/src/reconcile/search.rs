//! The search: every convention of the grid, scored on the statement; the best one explains.

use serde::Serialize;

use super::compare::{check_within, validate, LineCheck};
use super::convention::Convention;
use super::text;
use super::StatementLine;
use crate::error::Result;
use crate::schedule::terms::LoanTerms;

/// What reconciling a statement found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// The convention that explains the statement best.
    pub convention: Convention,
    /// The lines checked under that convention.
    pub lines: Vec<LineCheck>,
    /// How many lines it reproduces exactly (every column the statement shows, to the cent).
    pub lines_matched: usize,
    /// Whether it reproduces every line.
    pub explained: bool,
    /// The first line (from 1) the best convention does not reproduce: the line to ask the
    /// lender about (a fee, a charge, a lender error). `None` when the statement is explained.
    pub first_unexplained_line: Option<usize>,
    /// How many other conventions of the grid reproduce exactly as many lines (the
    /// statement cannot tell them apart; the one closest to the given terms is reported).
    /// Counted among the conventions the search ran to the end.
    pub equally_good: usize,
    /// How many conventions the search tried (the grid plus the given terms when they are
    /// not on it). The search stops checking a convention once it disagrees on more lines than
    /// the best so far.
    pub conventions_tried: usize,
    /// A sentence for the borrower: the convention, how many lines it reproduces, and what
    /// the differences are.
    pub summary: String,
}

/// One convention's result: lines matched first, then [`Scored::key`].
#[derive(Debug, Clone)]
struct Scored {
    convention: Convention,
    lines: Vec<LineCheck>,
    matched: usize,
    prefix: usize,
    index: usize,
}

/// Reconciles a statement with the terms: tries every convention of
/// [`Convention::grid`] on the terms' other fields and reports the best (see the
/// [module docs](super) for an example). Conventions the terms do not admit are skipped.
///
/// Errors: [`crate::Error::Validation`] on `lines` (empty) or `lines[i].date` /
/// `lines[i].amount` (see [`super::check_lines`]).
pub fn reconcile(terms: &LoanTerms, lines: &[StatementLine]) -> Result<Reconciliation> {
    validate(terms, lines)?;
    let given = Convention::of(terms);
    // The given terms first: they set the bar the rest of the grid must reach.
    let mut candidates = vec![given];
    candidates.extend(
        Convention::grid(terms.frequency())
            .into_iter()
            .filter(|c| *c != given),
    );
    let tried = candidates.len();
    let mut best: Option<Scored> = None;
    let mut ties = 0;
    for (index, convention) in candidates.into_iter().enumerate() {
        let budget = best
            .as_ref()
            .map_or(usize::MAX, |b| lines.len() - b.matched);
        let Some(checked) = run(&convention, terms, lines, budget) else {
            continue;
        };
        let matched = checked.iter().filter(|l| l.matches).count();
        let candidate = Scored {
            convention,
            prefix: checked.iter().take_while(|l| l.matches).count(),
            lines: checked,
            matched,
            index,
        };
        match &best {
            Some(b) if candidate.matched == b.matched => {
                ties += 1;
                if candidate.key(&given) > b.key(&given) {
                    best = Some(candidate);
                }
            }
            Some(b) if candidate.matched < b.matched => {}
            _ => {
                ties = 0;
                best = Some(candidate);
            }
        }
    }
    let Some(best) = best else {
        return Err(crate::error::Error::validation(
            "terms",
            "no convention of the grid admits these terms",
        ));
    };
    let explained = best.matched == lines.len();
    let first_unexplained_line = best.lines.iter().find(|l| !l.matches).map(|l| l.line);
    // The neighbours of the best (one dimension changed), checked in full, say why a line
    // differs ("it would match with half-even rounding").
    let neighbours: Vec<(Convention, Vec<LineCheck>)> = if explained {
        Vec::new()
    } else {
        Convention::grid(terms.frequency())
            .into_iter()
            .filter(|c| c.distance(&best.convention) == 1)
            .filter_map(|c| run(&c, terms, lines, usize::MAX).map(|checked| (c, checked)))
            .collect()
    };
    let alternatives: Vec<(Convention, &[LineCheck])> =
        neighbours.iter().map(|(c, l)| (*c, l.as_slice())).collect();
    let summary = text::summary(
        &best.convention,
        &best.lines,
        best.matched,
        first_unexplained_line,
        &alternatives,
        terms.currency().minor_units(),
    );
    Ok(Reconciliation {
        convention: best.convention,
        lines_matched: best.matched,
        lines: best.lines,
        explained,
        first_unexplained_line,
        equally_good: ties,
        conventions_tried: tried,
        summary,
    })
}

/// The lines checked under `convention`, `None` when the terms do not admit it or more than
/// `budget` lines disagree.
fn run(
    convention: &Convention,
    terms: &LoanTerms,
    lines: &[StatementLine],
    budget: usize,
) -> Option<Vec<LineCheck>> {
    let t = convention.apply(terms).ok()?;
    check_within(&t, lines, budget).ok().flatten()
}

impl Scored {
    /// The order among conventions that reproduce as many lines: the later first
    /// disagreement, then the closer to the given terms, then the earlier in the grid.
    fn key(&self, given: &Convention) -> (usize, std::cmp::Reverse<u32>, std::cmp::Reverse<usize>) {
        (
            self.prefix,
            std::cmp::Reverse(self.convention.distance(given)),
            std::cmp::Reverse(self.index),
        )
    }
}
