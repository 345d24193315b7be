//! `[demo]`: the BitGo demo world seeded on first start.

use serde::Deserialize;

/// `[demo]`: one organization, its parent enterprise of the same name, and its users.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemoConfig {
    /// Name of the organization and of its parent enterprise.
    pub organization: String,
    /// Password of every demo user.
    pub password: String,
    /// The demo users.
    pub users: Vec<DemoUser>,
    /// Child enterprises, each with its end user (an organization `customer`) and an approved
    /// KYC identity; the organization's service user is an admin of each.
    pub children: Vec<DemoChild>,
}

/// One `[[demo.children]]` entry: a child enterprise named after its end user's email.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoChild {
    /// The end user's login email (also the enterprise's name).
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
}

/// One `[[demo.users]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoUser {
    /// Login email (the BitGo username).
    pub email: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Permissions on the parent enterprise (`admin`, `auditor`, `wallet.create`, `member`).
    #[serde(default)]
    pub enterprise_permissions: Vec<String>,
    /// Role in the organization (`serviceUser`, `admin`, `member`, `customer`), if any.
    #[serde(default)]
    pub organization_role: Option<String>,
    /// Whether the user is one of the parent enterprise's video approvers (`videoIdUser`).
    #[serde(default)]
    pub video_approver: bool,
}

impl Default for DemoConfig {
    fn default() -> Self {
        let user = |email: &str, first: &str, last: &str, role: &str| DemoUser {
            email: email.into(),
            first_name: first.into(),
            last_name: last.into(),
            enterprise_permissions: vec!["admin".into()],
            organization_role: Some(role.into()),
            video_approver: false,
        };
        DemoConfig {
            organization: "Prestige Worldwide".into(),
            password: "Prestige-Worldwide-2026".into(),
            users: vec![
                user(
                    "brennan@prestige-worldwide.test",
                    "Brennan",
                    "Huff",
                    "admin",
                ),
                DemoUser {
                    video_approver: true,
                    ..user("dale@prestige-worldwide.test", "Dale", "Doback", "member")
                },
                user(
                    "service@prestige-worldwide.test",
                    "Prestige",
                    "Service",
                    "serviceUser",
                ),
            ],
            children: vec![DemoChild {
                email: "chazz@prestige-worldwide.test".into(),
                first_name: "Chazz".into(),
                last_name: "Reinhold".into(),
            }],
        }
    }
}
