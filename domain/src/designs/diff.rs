//! Side-by-side line diffs between two versions of a design (the History page).

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

/// What a row of a side-by-side diff shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Same,
    /// Only on the left.
    Removed,
    /// Only on the right.
    Added,
    /// Both sides, different.
    Changed,
}

/// One row: the left line (number, text) and the right line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub change: Change,
    pub left: Option<(usize, String)>,
    pub right: Option<(usize, String)>,
}

/// Lines of `a` beside lines of `b`: equal lines side by side, a run of removed lines paired with
/// the run of added lines that replaces it (Changed), the rest alone on their side.
pub fn side_by_side(a: &str, b: &str) -> Vec<Row> {
    let diff = TextDiff::from_lines(a, b);
    let mut rows = Vec::new();
    let mut removed: Vec<(usize, String)> = Vec::new();
    let mut added: Vec<(usize, String)> = Vec::new();
    let flush = |rows: &mut Vec<Row>, removed: &mut Vec<(usize, String)>, added: &mut Vec<(usize, String)>| {
        let n = removed.len().max(added.len());
        let (mut r, mut a) = (removed.drain(..), added.drain(..));
        for _ in 0..n {
            let (left, right) = (r.next(), a.next());
            let change = match (&left, &right) {
                (Some(_), Some(_)) => Change::Changed,
                (Some(_), None) => Change::Removed,
                _ => Change::Added,
            };
            rows.push(Row { change, left, right });
        }
    };
    for c in diff.iter_all_changes() {
        let text = c.value().trim_end_matches(['\n', '\r']).to_string();
        match c.tag() {
            ChangeTag::Equal => {
                flush(&mut rows, &mut removed, &mut added);
                let (Some(l), Some(r)) = (c.old_index(), c.new_index()) else { continue };
                rows.push(Row { change: Change::Same, left: Some((l + 1, text.clone())), right: Some((r + 1, text)) });
            }
            ChangeTag::Delete => removed.push((c.old_index().unwrap_or(0) + 1, text)),
            ChangeTag::Insert => added.push((c.new_index().unwrap_or(0) + 1, text)),
        }
    }
    flush(&mut rows, &mut removed, &mut added);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_pair_up_and_the_rest_stand_alone() {
        let rows = side_by_side("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n");
        let changes: Vec<Change> = rows.iter().map(|r| r.change).collect();
        assert_eq!(changes, [Change::Same, Change::Changed, Change::Same, Change::Same, Change::Added]);
        assert_eq!(rows[1].left, Some((2, "b".into())));
        assert_eq!(rows[1].right, Some((2, "B".into())));
        assert_eq!(rows[4].left, None);
        assert_eq!(rows[4].right, Some((5, "e".into())));
        assert!(side_by_side("x\n", "x\n").iter().all(|r| r.change == Change::Same));
        assert_eq!(side_by_side("x\ny\n", "x\n")[1].change, Change::Removed);
    }
}
