//! The dashboard: the home page of every portal. A 12-column grid of widgets, each scoped by the
//! actor's tenancy and scope and each clicking through to the page beneath it with the same filter
//! and time range. Widgets are added, removed, moved and resized with the mouse or the keyboard
//! alone (moves are announced to screen readers); the arrangement is saved per user, with the
//! role's default until then. The layout rules here are plain functions, tested without a browser.

mod page;
mod server_fns;

pub use page::*;
pub use server_fns::*;

use serde::{Deserialize, Serialize};

/// Columns of the grid (the domain's `dashboards::COLUMNS`).
pub const COLUMNS: u8 = 12;
/// The tallest a widget may be, in rows.
pub const MAX_HEIGHT: u8 = 8;
/// Rows of the grid (the stylesheet has a placement class for each).
pub const ROWS: u8 = 48;

/// One widget's place: columns `x..x+w` (0-based), rows `y..y+h`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TileView {
    /// The widget's key (`active_alarms`, …).
    pub widget: String,
    pub x: u8,
    pub y: u8,
    pub w: u8,
    pub h: u8,
}

/// A big number with its label, linking to the page beneath it, filtered to what it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    /// `ok`, `warning`, `fail`, `critical`, `major`, `minor` or empty: the figure's colour, always
    /// with its label beside it.
    pub tone: String,
    pub href: String,
}

/// One line of a widget's list (the worst links, the top applications, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub label: String,
    pub value: String,
    pub note: String,
    pub href: String,
}

/// What one widget shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetView {
    pub key: String,
    pub title: String,
    pub figures: Vec<Figure>,
    pub lines: Vec<Line>,
    /// Shown when there are neither figures nor lines.
    pub empty: String,
    /// The page beneath, as (label, href).
    pub more: Option<(String, String)>,
}

/// A widget the actor may add, with the size it is added at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueItem {
    pub key: String,
    pub label: String,
    pub w: u8,
    pub h: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub title: String,
    pub lead: String,
    pub tiles: Vec<TileView>,
    pub range: String,
    pub refresh_s: u32,
    /// Nothing saved yet: the role's default.
    pub is_default: bool,
    pub widgets: Vec<WidgetView>,
    pub catalogue: Vec<CatalogueItem>,
    /// (key, label)
    pub ranges: Vec<(String, String)>,
    pub refreshes: Vec<u32>,
    /// The user's own recent sign-ins, shown under the grid.
    pub recent_sign_ins: Vec<crate::activity::SignInRow>,
}

fn overlaps(a: &TileView, b: &TileView) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Keeps tile `fixed` where it is and pushes every tile it (or a pushed tile) overlaps down, below
/// it: what a grid does when a widget is dropped onto others.
pub fn settle(tiles: &mut [TileView], fixed: usize) {
    let mut moved = vec![fixed];
    // Each pass pushes what the last moved tiles overlap; a push only ever goes down, so this ends.
    for _ in 0..(tiles.len() * tiles.len() + 1) {
        let Some(i) = moved.pop() else { return };
        let anchor = tiles[i].clone();
        for j in 0..tiles.len() {
            if j != i && j != fixed && overlaps(&anchor, &tiles[j]) {
                tiles[j].y = anchor.y + anchor.h;
                moved.push(j);
            }
        }
    }
}

/// Moves tile `i` by whole cells, kept inside the grid; answers whether it moved.
pub fn move_by(tiles: &mut [TileView], i: usize, dx: i32, dy: i32) -> bool {
    let Some(t) = tiles.get(i) else { return false };
    let x = (i32::from(t.x) + dx).clamp(0, i32::from(COLUMNS - t.w.min(COLUMNS)));
    let y = (i32::from(t.y) + dy).clamp(0, i32::from(ROWS - t.h.min(ROWS)));
    let (x, y) = (x as u8, y as u8);
    if (x, y) == (t.x, t.y) {
        return false;
    }
    tiles[i].x = x;
    tiles[i].y = y;
    settle(tiles, i);
    true
}

/// Places tile `i` at a cell (a drag ends), kept inside the grid.
pub fn move_to(tiles: &mut [TileView], i: usize, x: i32, y: i32) -> bool {
    let Some(t) = tiles.get(i) else { return false };
    move_by(tiles, i, x - i32::from(t.x), y - i32::from(t.y))
}

/// Resizes tile `i` by whole cells (at least 2 columns and 1 row, inside the grid).
pub fn resize_by(tiles: &mut [TileView], i: usize, dw: i32, dh: i32) -> bool {
    let Some(t) = tiles.get(i) else { return false };
    let w = (i32::from(t.w) + dw).clamp(2, i32::from(COLUMNS - t.x));
    let h = (i32::from(t.h) + dh).clamp(1, i32::from(MAX_HEIGHT));
    let (w, h) = (w as u8, h as u8);
    if (w, h) == (t.w, t.h) {
        return false;
    }
    tiles[i].w = w;
    tiles[i].h = h;
    settle(tiles, i);
    true
}

/// Adds a widget under everything else, at its default size.
pub fn add(tiles: &mut Vec<TileView>, item: &CatalogueItem) {
    let y = tiles.iter().map(|t| t.y + t.h).max().unwrap_or(0);
    tiles.push(TileView { widget: item.key.clone(), x: 0, y, w: item.w.min(COLUMNS), h: item.h.clamp(1, MAX_HEIGHT) });
}

/// How a tile's place is said to a screen reader.
pub fn place_words(title: &str, t: &TileView) -> String {
    format!("{title}: column {} of {COLUMNS}, row {}, {} columns wide, {} rows high.", t.x + 1, t.y + 1, t.w, t.h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(widget: &str, x: u8, y: u8, w: u8, h: u8) -> TileView {
        TileView { widget: widget.into(), x, y, w, h }
    }

    #[test]
    fn moving_onto_a_widget_pushes_it_and_what_is_below_it_down() {
        let mut tiles = vec![tile("a", 0, 0, 6, 2), tile("b", 6, 0, 6, 2), tile("c", 6, 2, 6, 2)];
        assert!(move_by(&mut tiles, 0, 6, 0));
        assert_eq!((tiles[0].x, tiles[0].y), (6, 0));
        assert_eq!(tiles[1].y, 2, "b goes under a");
        assert_eq!(tiles[2].y, 4, "c goes under b");
        for (i, a) in tiles.iter().enumerate() {
            for b in &tiles[i + 1..] {
                assert!(!overlaps(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn moves_and_sizes_stay_inside_the_grid() {
        let mut tiles = vec![tile("a", 10, 0, 2, 2)];
        assert!(!move_by(&mut tiles, 0, 1, 0), "already at the right edge");
        assert!(!move_by(&mut tiles, 0, 0, -1), "already at the top");
        assert!(!resize_by(&mut tiles, 0, 1, 0), "no column left to grow into");
        assert!(resize_by(&mut tiles, 0, 0, 20));
        assert_eq!(tiles[0].h, MAX_HEIGHT);
        assert!(move_to(&mut tiles, 0, -5, 3));
        assert_eq!((tiles[0].x, tiles[0].y), (0, 3));
        assert!(!resize_by(&mut tiles, 0, -5, 0) || tiles[0].w >= 2);
    }

    #[test]
    fn added_widgets_go_below_and_places_are_said_in_words() {
        let mut tiles = vec![tile("a", 0, 0, 6, 3)];
        add(&mut tiles, &CatalogueItem { key: "jobs".into(), label: "Jobs".into(), w: 3, h: 2 });
        assert_eq!(tiles[1], tile("jobs", 0, 3, 3, 2));
        assert_eq!(place_words("Jobs", &tiles[1]), "Jobs: column 1 of 12, row 4, 3 columns wide, 2 rows high.");
    }
}
