//! Roles and permissions, stored as TEXT through `as_str`.

/// A user's role in an organization (BitGo's `OrganizationRole`; serialized by its wire name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OrgRole {
    /// The organization's service user: acts for child enterprises (trades, withdrawals, KYC).
    ServiceUser,
    /// An organization admin: views child enterprises and sets policy; never transacts.
    Admin,
    /// A plain member.
    Member,
    /// An end customer.
    Customer,
}

impl OrgRole {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::ServiceUser => "serviceUser",
            OrgRole::Admin => "admin",
            OrgRole::Member => "member",
            OrgRole::Customer => "customer",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<OrgRole> {
        Some(match s {
            "serviceUser" => OrgRole::ServiceUser,
            "admin" => OrgRole::Admin,
            "member" => OrgRole::Member,
            "customer" => OrgRole::Customer,
            _ => return None,
        })
    }

    /// The `permissions` BitGo lists beside the role on the user object.
    pub fn permissions(self) -> &'static [&'static str] {
        match self {
            OrgRole::Admin => &["admin"],
            _ => &[],
        }
    }
}

/// An enterprise permission (BitGo's enterprise user permissions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterprisePermission {
    /// Adds and removes users, creates wallets, manages policies.
    Admin,
    /// Views audit logs.
    Auditor,
    /// Creates wallets.
    WalletCreate,
    /// Receives wallet invitations.
    Member,
}

impl EnterprisePermission {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EnterprisePermission::Admin => "admin",
            EnterprisePermission::Auditor => "auditor",
            EnterprisePermission::WalletCreate => "wallet.create",
            EnterprisePermission::Member => "member",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<EnterprisePermission> {
        Some(match s {
            "admin" => EnterprisePermission::Admin,
            "auditor" => EnterprisePermission::Auditor,
            "wallet.create" => EnterprisePermission::WalletCreate,
            "member" => EnterprisePermission::Member,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in [
            OrgRole::ServiceUser,
            OrgRole::Admin,
            OrgRole::Member,
            OrgRole::Customer,
        ] {
            assert_eq!(OrgRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(OrgRole::parse("owner"), None);
    }

    #[test]
    fn permissions_round_trip() {
        for p in [
            EnterprisePermission::Admin,
            EnterprisePermission::Auditor,
            EnterprisePermission::WalletCreate,
            EnterprisePermission::Member,
        ] {
            assert_eq!(EnterprisePermission::parse(p.as_str()), Some(p));
        }
        assert_eq!(EnterprisePermission::parse("viewer"), None);
    }
}
