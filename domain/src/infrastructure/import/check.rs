//! Checking every record of an import before anything is written: each field parsed into its type,
//! names unique within the file and against what exists, every VIM, EMS and router placed in a POP
//! that is in the file or that the importer can see, OpCos named by SP users only.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::parse::{RawRecord, RecordKind};
use super::RowError;
use crate::infrastructure::ems::{EmsFields, EmsInput};
use crate::infrastructure::pops::{PopFields, PopInput};
use crate::infrastructure::routers::{RouterFields, RouterInput};
use crate::infrastructure::vims::{VimFields, VimInput};
use crate::infrastructure::{ems, pop_condition, pops, routers, vims, FieldErrors};
use crate::{opcos, Actor, Home, Result};

/// What a valid file will create.
#[derive(Debug, Default)]
pub struct Plan {
    pub pops: Vec<(PopFields, Option<i64>)>,
    /// (POP name, fields), likewise for EMS and routers.
    pub vims: Vec<(String, VimFields)>,
    pub ems: Vec<(String, EmsFields)>,
    pub routers: Vec<(String, RouterFields)>,
    /// Existing POPs the file's records go into, by name.
    pub existing_pops: HashMap<String, i64>,
}

impl Plan {
    pub fn rows(&self) -> usize {
        self.pops.len() + self.vims.len() + self.ems.len() + self.routers.len()
    }
}

async fn names<E: EntityTrait, C: ColumnTrait, Db: ConnectionTrait>(db: &Db, column: C) -> Result<HashSet<String>> {
    let names: Vec<String> = E::find().select_only().column(column).into_tuple().all(db).await?;
    Ok(names.into_iter().collect())
}

/// The names already taken, per kind: names are unique across the whole portal.
pub struct Existing {
    pops: HashSet<String>,
    vims: HashSet<String>,
    ems: HashSet<String>,
    routers: HashSet<String>,
    /// POPs the importer may add to, by name.
    visible_pops: HashMap<String, i64>,
    opcos: HashMap<String, i64>,
}

impl Existing {
    pub async fn load<Db: ConnectionTrait>(db: &Db, actor: &Actor) -> Result<Existing> {
        let visible: Vec<(i64, String)> = pops::entity::Entity::find()
            .filter(pop_condition(actor)?)
            .select_only()
            .column(pops::entity::Column::Id)
            .column(pops::entity::Column::Name)
            .into_tuple()
            .all(db)
            .await?;
        let opco_rows: Vec<(i64, String)> = opcos::entity::Entity::find()
            .select_only()
            .column(opcos::entity::Column::Id)
            .column(opcos::entity::Column::Name)
            .into_tuple()
            .all(db)
            .await?;
        Ok(Existing {
            pops: names::<pops::entity::Entity, _, _>(db, pops::entity::Column::Name).await?,
            vims: names::<vims::entity::Entity, _, _>(db, vims::entity::Column::Name).await?,
            ems: names::<ems::entity::Entity, _, _>(db, ems::entity::Column::Name).await?,
            routers: names::<routers::entity::Entity, _, _>(db, routers::entity::Column::Name).await?,
            visible_pops: visible.into_iter().map(|(id, name)| (name, id)).collect(),
            opcos: opco_rows.into_iter().map(|(id, name)| (name, id)).collect(),
        })
    }
}

/// Checks every record; the plan is complete only when the error list is empty.
pub fn check(records: &[RawRecord], existing: &Existing, actor: &Actor) -> (Plan, Vec<RowError>) {
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    // name → line of its first appearance, per kind
    let mut seen: HashMap<(RecordKind, String), u64> = HashMap::new();
    let file_pops: HashSet<&str> = records.iter().filter(|r| r.kind == RecordKind::Pop).map(|r| r.get("name").trim()).collect();

    for r in records {
        let mut e = FieldErrors::default();
        let name = r.get("name").trim().to_string();
        match r.kind {
            RecordKind::Pop => {
                let input = PopInput {
                    name: name.clone(),
                    description: r.get("description").into(),
                    address: r.get("address").into(),
                    city: r.get("city").into(),
                    country: r.get("country").into(),
                    latitude: r.get("latitude").into(),
                    longitude: r.get("longitude").into(),
                    opco: r.get("opco").into(),
                };
                let fields = PopFields::parse_each(&input, &mut e);
                let opco = e.take(owner(actor, existing, &input.opco));
                if existing.pops.contains(&name) {
                    e.0.push(("name", format!("duplicate name: a POP named `{name}` already exists")));
                }
                if let (Some(f), Some(o)) = (fields, opco) {
                    plan.pops.push((f, o));
                }
            }
            RecordKind::Vim => {
                let input = VimInput {
                    pop_id: 0,
                    name: name.clone(),
                    vim_type: r.get("vim_type").into(),
                    auth_url: r.get("auth_url").into(),
                    region: r.get("region").into(),
                    project: r.get("project").into(),
                    username: r.get("username").into(),
                    password: r.get("password").into(),
                    // Imports take the default largest VM; the VIM page edits it.
                    ..Default::default()
                };
                let fields = VimFields::parse_each(&input, true, &mut e);
                let pop = parent(r, existing, &file_pops, &mut e);
                if existing.vims.contains(&name) {
                    e.0.push(("name", format!("duplicate name: a VIM named `{name}` already exists")));
                }
                if let (Some(f), Some(p)) = (fields, pop) {
                    plan.vims.push((p, f));
                }
            }
            RecordKind::Ems => {
                let input = EmsInput {
                    pop_id: 0,
                    name: name.clone(),
                    management_address: r.get("management_address").into(),
                    username: r.get("username").into(),
                    password: r.get("password").into(),
                };
                let fields = EmsFields::parse_each(&input, true, &mut e);
                let pop = parent(r, existing, &file_pops, &mut e);
                if existing.ems.contains(&name) {
                    e.0.push(("name", format!("duplicate name: an EMS named `{name}` already exists")));
                }
                if let (Some(f), Some(p)) = (fields, pop) {
                    plan.ems.push((p, f));
                }
            }
            RecordKind::Router => {
                let input = RouterInput {
                    pop_id: 0,
                    name: name.clone(),
                    role: r.get("role").into(),
                    management_address: r.get("management_address").into(),
                    loopback: r.get("loopback").into(),
                    asn: r.get("asn").into(),
                    model: r.get("model").into(),
                };
                let fields = RouterFields::parse_each(&input, &mut e);
                let pop = parent(r, existing, &file_pops, &mut e);
                if existing.routers.contains(&name) {
                    e.0.push(("name", format!("duplicate name: a router named `{name}` already exists")));
                }
                if let (Some(f), Some(p)) = (fields, pop) {
                    plan.routers.push((p, f));
                }
            }
        }
        if !name.is_empty() {
            if let Some(first) = seen.get(&(r.kind, name.clone())) {
                e.0.push(("name", format!("duplicate name: `{name}` is also a {} on line {first}", r.kind.label())));
            } else {
                seen.insert((r.kind, name), r.line);
            }
        }
        errors.extend(e.0.into_iter().map(|(column, message)| RowError { line: r.line, column: column.to_string(), message }));
    }
    for (name, id) in &existing.visible_pops {
        let used = plan.vims.iter().map(|v| &v.0).chain(plan.ems.iter().map(|v| &v.0)).chain(plan.routers.iter().map(|v| &v.0)).any(|p| p == name);
        if used {
            plan.existing_pops.insert(name.clone(), *id);
        }
    }
    (plan, errors)
}

/// The POP a child record goes into: one in the file, or an existing one the importer can see.
fn parent(r: &RawRecord, existing: &Existing, file_pops: &HashSet<&str>, e: &mut FieldErrors) -> Option<String> {
    let pop = r.get("pop").trim();
    if pop.is_empty() {
        e.0.push(("pop", format!("is required: the POP this {} belongs to", r.kind.label())));
        return None;
    }
    if file_pops.contains(pop) || existing.visible_pops.contains_key(pop) {
        Some(pop.to_string())
    } else {
        e.0.push(("pop", format!("unknown reference: no POP named `{pop}` in this file or among your POPs")));
        None
    }
}

fn owner(actor: &Actor, existing: &Existing, requested: &str) -> Result<Option<i64>> {
    let requested = requested.trim();
    match actor.home {
        Home::ServiceProvider if requested.is_empty() => Ok(None),
        Home::ServiceProvider => existing
            .opcos
            .get(requested)
            .map(|id| Some(*id))
            .ok_or_else(|| crate::Error::invalid("opco", format!("unknown reference: no operating company is named `{requested}`"))),
        Home::Opco(o) if requested.is_empty() || existing.opcos.get(requested) == Some(&o) => Ok(Some(o)),
        Home::Opco(_) => Err(crate::Error::invalid("opco", "you can import POPs only into your own operating company")),
        Home::Tenant(_) => Err(crate::Error::Forbidden),
    }
}
