//! Dashboards: each user's arrangement of widgets on a 12-column grid, with a page-level time range
//! and refresh, or — until they save one — their role's default. The layout model is Grafana's
//! (a list of `{widget, x, y, w, h}`); what each widget shows is read by the page through the
//! feature it belongs to, scoped by the actor like any other read.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::audit::{self, Entry};
use crate::{Actor, Error, Level, Result, Role};

pub mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "dashboards")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// `user` (a person's own) or `role` (reserved for stored role defaults).
        pub owner_kind: String,
        pub owner_id: i64,
        /// JSON: the tiles.
        pub layout: String,
        pub time_range: String,
        pub refresh_s: i32,
        pub updated_by: String,
        pub updated_at: TimeDateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Columns of the grid.
pub const COLUMNS: u8 = 12;
/// The tallest a widget may be, in rows.
pub const MAX_HEIGHT: u8 = 8;
/// Rows of the grid: the stylesheet places widgets by class, one per row (no inline styles).
pub const ROWS: u8 = 48;
/// How many widgets one dashboard holds.
pub const MAX_TILES: usize = 24;
/// The time ranges a dashboard offers.
pub const RANGES: [(&str, &str); 5] = [("1h", "Last hour"), ("6h", "Last 6 hours"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days")];
/// Refresh periods, seconds (0: only on live updates).
pub const REFRESHES: [u32; 5] = [0, 10, 30, 60, 300];

/// The widget catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Widget {
    /// The counts the home page always showed: tenants, users, sessions, sign-ins (by portal).
    Overview,
    SlaScore,
    Sites,
    Devices,
    ActiveAlarms,
    WorstLinks,
    TopApplications,
    LinkSwitches,
    Jobs,
    HubPopHealth,
}

impl Widget {
    pub const ALL: [Widget; 10] = [
        Widget::Overview,
        Widget::SlaScore,
        Widget::Sites,
        Widget::Devices,
        Widget::ActiveAlarms,
        Widget::WorstLinks,
        Widget::TopApplications,
        Widget::LinkSwitches,
        Widget::Jobs,
        Widget::HubPopHealth,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Widget::Overview => "overview",
            Widget::SlaScore => "sla_score",
            Widget::Sites => "sites",
            Widget::Devices => "devices",
            Widget::ActiveAlarms => "active_alarms",
            Widget::WorstLinks => "worst_links",
            Widget::TopApplications => "top_applications",
            Widget::LinkSwitches => "link_switches",
            Widget::Jobs => "jobs",
            Widget::HubPopHealth => "hub_pop_health",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Widget::Overview => "Overview",
            Widget::SlaScore => "SLA score",
            Widget::Sites => "Sites",
            Widget::Devices => "Devices",
            Widget::ActiveAlarms => "Active alarms",
            Widget::WorstLinks => "Worst WAN links",
            Widget::TopApplications => "Top applications",
            Widget::LinkSwitches => "Link switches",
            Widget::Jobs => "Jobs",
            Widget::HubPopHealth => "Hub and POP health",
        }
    }

    pub fn from_key(key: &str) -> Option<Widget> {
        Widget::ALL.into_iter().find(|w| w.key() == key)
    }

    /// Hub and POP health is the provider's own infrastructure: not a tenant's to see.
    pub fn offered_to(self, level: Level) -> bool {
        !(self == Widget::HubPopHealth && level == Level::Tenant)
    }

    /// The size it is added at.
    pub fn default_size(self) -> (u8, u8) {
        match self {
            Widget::Overview => (12, 2),
            Widget::SlaScore | Widget::WorstLinks | Widget::TopApplications => (6, 3),
            Widget::LinkSwitches | Widget::HubPopHealth => (6, 3),
            _ => (3, 2),
        }
    }
}

/// One widget on the grid: columns `x..x+w` (0-based), rows `y..y+h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tile {
    pub widget: Widget,
    pub x: u8,
    pub y: u8,
    pub w: u8,
    pub h: u8,
}

impl Tile {
    fn overlaps(&self, o: &Tile) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub tiles: Vec<Tile>,
    pub range: String,
    pub refresh_s: u32,
}

/// A dashboard as shown: the layout, and whether it is the role's default (nothing saved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub layout: Layout,
    pub is_default: bool,
}

fn row(tiles: &mut Vec<Tile>, y: u8, widgets: &[Widget]) -> u8 {
    let mut x = 0;
    let mut height = 0;
    for w in widgets {
        let (width, h) = w.default_size();
        tiles.push(Tile { widget: *w, x, y, w: width, h });
        x += width;
        height = height.max(h);
    }
    y + height
}

/// The default dashboard of a role.
pub fn default_for(role: Role, level: Level) -> Layout {
    use Widget::*;
    let mut tiles = Vec::new();
    let y = row(&mut tiles, 0, &[Overview]);
    let y = row(&mut tiles, y, &[Sites, Devices, ActiveAlarms, Jobs]);
    match (role, level) {
        // Designers see no tenant data: nothing to count until Designer Tools has its own widgets.
        (Role::Designer, _) => tiles.clear(),
        (_, Level::Tenant) => {
            let y = row(&mut tiles, y, &[SlaScore, WorstLinks]);
            row(&mut tiles, y, &[TopApplications, LinkSwitches]);
        }
        (_, Level::Opco) => {
            row(&mut tiles, y, &[SlaScore, WorstLinks]);
        }
        (_, Level::ServiceProvider) => {
            let y = row(&mut tiles, y, &[SlaScore, WorstLinks]);
            row(&mut tiles, y, &[HubPopHealth]);
        }
    }
    // Live updates refresh the widgets; a timed refresh would also keep an idle session alive, so it
    // is the user's choice, not the default.
    Layout { tiles, range: "24h".into(), refresh_s: 0 }
}

/// Checks a layout a page sends: known widgets the actor is offered, inside the grid, none
/// overlapping, none twice.
pub fn check(layout: &Layout, level: Level) -> Result<()> {
    if layout.tiles.len() > MAX_TILES {
        return Err(Error::invalid("tiles", format!("a dashboard holds at most {MAX_TILES} widgets")));
    }
    if !RANGES.iter().any(|(k, _)| *k == layout.range) {
        return Err(Error::invalid("range", "choose one of the offered time ranges"));
    }
    if !REFRESHES.contains(&layout.refresh_s) {
        return Err(Error::invalid("refresh_s", "choose one of the offered refresh periods"));
    }
    for (i, t) in layout.tiles.iter().enumerate() {
        if !t.widget.offered_to(level) {
            return Err(Error::invalid("tiles", format!("{} is not offered here", t.widget.label())));
        }
        if t.w == 0 || t.h == 0 || t.h > MAX_HEIGHT || u16::from(t.x) + u16::from(t.w) > u16::from(COLUMNS) || u16::from(t.y) + u16::from(t.h) > u16::from(ROWS) {
            return Err(Error::invalid("tiles", format!("{} does not fit the {COLUMNS}-column grid", t.widget.label())));
        }
        for o in &layout.tiles[..i] {
            if o.widget == t.widget {
                return Err(Error::invalid("tiles", format!("{} is on the dashboard twice", t.widget.label())));
            }
            if o.overlaps(t) {
                return Err(Error::invalid("tiles", format!("{} overlaps {}", t.widget.label(), o.widget.label())));
            }
        }
    }
    Ok(())
}

fn level(actor: &Actor) -> Level {
    match actor.home {
        crate::Home::ServiceProvider => Level::ServiceProvider,
        crate::Home::Opco(_) => Level::Opco,
        crate::Home::Tenant(_) => Level::Tenant,
    }
}

async fn own(db: &DatabaseConnection, actor: &Actor) -> Result<Option<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::OwnerKind.eq("user"))
        .filter(entity::Column::OwnerId.eq(actor.user_id))
        .one(db)
        .await?)
}

/// The actor's dashboard: their saved one, else their role's default.
pub async fn get(db: &DatabaseConnection, actor: &Actor) -> Result<Dashboard> {
    let lvl = level(actor);
    if let Some(saved) = own(db, actor).await? {
        let tiles: Option<Vec<Tile>> = serde_json::from_str(&saved.layout).ok();
        let layout = tiles.map(|tiles| Layout { tiles, range: saved.time_range.clone(), refresh_s: u32::try_from(saved.refresh_s).unwrap_or(30) });
        // A layout saved under other rights (a role changed since) falls back to the default.
        if let Some(layout) = layout.filter(|l| check(l, lvl).is_ok()) {
            return Ok(Dashboard { layout, is_default: false });
        }
    }
    Ok(Dashboard { layout: default_for(actor.role, lvl), is_default: true })
}

/// Saves the actor's own dashboard.
pub async fn save(db: &DatabaseConnection, actor: &Actor, layout: Layout) -> Result<Dashboard> {
    if actor.user_id == 0 {
        return Err(Error::Forbidden);
    }
    check(&layout, level(actor))?;
    let json = serde_json::to_string(&layout.tiles).map_err(|e| Error::Internal(e.to_string()))?;
    let txn = audit::begin(db).await?;
    let now = OffsetDateTime::now_utc();
    match own(db, actor).await? {
        Some(found) => {
            let mut row: entity::ActiveModel = found.into();
            row.layout = Set(json);
            row.time_range = Set(layout.range.clone());
            row.refresh_s = Set(i32::try_from(layout.refresh_s).unwrap_or(30));
            row.updated_by = Set(actor.username.clone());
            row.updated_at = Set(now);
            row.update(txn.conn()).await?;
        }
        None => {
            entity::ActiveModel {
                owner_kind: Set("user".into()),
                owner_id: Set(actor.user_id),
                layout: Set(json),
                time_range: Set(layout.range.clone()),
                refresh_s: Set(i32::try_from(layout.refresh_s).unwrap_or(30)),
                updated_by: Set(actor.username.clone()),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn.conn())
            .await?;
        }
    }
    let widgets = layout.tiles.iter().map(|t| t.widget.key()).collect::<Vec<_>>().join(", ");
    txn.record(actor, Entry::new("dashboard.save", "dashboard", actor.user_id, &actor.username).change("widgets", "", &widgets)).await?;
    txn.commit().await?;
    Ok(Dashboard { layout, is_default: false })
}

/// Forgets the actor's own dashboard: their role's default shows again.
pub async fn reset(db: &DatabaseConnection, actor: &Actor) -> Result<Dashboard> {
    if actor.user_id == 0 {
        return Err(Error::Forbidden);
    }
    let txn = audit::begin(db).await?;
    entity::Entity::delete_many()
        .filter(entity::Column::OwnerKind.eq("user"))
        .filter(entity::Column::OwnerId.eq(actor.user_id))
        .exec(txn.conn())
        .await?;
    txn.record(actor, Entry::new("dashboard.reset", "dashboard", actor.user_id, &actor.username)).await?;
    txn.commit().await?;
    Ok(Dashboard { layout: default_for(actor.role, level(actor)), is_default: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fit_and_pass_their_own_check() {
        for (role, level) in [
            (Role::SpAdmin, Level::ServiceProvider),
            (Role::OpcoOperator, Level::Opco),
            (Role::TenantAdmin, Level::Tenant),
            (Role::Designer, Level::ServiceProvider),
        ] {
            let d = default_for(role, level);
            assert!(check(&d, level).is_ok(), "{role:?}: {:?}", check(&d, level));
        }
        assert!(default_for(Role::TenantAdmin, Level::Tenant).tiles.iter().all(|t| t.widget != Widget::HubPopHealth));
    }

    #[test]
    fn bad_layouts_are_refused_with_reasons() {
        let tile = |widget, x, y, w, h| Tile { widget, x, y, w, h };
        let base = |tiles| Layout { tiles, range: "24h".into(), refresh_s: 30 };
        let overlap = base(vec![tile(Widget::Sites, 0, 0, 4, 2), tile(Widget::Devices, 3, 1, 3, 2)]);
        assert!(check(&overlap, Level::Tenant).unwrap_err().to_string().contains("overlaps"));
        let wide = base(vec![tile(Widget::Sites, 10, 0, 3, 2)]);
        assert!(check(&wide, Level::Tenant).is_err());
        let twice = base(vec![tile(Widget::Sites, 0, 0, 3, 2), tile(Widget::Sites, 3, 0, 3, 2)]);
        assert!(check(&twice, Level::Tenant).is_err());
        let hub = base(vec![tile(Widget::HubPopHealth, 0, 0, 6, 3)]);
        assert!(check(&hub, Level::Tenant).is_err() && check(&hub, Level::ServiceProvider).is_ok());
        let mut range = base(vec![]);
        range.range = "2y".into();
        assert!(check(&range, Level::Tenant).is_err());
    }
}
