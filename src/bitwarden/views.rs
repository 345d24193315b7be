//! Wire shapes of the Bitwarden dialect: camelCase, enums as integers, nulls written out,
//! `object` discriminators (spec §3).

use serde_json::{json, Value};

use crate::domain::bitwarden::plan::{plan, tier_of, Features, Plan, ProductTier};
use crate::domain::time::{self, Precision};
use crate::store::bitwarden::members::BwMember;
use crate::store::bitwarden::orgs::BwOrg;
use crate::store::bitwarden::users::BwUser;

/// An ms timestamp as the server writes dates: ISO-8601 UTC with a 7-digit fraction.
pub fn date(ms: i64) -> Value {
    Value::String(time::iso(ms, Precision::Micros))
}

/// `ListResponseModel`.
pub fn list(data: Vec<Value>) -> Value {
    json!({"object": "list", "data": data, "continuationToken": null})
}

/// The `plan` of an organization: its known plan in the cloud, a bare one when self-hosted or
/// for a plan type without a known plan.
fn plan_json(o: &BwOrg, self_hosted: bool) -> Value {
    let tier = tier_of(o.plan_type).as_i64();
    match plan(o.plan_type).filter(|_| !self_hosted) {
        Some(p) => known_plan_json(&p, tier),
        None => bare_plan_json(o, tier),
    }
}

fn known_plan_json(p: &Plan, tier: i64) -> Value {
    json!({
        "object": "plan",
        "type": p.plan_type,
        "productTier": tier,
        "name": p.name,
        "isAnnual": p.is_annual,
        "nameLocalizationKey": null,
        "descriptionLocalizationKey": null,
        "canBeUsedByBusiness": p.tier != ProductTier::Free && p.tier != ProductTier::Families,
        "trialPeriodDays": null,
        "hasSelfHost": p.features.self_host,
        "hasPolicies": p.features.use_policies,
        "hasGroups": p.features.use_groups,
        "hasDirectory": p.features.use_directory,
        "hasEvents": p.features.use_events,
        "hasTotp": p.features.use_totp,
        "has2fa": p.features.use_2fa,
        // The server's model declares hasApi but never sets it.
        "hasApi": false,
        "hasSso": p.features.use_sso,
        "hasOrganizationDomains": p.features.use_organization_domains,
        "hasResetPassword": p.features.use_reset_password,
        "usersGetPremium": p.features.users_get_premium,
        "hasMyItems": p.features.use_my_items,
        "hasInviteLinks": p.features.use_invite_links,
        "upgradeSortOrder": 0,
        "displaySortOrder": 0,
        "legacyYear": null,
        "disabled": false,
        "secretsManager": null,
        "passwordManager": password_manager_json(p),
    })
}

fn password_manager_json(p: &Plan) -> Value {
    json!({
        "stripePlanId": null,
        "stripeSeatPlanId": null,
        "stripeProviderPortalSeatPlanId": null,
        "basePrice": 0,
        "seatPrice": 0,
        "providerPortalSeatPrice": 0,
        "allowSeatAutoscale": p.has_additional_seats,
        "hasAdditionalSeatsOption": p.has_additional_seats,
        "maxAdditionalSeats": null,
        "baseSeats": p.base_seats,
        "hasPremiumAccessOption": p.has_premium_access_option,
        "stripePremiumAccessPlanId": null,
        "premiumAccessOptionPrice": 0,
        "maxSeats": p.max_seats,
        "baseStorageGb": p.base_storage_gb,
        "hasAdditionalStorageOption": p.has_additional_storage,
        "additionalStoragePricePerGb": 0,
        "stripeStoragePlanId": null,
        "maxAdditionalStorage": null,
        "maxCollections": p.max_collections,
    })
}

fn bare_plan_json(o: &BwOrg, tier: i64) -> Value {
    json!({
        "object": "plan",
        "type": o.plan_type,
        "productTier": tier,
        "name": o.plan_name,
        "isAnnual": false,
        "nameLocalizationKey": null,
        "descriptionLocalizationKey": null,
        "canBeUsedByBusiness": false,
        "trialPeriodDays": null,
        "hasSelfHost": false,
        "hasPolicies": false,
        "hasGroups": false,
        "hasDirectory": false,
        "hasEvents": false,
        "hasTotp": false,
        "has2fa": false,
        "hasApi": false,
        "hasSso": false,
        "hasOrganizationDomains": false,
        "hasResetPassword": false,
        "usersGetPremium": false,
        "hasMyItems": false,
        "hasInviteLinks": false,
        "upgradeSortOrder": 0,
        "displaySortOrder": 0,
        "legacyYear": null,
        "disabled": false,
        "secretsManager": null,
        "passwordManager": null,
    })
}

/// `OrganizationResponseModel` (§3.1).
pub fn organization(o: &BwOrg, self_hosted: bool) -> Value {
    let f: &Features = &o.features;
    json!({
        "object": "organization",
        "id": o.id,
        "name": o.name,
        "businessName": o.business_name,
        "businessAddress1": null,
        "businessAddress2": null,
        "businessAddress3": null,
        "businessCountry": null,
        "businessTaxNumber": null,
        "billingEmail": o.billing_email,
        "plan": plan_json(o, self_hosted),
        "secretsManagerPlan": null,
        "planType": o.plan_type,
        "seats": o.seats,
        "maxAutoscaleSeats": null,
        "maxCollections": o.max_collections,
        "maxStorageGb": o.max_storage_gb,
        "usePolicies": f.use_policies,
        "useSso": f.use_sso,
        "useKeyConnector": f.use_key_connector,
        "useScim": f.use_scim,
        "useGroups": f.use_groups,
        "useDirectory": f.use_directory,
        "useEvents": f.use_events,
        "useTotp": f.use_totp,
        "use2fa": f.use_2fa,
        "useApi": f.use_api,
        "useSecretsManager": f.use_secrets_manager,
        "useResetPassword": f.use_reset_password,
        "usersGetPremium": f.users_get_premium,
        "useCustomPermissions": f.use_custom_permissions,
        "selfHost": f.self_host,
        "hasPublicAndPrivateKeys": o.public_key.is_some() && o.private_key.is_some(),
        "usePasswordManager": f.use_password_manager,
        "smSeats": null,
        "smServiceAccounts": null,
        "maxAutoscaleSmSeats": null,
        "maxAutoscaleSmServiceAccounts": null,
        "limitCollectionCreation": false,
        "limitCollectionDeletion": false,
        "limitItemDeletion": false,
        "allowAdminAccessToAllCollectionItems": true,
        "useRiskInsights": f.use_risk_insights,
        "useOrganizationDomains": f.use_organization_domains,
        "useAdminSponsoredFamilies": false,
        "useAutomaticUserConfirmation": false,
        "useDisableSmAdsForUsers": false,
        "usePhishingBlocker": false,
        "useMyItems": f.use_my_items,
        "useInviteLinks": f.use_invite_links,
        "usePam": false,
    })
}

/// `ProfileOrganizationResponseModel` (§3.2): the organization as one member sees it.
pub fn profile_organization(o: &BwOrg, m: &BwMember, sso_bound: bool) -> Value {
    let f = &o.features;
    let tier = tier_of(o.plan_type);
    json!({
        "object": "profileOrganization",
        "id": o.id,
        "userId": m.user_id,
        "name": o.name,
        "enabled": o.enabled,
        "identifier": o.identifier,
        "productTierType": tier.as_i64(),
        "usePolicies": f.use_policies,
        "useSso": f.use_sso,
        "useKeyConnector": f.use_key_connector,
        "useScim": f.use_scim,
        "useGroups": f.use_groups,
        "useDirectory": f.use_directory,
        "useEvents": f.use_events,
        "useTotp": f.use_totp,
        "use2fa": f.use_2fa,
        "useApi": f.use_api,
        "useResetPassword": f.use_reset_password,
        "useSecretsManager": f.use_secrets_manager,
        "usePasswordManager": f.use_password_manager,
        "usersGetPremium": f.users_get_premium,
        "useCustomPermissions": f.use_custom_permissions,
        "useActivateAutofillPolicy": tier == crate::domain::bitwarden::plan::ProductTier::Enterprise,
        "useRiskInsights": f.use_risk_insights,
        "useOrganizationDomains": f.use_organization_domains,
        "useAdminSponsoredFamilies": false,
        "useAutomaticUserConfirmation": false,
        "useDisableSMAdsForUsers": false,
        "usePhishingBlocker": false,
        "useMyItems": f.use_my_items,
        "useInviteLinks": f.use_invite_links,
        "usePam": false,
        "selfHost": f.self_host,
        "seats": o.seats,
        "maxCollections": o.max_collections,
        "maxStorageGb": o.max_storage_gb,
        "key": m.key,
        "hasPublicAndPrivateKeys": o.public_key.is_some() && o.private_key.is_some(),
        "ssoBound": sso_bound,
        "resetPasswordEnrolled": false,
        "limitCollectionCreation": false,
        "limitCollectionDeletion": false,
        "limitItemDeletion": false,
        "allowAdminAccessToAllCollectionItems": true,
        "providerId": null,
        "providerName": null,
        "providerType": null,
        "ssoEnabled": false,
        "keyConnectorEnabled": o.key_connector_sso,
        "keyConnectorUrl": null,
        "ssoMemberDecryptionType": null,
        "accessSecretsManager": false,
        "accessPam": false,
        "status": m.status.as_i64(),
        "type": m.member_type.as_i64(),
        "permissions": m.permissions,
        "organizationUserId": m.id,
        "userIsClaimedByOrganization": m.claimed,
        "familySponsorshipFriendlyName": null,
        "familySponsorshipAvailable": false,
        "familySponsorshipLastSyncDate": null,
        "familySponsorshipValidUntil": null,
        "familySponsorshipToDelete": null,
        "isAdminInitiated": false,
    })
}

/// `ProfileResponseModel` with its organizations.
pub fn profile(u: &BwUser, organizations: Vec<Value>) -> Value {
    json!({
        "object": "profile",
        "id": u.id,
        "name": u.name,
        "email": u.email,
        "emailVerified": true,
        "premium": u.premium,
        "premiumFromOrganization": false,
        "culture": "en-US",
        "twoFactorEnabled": false,
        "key": u.user_key,
        "privateKey": u.private_key,
        "accountKeys": u.private_key.as_ref().map(|p| json!({
            "publicKeyEncryptionKeyPair": {
                "wrappedPrivateKey": p,
                "publicKey": u.public_key,
                "signedPublicKey": null,
                "object": "publicKeyEncryptionKeyPair",
            },
            "signatureKeyPair": null,
            "securityState": null,
            "object": "privateKeys",
        })),
        "securityStamp": u.security_stamp,
        "forcePasswordReset": false,
        "usesKeyConnector": u.uses_key_connector,
        "avatarColor": null,
        "creationDate": date(u.created_at),
        "verifyDevices": false,
        "organizations": organizations,
        "providers": [],
        "providerOrganizations": [],
    })
}
