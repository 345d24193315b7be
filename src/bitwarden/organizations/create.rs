//! `POST /organizations` (cloud only): a new organization from a plan, its Default API key and
//! its owner membership, written in one transaction. A member whose organization has the
//! Single organization policy on cannot create one.

use actix_web::web::Bytes;
use actix_web::HttpResponse;
use rusqlite::Connection;

use super::{check_email, check_name, read_keys, self_hosted};
use crate::bitwarden::body::Body;
use crate::bitwarden::call::BwCall;
use crate::bitwarden::crypto;
use crate::bitwarden::error::{BwError, BwResult};
use crate::bitwarden::ids;
use crate::bitwarden::views;
use crate::domain::bitwarden::org_policies::create_org_refusal;
use crate::domain::bitwarden::plan::{plan, Plan};
use crate::domain::bitwarden::role::{MemberStatus, MemberType};
use crate::domain::bitwarden::rules;
use crate::domain::error::Result;
use crate::store::bitwarden::keys::{self, OrgApiKey};
use crate::store::bitwarden::members::{self, BwMember};
use crate::store::bitwarden::orgs::{self, BwOrg};
use crate::store::bitwarden::{policies, users};

/// The organization's own fields of a create request, checked.
struct Identity {
    name: String,
    business_name: Option<String>,
    billing_email: String,
    /// The organization key wrapped for the owner.
    key: String,
    /// `(publicKey, encryptedPrivateKey)`.
    keys_pair: (String, String),
}

/// The plan a create request orders, checked against what that plan offers.
struct Order {
    plan: Plan,
    seats: i64,
    additional_storage: i64,
    premium_addon: bool,
}

/// `POST /organizations` and `/organizations/create-without-payment`.
pub async fn create(call: BwCall, body: Bytes) -> BwResult<HttpResponse> {
    if self_hosted(&call) {
        return Err(BwError::BadRequest(
            "Only allowed when not self hosted.".into(),
        ));
    }
    let body = Body::parse(&body, true)?;
    let identity = read_identity(&body)?;
    let order = read_order(&body)?;
    let secrets_manager = body.bool("useSecretsManager")?.unwrap_or(false);
    let key = identity.key.clone();
    let org = org_row(identity, &order, secrets_manager, call.now_ms());
    let plan_type = order.plan.plan_type;
    let uid = call.user_id.clone();
    let created = call
        .sandbox
        .store
        .write(move |c| -> BwResult<_> {
            if users::find(c, &uid)?.is_none() {
                return Err(BwError::UnauthorizedEmpty);
            }
            let mine = policies::user_affiliations(c, &uid)?;
            if let Some(refusal) = create_org_refusal(&mine) {
                return Err(BwError::BadRequest(refusal.into()));
            }
            let administered = members::free_orgs_administered(c, &uid)?;
            rules::check_free_org(plan_type, administered)
                .map_err(|m| BwError::BadRequest(m.into()))?;
            insert_with_owner(c, &org, &uid, key)?;
            Ok(org)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::organization(&created, false)))
}

/// Reads and checks name, business name, billing email, the organization key and key pair,
/// and the (unused) default collection name, in the server's order.
fn read_identity(body: &Body) -> BwResult<Identity> {
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
        read_keys(body)?.ok_or_else(|| BwError::field("Keys", "The Keys field is required."))?;
    if let Some(c) = body.str("collectionName")? {
        if c.len() > 1000 || !crypto::is_enc_string(&c) {
            return Err(BwError::field(
                "CollectionName",
                "Invalid encrypted string.",
            ));
        }
    }
    Ok(Identity {
        name,
        business_name,
        billing_email,
        key,
        keys_pair,
    })
}

/// Reads the plan, seats, storage and add-ons; a paid plan needs payment details, and what is
/// bought must be on offer.
fn read_order(body: &Body) -> BwResult<Order> {
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
        check_payment(body)?;
    }
    let p = plan(plan_type).ok_or(BwError::NotFound)?;
    let refuse = |m: &str| Err(BwError::BadRequest(m.into()));
    if additional_seats > 0 && !p.has_additional_seats {
        return refuse("Plan does not allow additional users.");
    }
    if additional_storage > 0 && !p.has_additional_storage {
        return refuse("Plan does not allow additional storage.");
    }
    if premium_addon && !p.has_premium_access_option {
        return refuse("This plan does not allow you to buy the premium access addon.");
    }
    let seats = p.base_seats + additional_seats;
    if seats <= 0 {
        return refuse("You do not have any seats!");
    }
    Ok(Order {
        plan: p,
        seats,
        additional_storage,
        premium_addon,
    })
}

/// A paid plan's payment details, all missing ones reported at once.
fn check_payment(body: &Body) -> BwResult<()> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut missing = |key: &str, message: &str| errors.push((key.into(), message.into()));
    if body.str("paymentToken")?.is_none() {
        missing("PaymentToken", "Payment required.");
    }
    if body.i64("paymentMethodType")?.is_none() {
        missing("PaymentMethodType", "Payment method type required.");
    }
    if body.str("billingAddressCountry")?.is_none() {
        missing("BillingAddressCountry", "Country required.");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(BwError::ModelState(errors))
    }
}

/// The new organization's row.
fn org_row(identity: Identity, order: &Order, secrets_manager: bool, now: i64) -> BwOrg {
    let p = &order.plan;
    let mut features = p.features.clone();
    features.users_get_premium = features.users_get_premium || order.premium_addon;
    features.use_secrets_manager = secrets_manager;
    BwOrg {
        id: ids::new_guid(),
        identifier: None,
        name: identity.name,
        business_name: identity.business_name,
        billing_email: identity.billing_email.trim().to_lowercase(),
        plan_type: p.plan_type,
        plan_name: p.name.to_string(),
        seats: Some(order.seats),
        max_collections: p.max_collections,
        max_storage_gb: Some(p.base_storage_gb + order.additional_storage),
        storage_bytes: 0,
        features,
        enabled: true,
        public_key: Some(identity.keys_pair.0),
        private_key: Some(identity.keys_pair.1),
        license_key: ids::random_alnum(20),
        expiration_date: None,
        key_connector_sso: false,
        provider_managed: false,
        has_subscription: true,
        created_at: now,
        revision_at: now,
    }
}

/// Inserts a new organization with its Default API key (inside the caller's transaction).
pub fn insert_org(c: &Connection, org: &BwOrg) -> Result<()> {
    orgs::insert(c, org)?;
    keys::upsert_api_key(
        c,
        &org.id,
        &OrgApiKey {
            key_type: 0,
            api_key: ids::random_alnum(30),
            revision_at: org.created_at,
        },
    )
}

/// Inserts a new organization with its Default API key and `owner_id` as its confirmed owner,
/// holding `owner_key` (the organization key wrapped for them), inside the caller's transaction.
pub fn insert_with_owner(
    c: &Connection,
    org: &BwOrg,
    owner_id: &str,
    owner_key: String,
) -> Result<()> {
    insert_org(c, org)?;
    members::insert(
        c,
        &BwMember {
            user_id: Some(owner_id.to_string()),
            key: Some(owner_key),
            ..BwMember::new(
                ids::new_guid(),
                &org.id,
                MemberType::Owner,
                MemberStatus::Confirmed,
                org.created_at,
            )
        },
    )
}
