//! The organization event log's types, numbered as the server's `EventType`, and the date
//! range a log query covers (`ApiHelpers.GetDateRange`).

/// `EventType` numbers of what orgbox records.
pub mod types {
    /// `Collection_Created`
    pub const COLLECTION_CREATED: i64 = 1300;
    /// `Collection_Updated`
    pub const COLLECTION_UPDATED: i64 = 1301;
    /// `Collection_Deleted`
    pub const COLLECTION_DELETED: i64 = 1302;
    /// `Group_Created`
    pub const GROUP_CREATED: i64 = 1400;
    /// `Group_Updated`
    pub const GROUP_UPDATED: i64 = 1401;
    /// `Group_Deleted`
    pub const GROUP_DELETED: i64 = 1402;
    /// `OrganizationUser_Invited`
    pub const MEMBER_INVITED: i64 = 1500;
    /// `OrganizationUser_Confirmed`
    pub const MEMBER_CONFIRMED: i64 = 1501;
    /// `OrganizationUser_Updated`
    pub const MEMBER_UPDATED: i64 = 1502;
    /// `OrganizationUser_Removed`
    pub const MEMBER_REMOVED: i64 = 1503;
    /// `OrganizationUser_UpdatedGroups`
    pub const MEMBER_UPDATED_GROUPS: i64 = 1504;
    /// `OrganizationUser_UnlinkedSso`
    pub const MEMBER_UNLINKED_SSO: i64 = 1505;
    /// `OrganizationUser_ResetPassword_Enroll`
    pub const MEMBER_RESET_PASSWORD_ENROLL: i64 = 1506;
    /// `OrganizationUser_Revoked`
    pub const MEMBER_REVOKED: i64 = 1511;
    /// `OrganizationUser_Restored`
    pub const MEMBER_RESTORED: i64 = 1512;
    /// `OrganizationUser_Left`
    pub const MEMBER_LEFT: i64 = 1516;
    /// `OrganizationUser_Revoked_TwoFactorNonCompliance`
    pub const MEMBER_REVOKED_TWO_FACTOR: i64 = 1520;
    /// `OrganizationUser_Revoked_SingleOrganizationNonCompliance`
    pub const MEMBER_REVOKED_SINGLE_ORG: i64 = 1521;
    /// `Organization_Updated`
    pub const ORGANIZATION_UPDATED: i64 = 1600;
    /// `Policy_Updated`
    pub const POLICY_UPDATED: i64 = 1700;
}

/// `EventSystemUser.PublicApi`: events the organization API key caused.
pub const SYSTEM_USER_PUBLIC_API: i64 = 3;

/// A day, in ms.
const DAY_MS: i64 = 86_400_000;

/// The range `[start, end]` (ms) a log query covers: the one given, ends swapped when reversed;
/// without both ends, the last 30 days through the end of today (sandbox clock). A range over
/// 367 days is refused with `too_large` (the private and Public API word it differently).
pub fn date_range(
    start: Option<i64>,
    end: Option<i64>,
    now_ms: i64,
    too_large: &'static str,
) -> Result<(i64, i64), &'static str> {
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) if s > e => (e, s),
        (Some(s), Some(e)) => (s, e),
        _ => {
            let today = now_ms.div_euclid(DAY_MS) * DAY_MS;
            (today - 30 * DAY_MS, today + DAY_MS - 1)
        }
    };
    if end - start > 367 * DAY_MS {
        return Err(too_large);
    }
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_default_to_thirty_days_and_refuse_over_a_year() {
        let now = 100 * DAY_MS + 5;
        assert_eq!(
            date_range(None, Some(1), now, "x"),
            Ok((70 * DAY_MS, 101 * DAY_MS - 1))
        );
        assert_eq!(date_range(Some(9), Some(3), now, "x"), Ok((3, 9)));
        assert_eq!(
            date_range(Some(0), Some(368 * DAY_MS), now, "Range too large."),
            Err("Range too large.")
        );
    }
}
