//! `POST /organizations` (cloud only): a new organization from a plan, its Default API key and
//! its owner membership, written in one transaction.

use actix_web::web::Bytes;
use actix_web::HttpResponse;

use super::{check_email, check_name, read_keys, self_hosted, Refusal};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::crypto;
use crate::bitwarden::error::BwError;
use crate::bitwarden::ids;
use crate::bitwarden::views;
use crate::domain::bitwarden::plan::plan;
use crate::domain::bitwarden::role::{MemberStatus, MemberType, Permissions};
use crate::domain::bitwarden::rules;
use crate::domain::error::{AuthFailure, Error};
use crate::store::bitwarden::keys::{self, OrgApiKey};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::users;

/// `POST /organizations` and `/organizations/create-without-payment`.
pub async fn create(call: BwCall, body: Bytes) -> Result<HttpResponse, BwError> {
    if self_hosted(&call) {
        return Err(BwError::BadRequest(
            "Only allowed when not self hosted.".into(),
        ));
    }
    let body = Body::parse(&body, true)?;
    let name = body.required_str("name")?;
    check_name(&name)?;
    let business_name = body.str("businessName")?;
    if let Some(b) = &business_name {
        if super::html_encoded_len(b) > 50 {
            return Err(BwError::field(
                "BusinessName",
                "The field BusinessName must be a string with a maximum length of 50.",
            ));
        }
    }
    let billing_email = body.required_str("billingEmail")?;
    check_email(&billing_email)?;
    let key = body.required_str("key")?;
    if !crypto::is_enc_string(&key) {
        return Err(BwError::field("Key", "Invalid encrypted string."));
    }
    let keys_pair =
        read_keys(&body)?.ok_or_else(|| BwError::field("Keys", "The Keys field is required."))?;
    if let Some(c) = body.str("collectionName")? {
        if c.len() > 1000 || !crypto::is_enc_string(&c) {
            return Err(BwError::field(
                "CollectionName",
                "Invalid encrypted string.",
            ));
        }
    }
    let plan_type = body.i64("planType")?.unwrap_or(0);
    let additional_seats = body.i64("additionalSeats")?.unwrap_or(0);
    let additional_storage = body.i64("additionalStorageGb")?.unwrap_or(0);
    if additional_seats < 0 {
        return Err(BwError::field(
            "AdditionalSeats",
            "The field AdditionalSeats must be between 0 and 2147483647.",
        ));
    }
    if !(0..=99).contains(&additional_storage) {
        return Err(BwError::field(
            "AdditionalStorageGb",
            "The field AdditionalStorageGb must be between 0 and 99.",
        ));
    }
    let premium_addon = body.bool("premiumAccessAddon")?.unwrap_or(false);
    if plan_type != 0 {
        let mut errors = Vec::new();
        if body.str("paymentToken")?.is_none() {
            errors.push(("PaymentToken".to_string(), "Payment required.".to_string()));
        }
        if body.i64("paymentMethodType")?.is_none() {
            errors.push((
                "PaymentMethodType".to_string(),
                "Payment method type required.".to_string(),
            ));
        }
        if body.str("billingAddressCountry")?.is_none() {
            errors.push((
                "BillingAddressCountry".to_string(),
                "Country required.".to_string(),
            ));
        }
        if !errors.is_empty() {
            return Err(BwError::ModelState(errors));
        }
    }
    let p = plan(plan_type).ok_or(BwError::NotFound)?;
    if additional_seats > 0 && !p.has_additional_seats {
        return Err(BwError::BadRequest(
            "Plan does not allow additional users.".into(),
        ));
    }
    if additional_storage > 0 && !p.has_additional_storage {
        return Err(BwError::BadRequest(
            "Plan does not allow additional storage.".into(),
        ));
    }
    if premium_addon && !p.has_premium_access_option {
        return Err(BwError::BadRequest(
            "This plan does not allow you to buy the premium access addon.".into(),
        ));
    }
    let seats = p.base_seats + additional_seats;
    if seats <= 0 {
        return Err(BwError::BadRequest("You do not have any seats!".into()));
    }
    let now = call.now_ms();
    let mut features = p.features.clone();
    features.users_get_premium = features.users_get_premium || premium_addon;
    features.use_secrets_manager = body.bool("useSecretsManager")?.unwrap_or(false);
    let org = BwOrg {
        id: ids::new_guid(),
        identifier: None,
        name,
        business_name,
        billing_email: billing_email.trim().to_lowercase(),
        plan_type,
        plan_name: p.name.to_string(),
        seats: Some(seats),
        max_collections: p.max_collections,
        max_storage_gb: Some(p.base_storage_gb + additional_storage),
        storage_bytes: 0,
        features,
        enabled: true,
        public_key: Some(keys_pair.0),
        private_key: Some(keys_pair.1),
        license_key: ids::random_alnum(20),
        expiration_date: None,
        key_connector_sso: false,
        provider_managed: false,
        has_subscription: true,
        created_at: now,
        revision_at: now,
    };
    let uid = call.user_id.clone();
    let created = call
        .sandbox
        .store
        .write(move |c| {
            if users::find(c, &uid)?.is_none() {
                return Err(Error::Unauthenticated(AuthFailure::UnknownToken));
            }
            if let Err(m) =
                rules::check_free_org(plan_type, members::free_orgs_administered(c, &uid)?)
            {
                return Ok(Err(Refusal::Rule(m.to_string())));
            }
            orgs::insert(c, &org)?;
            keys::upsert_api_key(
                c,
                &org.id,
                &OrgApiKey {
                    key_type: 0,
                    api_key: ids::random_alnum(30),
                    revision_at: now,
                },
            )?;
            members::insert(
                c,
                &BwMember {
                    id: ids::new_guid(),
                    organization_id: org.id.clone(),
                    user_id: Some(uid.clone()),
                    email: None,
                    member_type: MemberType::Owner,
                    status: MemberStatus::Confirmed,
                    permissions: Permissions::default(),
                    key: Some(key),
                    claimed: false,
                    invite_token: None,
                    created_at: now,
                },
            )?;
            Ok(Ok(org))
        })
        .await?
        .map_err(super::refusal)?;
    Ok(HttpResponse::Ok().json(views::organization(&created, false)))
}
