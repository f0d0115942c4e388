//! Reading an import file into records, each with the line it starts on. CSV: one header row naming
//! the columns, then one row per POP, VIM, EMS or router (the `type` column says which). JSON: an
//! object with `pops` (each may hold its `vims`, `ems` and `routers`), and optionally top-level `vims`,
//! `ems` and `routers` that name an existing POP in `pop`.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use super::RowError;

/// The kinds of record a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Pop,
    Vim,
    Ems,
    Router,
}

impl RecordKind {
    pub fn parse(raw: &str) -> Option<RecordKind> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "pop" | "pops" => Some(RecordKind::Pop),
            "vim" | "vims" => Some(RecordKind::Vim),
            "ems" => Some(RecordKind::Ems),
            "router" | "routers" => Some(RecordKind::Router),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Pop => "POP",
            RecordKind::Vim => "VIM",
            RecordKind::Ems => "EMS",
            RecordKind::Router => "router",
        }
    }

    /// The columns a record of this kind may fill; `pop` names the parent of the others.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            RecordKind::Pop => &["name", "description", "address", "city", "country", "latitude", "longitude", "opco"],
            RecordKind::Vim => &["name", "pop", "vim_type", "auth_url", "region", "project", "username", "password"],
            RecordKind::Ems => &["name", "pop", "management_address", "username", "password"],
            RecordKind::Router => &["name", "pop", "role", "management_address", "loopback", "asn", "model"],
        }
    }
}

/// Every column of the CSV format, in the template's order.
pub const CSV_COLUMNS: &[&str] = &[
    "type",
    "name",
    "pop",
    "description",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "opco",
    "vim_type",
    "auth_url",
    "region",
    "project",
    "username",
    "password",
    "role",
    "management_address",
    "loopback",
    "asn",
    "model",
];

/// One record as read: where it starts, what it is, and its cells by column name.
#[derive(Debug, Clone)]
pub struct RawRecord {
    pub line: u64,
    pub kind: RecordKind,
    pub values: BTreeMap<String, String>,
}

impl RawRecord {
    pub fn get(&self, column: &str) -> &str {
        self.values.get(column).map_or("", String::as_str)
    }
}

fn err(line: u64, column: &str, message: impl Into<String>) -> RowError {
    RowError { line, column: column.to_string(), message: message.into() }
}

pub fn csv(content: &str) -> (Vec<RawRecord>, Vec<RowError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    // The reader's own line count skips blank lines, so lines are counted from byte offsets.
    let lines = Lines::new(content);
    // A record's position is where the reader stood before it, which may be blank lines before the
    // record itself: step over them.
    let line_at = |p: Option<&csv::Position>| {
        p.map_or(0, |p| {
            let bytes = content.as_bytes();
            let mut at = p.byte() as usize;
            while matches!(bytes.get(at), Some(b'\n' | b'\r')) {
                at += 1;
            }
            lines.line_of(at)
        })
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::None).from_reader(content.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect(),
        Err(e) => return (records, vec![err(1, "", format!("the header row cannot be read: {e}"))]),
    };
    if !header.iter().any(|h| h == "type") {
        errors.push(err(1, "type", "the header row has no `type` column (download the template for the format)"));
        return (records, errors);
    }
    for (i, h) in header.iter().enumerate() {
        if !CSV_COLUMNS.contains(&h.as_str()) {
            errors.push(err(1, h, format!("unknown column `{h}` (column {})", i + 1)));
        } else if header[..i].contains(h) {
            errors.push(err(1, h, format!("column `{h}` appears twice")));
        }
    }
    if !errors.is_empty() {
        return (records, errors);
    }
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = line_at(e.position());
                errors.push(err(line, "", format!("this row cannot be read: {e}")));
                continue;
            }
        };
        let line = line_at(row.position());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Trailing empty cells may be left out (hand-written files); extra cells are a mistake.
        if row.len() > header.len() {
            errors.push(err(line, "", format!("has {} cells; the header has {}", row.len(), header.len())));
            continue;
        }
        let cells: BTreeMap<String, String> = header.iter().cloned().zip(row.iter().map(str::to_string)).collect();
        let type_cell = cells.get("type").map_or("", String::as_str);
        let Some(kind) = RecordKind::parse(type_cell) else {
            errors.push(err(line, "type", format!("`{type_cell}` is not a record type (pop, vim, ems or router)")));
            continue;
        };
        let mut values = BTreeMap::new();
        for (column, value) in cells {
            if column == "type" || value.is_empty() {
                continue;
            }
            if !kind.columns().contains(&column.as_str()) {
                errors.push(err(line, &column, format!("is not a {} column; leave it empty on {} rows", kind.label(), kind.label())));
                continue;
            }
            values.insert(column, value);
        }
        records.push(RawRecord { line, kind, values });
    }
    (records, errors)
}

/// Line numbers of byte offsets in a text, by binary search over its line starts.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn line_of(&self, offset: usize) -> u64 {
        (self.starts.partition_point(|s| *s <= offset)) as u64
    }
}

#[derive(serde::Deserialize)]
struct JsonFile<'a> {
    #[serde(borrow, default)]
    pops: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    vims: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    ems: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    routers: Vec<&'a RawValue>,
}

pub fn json(content: &str) -> (Vec<RawRecord>, Vec<RowError>) {
    let lines = Lines::new(content);
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let file: JsonFile = match serde_json::from_str(content) {
        Ok(f) => f,
        Err(e) => {
            let what = if e.is_data() { "is not in the import format (an object with a `pops` list)" } else { "is not valid JSON" };
            return (records, vec![err(e.line() as u64, "", format!("the file {what}: {e}"))]);
        }
    };
    // Every RawValue borrows from `content`, so its offset there gives its line.
    let line_of = |raw: &RawValue| lines.line_of((raw.get().as_ptr() as usize).saturating_sub(content.as_ptr() as usize));
    for pop in file.pops {
        let line = line_of(pop);
        let Some(fields) = object(pop, line, &mut errors) else { continue };
        let mut values = BTreeMap::new();
        let pop_name = fields.get("name").map(|v| scalar(v)).and_then(Result::ok).unwrap_or_default();
        for (key, value) in fields {
            let children = match key.as_str() {
                "vims" => Some(RecordKind::Vim),
                "ems" => Some(RecordKind::Ems),
                "routers" => Some(RecordKind::Router),
                _ => None,
            };
            if let Some(kind) = children {
                match serde_json::from_str::<Vec<&RawValue>>(value.get()) {
                    Ok(list) => {
                        for child in list {
                            child_record(kind, child, line_of(child), Some(&pop_name), &mut records, &mut errors);
                        }
                    }
                    Err(_) => errors.push(err(line, &key, "must be a list of objects")),
                }
                continue;
            }
            add_value(RecordKind::Pop, &key, value, line, &mut values, &mut errors);
        }
        records.push(RawRecord { line, kind: RecordKind::Pop, values });
    }
    for (kind, list) in [(RecordKind::Vim, file.vims), (RecordKind::Ems, file.ems), (RecordKind::Router, file.routers)] {
        for child in list {
            child_record(kind, child, line_of(child), None, &mut records, &mut errors);
        }
    }
    records.sort_by_key(|r| r.line);
    (records, errors)
}

fn object<'a>(raw: &'a RawValue, line: u64, errors: &mut Vec<RowError>) -> Option<BTreeMap<String, &'a RawValue>> {
    match serde_json::from_str::<BTreeMap<String, &RawValue>>(raw.get()) {
        Ok(map) => Some(map),
        Err(_) => {
            errors.push(err(line, "", "must be an object of fields"));
            None
        }
    }
}

fn child_record(kind: RecordKind, raw: &RawValue, line: u64, parent: Option<&str>, records: &mut Vec<RawRecord>, errors: &mut Vec<RowError>) {
    let Some(fields) = object(raw, line, errors) else { return };
    let mut values = BTreeMap::new();
    if let Some(p) = parent {
        values.insert("pop".to_string(), p.to_string());
    }
    for (key, value) in fields {
        if key == "pop" && parent.is_some() {
            errors.push(err(line, "pop", "is implied by the POP this record is listed under; remove it"));
            continue;
        }
        add_value(kind, &key, value, line, &mut values, errors);
    }
    records.push(RawRecord { line, kind, values });
}

fn add_value(kind: RecordKind, key: &str, value: &RawValue, line: u64, values: &mut BTreeMap<String, String>, errors: &mut Vec<RowError>) {
    if !kind.columns().contains(&key) {
        errors.push(err(line, key, format!("is not a {} field", kind.label())));
        return;
    }
    match scalar(value) {
        Ok(text) if text.is_empty() => {}
        Ok(text) => {
            values.insert(key.to_string(), text);
        }
        Err(message) => errors.push(err(line, key, message)),
    }
}

/// A JSON value as the text a CSV cell would hold.
fn scalar(value: &RawValue) -> Result<String, String> {
    match serde_json::from_str::<serde_json::Value>(value.get()) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(serde_json::Value::Number(n)) => Ok(n.to_string()),
        Ok(serde_json::Value::Bool(b)) => Ok(b.to_string()),
        Ok(serde_json::Value::Null) => Ok(String::new()),
        _ => Err("must be text or a number".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_numbers_and_unknown_columns_are_named() {
        let text = "type,name,pop,city,country\npop,ams1,,Amsterdam,NL\n\nvim,ams1-vim,ams1,,\n";
        let (records, errors) = csv(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(records[1].kind, RecordKind::Vim);
        assert_eq!(records[1].get("pop"), "ams1");
        let (_, errors) = csv("type,name,colour\npop,x,red\n");
        assert_eq!(errors.first().map(|e| (e.line, e.column.as_str())), Some((1, "colour")));
        let (records, _) = csv("type,name,city,country\npop,short,Paris\n");
        assert_eq!(records.first().map(|r| r.get("city")), Some("Paris"), "trailing cells may be left out");
        let (_, errors) = csv("type,name,city\npop,x,Paris,extra\nswitch,y,\n");
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn json_records_know_their_lines_including_nested_ones() {
        let text = "{\n  \"pops\": [\n    {\"name\": \"ams1\", \"city\": \"Amsterdam\", \"country\": \"NL\", \"latitude\": 52.37,\n     \"vims\": [\n       {\"name\": \"ams1-vim\"}\n     ]}\n  ]\n}\n";
        let (records, errors) = json(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records.len(), 2);
        assert_eq!((records[0].line, records[0].get("latitude")), (3, "52.37"));
        assert_eq!((records[1].line, records[1].kind, records[1].get("pop")), (5, RecordKind::Vim, "ams1"));
        let (_, errors) = json("{\"pops\": [{\"name\": \"x\", \"colour\": \"red\"}]}");
        assert_eq!(errors.first().map(|e| e.column.as_str()), Some("colour"));
        let (_, errors) = json("{\"pops\": [\n{\"name\": \"x\",}]}");
        assert_eq!(errors.first().map(|e| e.line), Some(2), "syntax errors say where");
    }
}
