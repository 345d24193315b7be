//! Plan types and what an organization on each gets (spec §6; values of the server's plan
//! mocks, prices left out).

use serde::{Deserialize, Serialize};

/// Product tier (`ProductTierType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductTier {
    /// 0
    Free,
    /// 1
    Families,
    /// 2
    Teams,
    /// 3
    Enterprise,
    /// 4
    TeamsStarter,
}

impl ProductTier {
    /// The wire integer.
    pub fn as_i64(self) -> i64 {
        match self {
            ProductTier::Free => 0,
            ProductTier::Families => 1,
            ProductTier::Teams => 2,
            ProductTier::Enterprise => 3,
            ProductTier::TeamsStarter => 4,
        }
    }
}

/// The organization's feature flags (`use*`), stored as one JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Features {
    /// Policies.
    pub use_policies: bool,
    /// SSO.
    pub use_sso: bool,
    /// Key Connector (never set at signup).
    pub use_key_connector: bool,
    /// SCIM.
    pub use_scim: bool,
    /// Groups.
    pub use_groups: bool,
    /// Directory Connector.
    pub use_directory: bool,
    /// Event logs.
    pub use_events: bool,
    /// TOTP.
    pub use_totp: bool,
    /// Two-step login.
    #[serde(rename = "use2fa")]
    pub use_2fa: bool,
    /// Organization API (client_credentials `organization.<id>`).
    pub use_api: bool,
    /// Account recovery.
    pub use_reset_password: bool,
    /// Members get premium.
    pub users_get_premium: bool,
    /// Custom roles.
    pub use_custom_permissions: bool,
    /// May be self-hosted.
    pub self_host: bool,
    /// Secrets Manager.
    pub use_secrets_manager: bool,
    /// Password Manager (always true).
    pub use_password_manager: bool,
    /// Risk insights.
    pub use_risk_insights: bool,
    /// Verified domains.
    pub use_organization_domains: bool,
    /// "My items".
    pub use_my_items: bool,
    /// Invite links.
    pub use_invite_links: bool,
}

/// One plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// `PlanType` integer.
    pub plan_type: i64,
    /// Its server name (`Free`, `Teams (Annually) 2019`, ...).
    pub name: &'static str,
    /// Product tier.
    pub tier: ProductTier,
    /// Annual billing.
    pub is_annual: bool,
    /// Seats included.
    pub base_seats: i64,
    /// Hard seat cap, if any.
    pub max_seats: Option<i64>,
    /// Extra seats may be bought.
    pub has_additional_seats: bool,
    /// Collections cap.
    pub max_collections: Option<i64>,
    /// Storage included, GB.
    pub base_storage_gb: i64,
    /// Extra storage may be bought.
    pub has_additional_storage: bool,
    /// Premium access add-on offered.
    pub has_premium_access_option: bool,
    /// Key Connector capability (the org flag still starts false).
    pub has_key_connector: bool,
    /// The flags an organization on this plan gets at signup.
    pub features: Features,
}

fn features(list: &[&str]) -> Features {
    let has = |n: &str| list.contains(&n);
    Features {
        use_policies: has("policies"),
        use_sso: has("sso"),
        use_key_connector: false,
        use_scim: has("scim"),
        use_groups: has("groups"),
        use_directory: has("directory"),
        use_events: has("events"),
        use_totp: has("totp"),
        use_2fa: has("2fa"),
        use_api: has("api"),
        use_reset_password: has("resetPassword"),
        users_get_premium: has("premium"),
        use_custom_permissions: has("customPermissions"),
        self_host: has("selfHost"),
        use_secrets_manager: false,
        use_password_manager: true,
        use_risk_insights: has("riskInsights"),
        use_organization_domains: has("domains"),
        use_my_items: has("myItems"),
        use_invite_links: has("inviteLinks"),
    }
}

const TEAMS: &[&str] = &[
    "groups",
    "directory",
    "events",
    "totp",
    "2fa",
    "api",
    "premium",
];
const TEAMS_SCIM: &[&str] = &[
    "groups",
    "directory",
    "events",
    "totp",
    "2fa",
    "api",
    "premium",
    "scim",
];
const ENTERPRISE: &[&str] = &[
    "policies",
    "selfHost",
    "groups",
    "directory",
    "events",
    "totp",
    "2fa",
    "api",
    "sso",
    "domains",
    "scim",
    "resetPassword",
    "premium",
    "customPermissions",
    "myItems",
    "inviteLinks",
];
const ENTERPRISE_RISK: &[&str] = &[
    "policies",
    "selfHost",
    "groups",
    "directory",
    "events",
    "totp",
    "2fa",
    "api",
    "sso",
    "domains",
    "scim",
    "resetPassword",
    "premium",
    "customPermissions",
    "myItems",
    "inviteLinks",
    "riskInsights",
];

/// One row of [`PLANS`]: type, name, tier, annual, base seats, most seats (`None`: seats
/// can be added), most collections, feature flags.
type PlanRow = (
    i64,
    &'static str,
    ProductTier,
    bool,
    i64,
    Option<i64>,
    Option<i64>,
    &'static [&'static str],
);

/// Every plan the server knows but Custom (6), which only an admin portal sets up. Kept as one
/// row a plan (not reformatted), so it reads as the table it is.
#[rustfmt::skip]
const PLANS: &[PlanRow] = {
    use ProductTier::*;
    const FAMILIES: &[&str] = &["selfHost", "totp"];
    const FAMILIES_PREMIUM: &[&str] = &["selfHost", "totp", "premium"];
    &[
        (0, "Free", Free, false, 2, Some(2), Some(2), &[]),
        (1, "Families 2019", Families, true, 5, Some(5), None, FAMILIES),
        (2, "Teams (Monthly) 2019", Teams, false, 5, None, None, TEAMS),
        (3, "Teams (Annually) 2019", Teams, true, 5, None, None, TEAMS),
        (4, "Enterprise (Monthly) 2019", Enterprise, false, 0, None, None, ENTERPRISE),
        (5, "Enterprise (Annually) 2019", Enterprise, true, 0, None, None, ENTERPRISE),
        (7, "Families 2025", Families, true, 6, Some(6), None, FAMILIES_PREMIUM),
        (8, "Teams (Monthly) 2020", Teams, false, 0, None, None, TEAMS),
        (9, "Teams (Annually) 2020", Teams, true, 0, None, None, TEAMS),
        (10, "Enterprise (Monthly) 2020", Enterprise, false, 0, None, None, ENTERPRISE),
        (11, "Enterprise (Annually) 2020", Enterprise, true, 0, None, None, ENTERPRISE),
        (12, "Teams (Monthly) 2023", Teams, false, 0, None, None, TEAMS),
        (13, "Teams (Annually) 2023", Teams, true, 0, None, None, TEAMS),
        (14, "Enterprise (Monthly) 2023", Enterprise, false, 0, None, None, ENTERPRISE),
        (15, "Enterprise (Annually) 2023", Enterprise, true, 0, None, None, ENTERPRISE),
        (16, "Teams Starter 2023", TeamsStarter, false, 10, Some(10), None, TEAMS),
        (17, "Teams (Monthly)", Teams, false, 0, None, None, TEAMS_SCIM),
        (18, "Teams (Annually)", Teams, true, 0, None, None, TEAMS_SCIM),
        (19, "Enterprise (Monthly)", Enterprise, false, 0, None, None, ENTERPRISE_RISK),
        (20, "Enterprise (Annually)", Enterprise, true, 0, None, None, ENTERPRISE_RISK),
        (21, "Teams Starter", TeamsStarter, false, 10, Some(10), None, TEAMS),
        (22, "Families", Families, true, 6, Some(6), None, FAMILIES_PREMIUM),
    ]
};

/// The plan of a `PlanType`, or `None` for unknown types and Custom (6), which only an admin
/// portal sets up.
pub fn plan(plan_type: i64) -> Option<Plan> {
    let &(_, name, tier, is_annual, base_seats, max_seats, max_collections, flags) =
        PLANS.iter().find(|row| row.0 == plan_type)?;
    Some(Plan {
        plan_type,
        name,
        tier,
        is_annual,
        base_seats,
        max_seats,
        has_additional_seats: max_seats.is_none(),
        max_collections,
        base_storage_gb: if tier == ProductTier::Free { 0 } else { 1 },
        has_additional_storage: tier != ProductTier::Free,
        has_premium_access_option: plan_type == 1,
        has_key_connector: tier == ProductTier::Enterprise,
        features: features(flags),
    })
}

/// The product tier of any plan type (Custom and unknown count as Free, as the server does).
pub fn tier_of(plan_type: i64) -> ProductTier {
    plan(plan_type).map_or(ProductTier::Free, |p| p.tier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_plans_zero_to_five_have_their_seats_and_flags() {
        let free = plan(0).unwrap();
        assert_eq!((free.base_seats, free.max_collections), (2, Some(2)));
        assert!(!free.features.use_api && !free.has_additional_storage);
        let families = plan(1).unwrap();
        assert!(families.features.self_host && !families.features.use_api);
        let teams = plan(3).unwrap();
        assert!(teams.features.use_api && teams.features.users_get_premium);
        assert!(!teams.features.use_sso && teams.max_collections.is_none());
        let ent = plan(5).unwrap();
        assert!(
            ent.features.use_sso && ent.features.use_scim && ent.features.use_custom_permissions
        );
        assert!(ent.has_key_connector && !ent.features.use_key_connector);
        assert_eq!(tier_of(4), ProductTier::Enterprise);
        assert!(plan(6).is_none() && plan(99).is_none());
    }
}
