//! A child enterprise of the demo organization: its end user, the enterprise with an approved
//! KYC identity, and its funded Go Account.

use std::collections::HashMap;

use rusqlite::Connection;

use super::go_account::seed_go_account;
use super::users::seed_user;
use super::{demo_id, demo_uuid, DemoChildWorld};
use crate::config::DemoChild;
use crate::domain::error::{Error, Result};
use crate::domain::kyc::{Outcome, Schedule, APPROVED};
use crate::store::child_enterprises::{self, NewChild};
use crate::store::enterprises;
use crate::store::kyc::{self, IdentityRow};

/// Seeds one `[[demo.children]]` entry: the end user, the child enterprise with its KYC, and
/// its Go Account, each only where missing.
pub(super) fn seed_child_world(
    conn: &Connection,
    organization_id: &str,
    child: &DemoChild,
    service_users: &[String],
    hashes: &HashMap<String, String>,
    password: &str,
    now_ms: i64,
) -> Result<DemoChildWorld> {
    let user_id = seed_user(
        conn,
        child.email.to_lowercase(),
        &child.first_name,
        &child.last_name,
        hashes,
        now_ms,
    )?;
    let mut world = seed_child(
        conn,
        organization_id,
        child,
        &user_id,
        service_users,
        now_ms,
    )?;
    seed_go_account(conn, &mut world, service_users, password, now_ms)?;
    Ok(world)
}

/// A child enterprise named after its end user's email, with that user (a `customer` of the
/// organization and admin of the enterprise), the service users as admins, and an approved
/// KYC identity; created only if the enterprise is missing.
fn seed_child(
    conn: &Connection,
    organization_id: &str,
    child: &DemoChild,
    user_id: &str,
    service_users: &[String],
    now_ms: i64,
) -> Result<DemoChildWorld> {
    let email = child.email.to_lowercase();
    let enterprise_id = demo_id("enterprise", &email);
    let identity_id = demo_uuid("kyc", &email);
    let world = DemoChildWorld {
        enterprise_id: enterprise_id.clone(),
        name: email.clone(),
        user_id: user_id.to_string(),
        email: email.clone(),
        identity_id: identity_id.clone(),
        go_account_id: demo_id("wallet", &email),
        go_account_xprv: String::new(),
    };
    if enterprises::find_by_id(conn, &enterprise_id)?.is_some() {
        return Ok(world);
    }
    child_enterprises::insert(
        conn,
        &NewChild {
            organization_id: organization_id.to_string(),
            enterprise_id: enterprise_id.clone(),
            name: email.clone(),
            account_type: "individual".into(),
            third_party_identifiers: None,
            end_user_id: user_id.to_string(),
            additional_admins: service_users.to_vec(),
            now_ms,
        },
    )?;
    let fields = serde_json::json!({
        "organizationId": organization_id, "enterpriseId": enterprise_id, "userId": user_id,
        "transactionType": "institutionalIndividual",
        "nameFirst": child.first_name, "nameLast": child.last_name,
        "birthdate": "1980-01-01", "phoneNumber": "+15555550100", "occupation": "Other - Default",
        "countryOfCitizenship": "USA", "countryOfResidence": "USA",
        "govIdCountryOfIssuance": "USA", "politicallyExposedPerson": false,
        "addressStreet1": "1 Catalina Way", "addressCity": "Los Angeles",
        "addressSubdivision": "CA", "addressPostalCode": "90001", "country": "USA"
    });
    let serde_json::Value::Object(fields) = fields else {
        return Err(Error::Internal("demo KYC fields".into()));
    };
    kyc::insert(
        conn,
        &IdentityRow {
            id: identity_id.clone(),
            organization_id: organization_id.to_string(),
            enterprise_id: enterprise_id.clone(),
            user_id: user_id.to_string(),
            transaction_type: "institutionalIndividual".into(),
            fields,
            status: APPROVED.into(),
            error_description: None,
            schedule: Schedule::starting(now_ms, 0, 0, Outcome::Approved),
            created_by: service_users.first().cloned(),
            created_at: now_ms,
            updated_at: now_ms,
        },
    )?;
    Ok(world)
}
