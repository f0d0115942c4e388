//! The predefined application groups the predefined SLA profiles steer (CSO's signature groups,
//! research 2.1): each group's applications by their Junos application name. The fleet reports
//! per-application statistics under these names, and the SLA pages roll them up by group.

/// One predefined application group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub name: &'static str,
    pub label: &'static str,
    /// Junos application names (`ZOOM`, `OFFICE365`, …).
    pub applications: &'static [&'static str],
}

pub const GROUPS: &[Group] = &[
    Group {
        name: "CSO_Collaboration_AV",
        label: "Collaboration (audio and video)",
        applications: &["SKYPE-FOR-BUSINESS", "ZOOM", "GOTOMEETING", "JIVE", "JABBER", "CITRIX-ONLINE", "WEBEX", "ZOHO-MEETING", "GOOGLE-HANGOUTS", "ADOBE-CONNECT"],
    },
    Group {
        name: "CSO_Productivity",
        label: "Productivity",
        applications: &["SALESFORCE", "ORACLE", "SAP", "OFFICE365", "ZENDESK", "SLACK", "WORKDAY", "ASANA"],
    },
    Group { name: "CSO_Security", label: "Security", applications: &["SYMANTEC", "MCAFEE", "SOPHOS", "ZONEALARM", "LOOKOUT"] },
    Group {
        name: "CSO_Collaboration_Email",
        label: "E-mail",
        applications: &["EXCHANGE", "IMAP", "POP3", "GMAIL", "OWA", "YAHOO-MAIL"],
    },
    Group { name: "CSO_File_Share", label: "File sharing", applications: &["BOX", "DROPBOX", "GSUITE", "ONEDRIVE"] },
];

pub fn group(name: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.name == name)
}

/// The predefined group an application belongs to, if any.
pub fn group_of(application: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.applications.contains(&application))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_application_is_in_one_group_only() {
        let mut seen = std::collections::HashSet::new();
        for g in GROUPS {
            for a in g.applications {
                assert!(seen.insert(*a), "{a} is in two groups");
                assert_eq!(group_of(a).map(|g| g.name), Some(g.name));
            }
        }
        assert!(group("CSO_Security").is_some() && group("nope").is_none());
    }
}
