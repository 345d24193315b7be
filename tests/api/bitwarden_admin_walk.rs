//! An organization admin's whole day, walked over raw requests as the web vault and an
//! integration send them, to find what breaks between the features: invite two people, they
//! register and accept with the mailed link, the owner confirms one with a key and changes his
//! role (a token refresh carries it), gives him a collection through a group, turns on the
//! Single organization policy (which revokes a member of another organization and blocks the
//! second invitee's acceptance), revokes, restores and removes him; then the organization API
//! key's Public API sees the same world, and both event logs hold each step with the server's
//! numbers. Every refusal's status and words are the real server's.

use orgbox::bitwarden::crypto::{self, RsaKeyPair, SymmetricKey};
use serde_json::{json, Value};

use crate::bitwarden_members::invite_link;
use crate::bitwarden_policy_enforcement::create_org;
use crate::bitwarden_public::org_token;
use crate::bitwarden_support::*;
use crate::helpers::Auth;

const JERRY: &str = "jerry@walk.test";
const ELAINE: &str = "elaine@walk.test";
const NAME: &str = "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA";

/// Registers `email` as the web vault does (user key and an RSA key pair), logs in and answers
/// the login reply and the key pair.
async fn register_with_keys(bw: &BwApp, email: &str) -> (Value, RsaKeyPair) {
    let mk = crypto::master_key(MASTER, email, ITERATIONS);
    let user_key = SymmetricKey::generate();
    let pair = RsaKeyPair::generate().unwrap();
    let body = json!({
        "email": email, "name": email, "masterPasswordHash": client_hash(email, MASTER),
        "key": crypto::encrypt_type2(&crypto::stretch(&mk), &user_key.to_bytes()),
        "keys": {"publicKey": pair.public_key_b64().unwrap(),
                 "encryptedPrivateKey": crypto::encrypt_type2(&user_key, &pair.pkcs8_der().unwrap())},
        "kdf": 0, "kdfIterations": ITERATIONS,
    });
    let r = bw
        .app
        .post("/identity/accounts/register", body, Auth::None)
        .await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    (bw.password_login(email).await, pair)
}

/// The access token of a login reply.
fn access(login: &Value) -> String {
    login["access_token"].as_str().unwrap().to_string()
}

/// Refreshes a login, as the web vault does after a change to its memberships.
async fn refreshed(bw: &BwApp, login: &Value) -> Value {
    bw.token(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", login["refresh_token"].as_str().unwrap()),
        ("client_id", "web"),
    ])
    .await
    .ok()
}

/// The organization key, unwrapped from the owner's membership as the owner's client does.
async fn org_key(bw: &BwApp, owner_login: &Value) -> SymmetricKey {
    let token = access(owner_login);
    let org = bw.get("/api/organizations", &token).await.ok();
    let key = org["data"][0]["key"].as_str().unwrap();
    let mk = crypto::master_key(MASTER, ART, ITERATIONS);
    let user_key =
        crypto::decrypt_type2(&crypto::stretch(&mk), owner_login["Key"].as_str().unwrap()).unwrap();
    let user_key = SymmetricKey::from_bytes(&user_key).unwrap();
    let der =
        crypto::decrypt_type2(&user_key, owner_login["PrivateKey"].as_str().unwrap()).unwrap();
    let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
    SymmetricKey::from_bytes(&pair.decrypt_type4(key).unwrap()).unwrap()
}

/// The member list as `token` reads it (the admin console's members page).
async fn members(bw: &BwApp, token: &str) -> Vec<Value> {
    let r = bw
        .get(&format!("/api/organizations/{}/users", bw.org_id), token)
        .await
        .ok();
    assert_eq!(r["object"], "list", "{r}");
    r["data"].as_array().unwrap().clone()
}

/// The member `email` in the list `token` reads.
async fn member(bw: &BwApp, token: &str, email: &str) -> Value {
    members(bw, token)
        .await
        .into_iter()
        .find(|m| m["email"] == email)
        .unwrap_or_else(|| panic!("{email} not listed"))
}

/// The types of the organization's events, oldest first, as the owner reads the log.
async fn event_types(bw: &BwApp, token: &str) -> Vec<(i64, Value)> {
    let log = bw
        .get(&format!("/api/organizations/{}/events", bw.org_id), token)
        .await
        .ok();
    let mut all: Vec<(i64, Value)> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["object"], "event", "{e}");
            assert_fields(e, EVENT);
            (e["type"].as_i64().unwrap(), e["organizationUserId"].clone())
        })
        .collect();
    all.reverse();
    all
}

/// Asserts that `v` has exactly the fields of the server's response model (`object` included).
fn assert_fields(v: &Value, fields: &[&str]) {
    let mut have: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = fields.to_vec();
    have.sort_unstable();
    want.sort_unstable();
    assert_eq!(have, want, "{v}");
}

/// `OrganizationUserUserDetailsResponseModel` (with `OrganizationUserResponseModel`'s fields).
const MEMBER_DETAILS: &[&str] = &[
    "object",
    "id",
    "userId",
    "type",
    "status",
    "externalId",
    "accessSecretsManager",
    "accessPam",
    "permissions",
    "resetPasswordEnrolled",
    "usesKeyConnector",
    "hasMasterPassword",
    "name",
    "email",
    "avatarColor",
    "twoFactorEnabled",
    "ssoBound",
    "claimedByOrganization",
    "collections",
    "groups",
    "revocationReason",
    "creationDate",
];

/// The Public API's `MemberResponseModel` (with `MemberBaseModel`'s fields).
const PUBLIC_MEMBER: &[&str] = &[
    "object",
    "id",
    "userId",
    "name",
    "email",
    "twoFactorEnabled",
    "status",
    "collections",
    "resetPasswordEnrolled",
    "ssoExternalId",
    "type",
    "externalId",
    "permissions",
];

/// The Public API's `EventResponseModel`.
const PUBLIC_EVENT: &[&str] = &[
    "object",
    "type",
    "itemId",
    "collectionId",
    "groupId",
    "policyId",
    "memberId",
    "actingUserId",
    "installationId",
    "date",
    "device",
    "ipAddress",
    "secretId",
    "projectId",
    "serviceAccountId",
];

/// The private `EventResponseModel`.
const EVENT: &[&str] = &[
    "object",
    "type",
    "userId",
    "organizationId",
    "providerId",
    "cipherId",
    "collectionId",
    "groupId",
    "policyId",
    "organizationUserId",
    "providerUserId",
    "providerOrganizationId",
    "actingUserId",
    "installationId",
    "date",
    "deviceType",
    "ipAddress",
    "systemUser",
    "domainName",
    "secretId",
    "projectId",
    "serviceAccountId",
    "grantedServiceAccountId",
    "sendId",
];

/// The walk's state: the owner's login and the invitees' member ids and logins.
struct Walk {
    bw: BwApp,
    owner: Value,
    jerry_id: String,
    jerry: Value,
    jerry_pair: RsaKeyPair,
    elaine_id: String,
    elaine_token: String,
    elaine: Value,
}

/// Invite two addresses; both register; Jerry accepts with his link; Elaine's link is not
/// Jerry's to use; a second invitation of the same address is skipped.
async fn invite_and_accept() -> Walk {
    let bw = spawn_bw().await;
    let owner = bw.password_login(ART).await;
    let token = access(&owner);
    let invite = format!("/api/organizations/{}/users/invite", bw.org_id);
    let body = json!({"emails": [JERRY, ELAINE], "type": 2, "accessSecretsManager": false,
        "collections": [], "groups": [], "permissions": null});
    expect_empty(&bw.call("POST", &invite, &token, body).await, 200);
    let mails = bw.app.texts(
        "SELECT recipient FROM outbox WHERE kind = 'invitation' AND recipient LIKE '%walk.test' ORDER BY rowid",
    );
    let mut mails = mails;
    mails.sort();
    assert_eq!(mails, vec![ELAINE.to_string(), JERRY.to_string()]);
    // Inviting Jerry again is skipped without error, without a row and without a mail.
    let before = bw.snapshot().await;
    let again = json!({"emails": [JERRY], "type": 2, "collections": [], "groups": []});
    expect_empty(&bw.call("POST", &invite, &token, again).await, 200);
    assert_eq!(before, bw.snapshot().await);
    let invited = member(&bw, &token, JERRY).await;
    assert_eq!(invited["object"], "organizationUserUserDetails");
    assert_fields(&invited, MEMBER_DETAILS);
    assert_eq!(
        (invited["status"].clone(), invited["userId"].clone()),
        (json!(0), Value::Null)
    );

    let (jerry_id, jerry_token) = invite_link(&bw, &token, JERRY).await;
    let (elaine_id, elaine_token) = invite_link(&bw, &token, ELAINE).await;
    assert_eq!(jerry_id, invited["id"].as_str().unwrap());
    let (jerry, jerry_pair) = register_with_keys(&bw, JERRY).await;
    let (elaine, _) = register_with_keys(&bw, ELAINE).await;
    let accept = |id: &str| format!("/api/organizations/{}/users/{id}/accept", bw.org_id);
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call(
            "POST",
            &accept(&jerry_id),
            &access(&elaine),
            json!({"token": jerry_token}),
        )
        .await,
        400,
        "User email does not match invite.",
    );
    expect_bw_error(
        &bw.call(
            "POST",
            &accept(&jerry_id),
            &access(&jerry),
            json!({"token": elaine_token}),
        )
        .await,
        400,
        "Invalid token.",
    );
    assert_eq!(
        before,
        bw.snapshot().await,
        "a refused accept changes nothing"
    );
    let ok = bw
        .call(
            "POST",
            &accept(&jerry_id),
            &access(&jerry),
            json!({"token": jerry_token, "resetPasswordKey": null}),
        )
        .await;
    expect_empty(&ok, 200);
    expect_bw_error(
        &bw.call(
            "POST",
            &accept(&jerry_id),
            &access(&jerry),
            json!({"token": jerry_token}),
        )
        .await,
        400,
        // Accepting clears the row's email, so the server's token check (`TokenIsValid` compares
        // it) already fails: `Invalid token.`, not `Invitation already accepted.`.
        "Invalid token.",
    );
    let accepted = member(&bw, &token, JERRY).await;
    assert_eq!(accepted["status"], 1);
    Walk {
        bw,
        owner,
        jerry_id,
        jerry,
        jerry_pair,
        elaine_id,
        elaine_token,
        elaine,
    }
}

#[actix_rt::test]
async fn an_admins_day_from_invitation_to_removal_and_the_public_api_sees_it_all() {
    let mut w = invite_and_accept().await;
    confirm_and_change_role(&mut w).await;
    let (collection, group) = collection_through_a_group(&mut w).await;
    single_org_policy(&mut w).await;
    revoke_restore_remove(&mut w, &collection).await;
    public_api_sees_the_same_world(&w, &collection, &group).await;
    public_api_changes_the_world(&w, &collection, &group).await;
    the_event_log_holds_every_step(&w).await;
}

/// The owner confirms Jerry with the organization key wrapped for his public key; Jerry's
/// token sees the organization after a refresh; a role change to Admin reaches him the same way.
async fn confirm_and_change_role(w: &mut Walk) {
    let bw = &w.bw;
    let owner = access(&w.owner);
    let users = format!("/api/organizations/{}/users", bw.org_id);
    // The web vault's confirm dialog: the public keys of the accepted members, then the key.
    let keys = bw
        .call(
            "POST",
            &format!("{users}/public-keys"),
            &owner,
            json!({"ids": [w.jerry_id]}),
        )
        .await
        .ok();
    assert_eq!(
        keys["data"][0]["object"],
        "organizationUserPublicKeyResponseModel"
    );
    let public = keys["data"][0]["key"].as_str().unwrap();
    assert_eq!(public, w.jerry_pair.public_key_b64().unwrap());
    let org_key = org_key(bw, &w.owner).await;
    let wrapped = crypto::encrypt_type4(public, &org_key.to_bytes()).unwrap();
    // Elaine has not accepted: the server's `User not valid.`, and nothing changes.
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call(
            "POST",
            &format!("{users}/{}/confirm", w.elaine_id),
            &owner,
            json!({"key": wrapped}),
        )
        .await,
        400,
        "User not valid.",
    );
    assert_eq!(before, bw.snapshot().await);
    // Jerry's token from before the confirmation carries no claim for the organization.
    let stale = access(&w.jerry);
    expect_empty(
        &bw.call(
            "POST",
            &format!("{users}/{}/confirm", w.jerry_id),
            &owner,
            json!({"key": wrapped}),
        )
        .await,
        200,
    );
    let sync = bw.get("/api/sync", &stale).await.ok();
    assert_eq!(sync["object"], "sync");
    w.jerry = refreshed(bw, &w.jerry).await;
    let sync = bw.get("/api/sync", &access(&w.jerry)).await.ok();
    let orgs = sync["profile"]["organizations"].as_array().unwrap();
    assert_eq!(orgs.len(), 1, "{sync}");
    assert_eq!(orgs[0]["object"], "profileOrganization");
    assert_eq!(
        (orgs[0]["status"].clone(), orgs[0]["type"].clone()),
        (json!(2), json!(2))
    );
    // Jerry's client opens the organization key with his own private key.
    let opened = w
        .jerry_pair
        .decrypt_type4(orgs[0]["key"].as_str().unwrap())
        .unwrap();
    assert_eq!(opened, org_key.to_bytes());
    // A plain user cannot read the member list: 404 (not a ManageUsers claim).
    expect_bw_error(
        &bw.get(&users, &access(&w.jerry)).await,
        404,
        "Resource not found.",
    );
    // The owner makes Jerry an admin; his token says user until he refreshes it.
    let role = json!({"type": 1, "accessSecretsManager": false, "permissions": null,
        "collections": [], "groups": []});
    expect_empty(
        &bw.call("PUT", &format!("{users}/{}", w.jerry_id), &owner, role)
            .await,
        200,
    );
    expect_bw_error(
        &bw.get(&users, &access(&w.jerry)).await,
        404,
        "Resource not found.",
    );
    w.jerry = refreshed(bw, &w.jerry).await;
    let listed = member(bw, &access(&w.jerry), JERRY).await;
    assert_eq!(
        (listed["type"].clone(), listed["status"].clone()),
        (json!(1), json!(2))
    );
    // An admin cannot make himself an owner.
    let before = bw.snapshot().await;
    let owner_role = json!({"type": 0, "collections": [], "groups": []});
    expect_bw_error(
        &bw.call(
            "PUT",
            &format!("{users}/{}", w.jerry_id),
            &access(&w.jerry),
            owner_role,
        )
        .await,
        400,
        "Only an Owner can configure another Owner's account.",
    );
    assert_eq!(before, bw.snapshot().await);
    // Back to a user, who reaches collections only through what he is given.
    let user_role = json!({"type": 2, "collections": [], "groups": []});
    expect_empty(
        &bw.call("PUT", &format!("{users}/{}", w.jerry_id), &owner, user_role)
            .await,
        200,
    );
    w.jerry = refreshed(bw, &w.jerry).await;
}

/// The collections of a `/sync` answer as `(id, readOnly, hidePasswords, manage)`.
async fn synced_collections(bw: &BwApp, token: &str) -> Vec<(Value, Value, Value, Value)> {
    let sync = bw.get("/api/sync", token).await.ok();
    sync["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["object"], "collectionDetails", "{c}");
            (
                c["id"].clone(),
                c["readOnly"].clone(),
                c["hidePasswords"].clone(),
                c["manage"].clone(),
            )
        })
        .collect()
}

/// The owner makes a collection and a group that gives Jerry read-only access to it; Jerry
/// sees it in his sync and his own collection list, and may not change it.
async fn collection_through_a_group(w: &mut Walk) -> (String, String) {
    let bw = &w.bw;
    let owner = access(&w.owner);
    let base = format!("/api/organizations/{}", bw.org_id);
    let made = bw
        .call(
            "POST",
            &format!("{base}/collections"),
            &owner,
            json!({"name": NAME, "externalId": "walk", "groups": [], "users": []}),
        )
        .await
        .ok();
    // The server answers a creation with `CollectionAccessDetailsResponseModel`.
    assert_eq!(made["object"], "collectionAccessDetails", "{made}");
    assert_eq!(
        (made["groups"].clone(), made["users"].clone()),
        (json!([]), json!([]))
    );
    let collection = made["id"].as_str().unwrap().to_string();
    let access_entry =
        json!([{"id": collection, "readOnly": true, "hidePasswords": false, "manage": false}]);
    let group = bw
        .call("POST", &format!("{base}/groups"), &owner,
            json!({"name": "Walkers", "externalId": null, "collections": access_entry, "users": [w.jerry_id]}))
        .await
        .ok();
    assert_eq!(group["object"], "group", "{group}");
    assert_eq!(
        (group["name"].clone(), group["organizationId"].clone()),
        (json!("Walkers"), json!(bw.org_id))
    );
    let group_id = group["id"].as_str().unwrap().to_string();
    let details = bw
        .get(&format!("{base}/groups/{group_id}/details"), &owner)
        .await
        .ok();
    assert_eq!(details["object"], "groupDetails");
    assert_eq!(details["collections"], access_entry);
    // The members page shows Jerry's group (`includeGroups`) and no direct collections.
    let listed = bw
        .get(
            &format!("{base}/users?includeGroups=true&includeCollections=true"),
            &owner,
        )
        .await
        .ok();
    let row = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == JERRY)
        .unwrap()
        .clone();
    assert_eq!(
        (row["groups"].clone(), row["collections"].clone()),
        (json!([group_id]), json!([]))
    );
    let users = bw
        .get(&format!("{base}/groups/{group_id}/users"), &owner)
        .await
        .ok();
    assert_eq!(users, json!([w.jerry_id]));
    let col_details = bw
        .get(&format!("{base}/collections/{collection}/details"), &owner)
        .await
        .ok();
    assert_eq!(
        col_details["groups"],
        json!([{"id": group_id, "readOnly": true, "hidePasswords": false, "manage": false}])
    );
    // Jerry's access comes from the database, not his token: no refresh needed.
    let jerry = access(&w.jerry);
    assert_eq!(
        synced_collections(bw, &jerry).await,
        vec![(json!(collection), json!(true), json!(false), json!(false))]
    );
    let mine = bw.get("/api/collections", &jerry).await.ok();
    assert_eq!(mine["data"][0]["object"], "collectionDetails", "{mine}");
    assert_eq!(mine["data"][0]["id"], json!(collection));
    // The organization's list shows a plain member only the collections he manages.
    let listed = bw.get(&format!("{base}/collections"), &jerry).await.ok();
    assert_eq!(listed["data"], json!([]), "{listed}");
    // Reading one there needs Manage too (the server's `CanReadAsync`).
    expect_bw_error(
        &bw.get(&format!("{base}/collections/{collection}"), &jerry)
            .await,
        404,
        "Resource not found.",
    );
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call(
            "PUT",
            &format!("{base}/collections/{collection}"),
            &jerry,
            json!({"name": NAME}),
        )
        .await,
        404,
        "Resource not found.",
    );
    // Any member may list the groups while members may create collections (the server's
    // `OrganizationCollectionManagementAccessRequirement`, `LimitCollectionCreation` off);
    // the details need ManageUsers or ManageGroups.
    let listed = bw.get(&format!("{base}/groups"), &jerry).await.ok();
    assert_eq!(listed["data"][0]["object"], "group");
    expect_empty(
        &bw.get(&format!("{base}/groups/details"), &jerry).await,
        403,
    );
    assert_eq!(before, bw.snapshot().await);
    (collection, group_id)
}

/// Kramer owns another organization and Elaine made one of her own; the owner turns on the
/// Single organization policy: Kramer is revoked, may not be restored, and Elaine may not
/// accept.
async fn single_org_policy(w: &mut Walk) {
    let bw = &w.bw;
    let owner = access(&w.owner);
    let kramer = bw.login(KRAMER).await;
    create_org(bw, &kramer, "Kramerica").await.ok();
    create_org(bw, &access(&w.elaine), "Elaine Benes Inc")
        .await
        .ok();
    let policy = format!("/api/organizations/{}/policies/3", bw.org_id);
    let on = bw
        .call(
            "PUT",
            &policy,
            &owner,
            json!({"enabled": true, "data": null}),
        )
        .await
        .ok();
    assert_eq!(on["object"], "policy");
    assert_eq!(
        (on["type"].clone(), on["enabled"].clone()),
        (json!(3), json!(true))
    );
    let kramer_row = member(bw, &owner, KRAMER).await;
    assert_eq!(kramer_row["status"], -1);
    // The server keeps why: 4 `SingleOrgPolicyNonCompliance` (1 `Manual` for an admin's
    // revoke, cleared on restore).
    assert_eq!(kramer_row["revocationReason"], 4);
    assert_eq!(
        member(bw, &owner, JERRY).await["revocationReason"],
        Value::Null
    );
    // Jerry is in no other organization: he stays, and his client learns of the policy from
    // its sync (the server's `Policy_ReadByUserId`: every policy of his confirmed memberships).
    assert_eq!(member(bw, &owner, JERRY).await["status"], 2);
    let sync = bw.get("/api/sync", &access(&w.jerry)).await.ok();
    let synced: Vec<(Value, Value, Value)> = sync["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["object"].clone(), p["type"].clone(), p["enabled"].clone()))
        .collect();
    assert!(
        synced.contains(&(json!("policy"), json!(3), json!(true))),
        "{synced:?}"
    );
    let users = format!("/api/organizations/{}/users", bw.org_id);
    let before = bw.snapshot().await;
    let kramer_id = kramer_row["id"].as_str().unwrap();
    expect_bw_error(
        &bw.call(
            "PUT",
            &format!("{users}/{kramer_id}/restore"),
            &owner,
            json!(null),
        )
        .await,
        400,
        &format!("{KRAMER} cannot be restored until they leave all other organization vaults."),
    );
    let accept = format!("{users}/{}/accept", w.elaine_id);
    expect_bw_error(
        &bw.call(
            "POST",
            &accept,
            &access(&w.elaine),
            json!({"token": w.elaine_token}),
        )
        .await,
        400,
        "You cannot accept this invite until you leave all other organization vaults.",
    );
    // Jerry, a plain member, may no longer create an organization of his own.
    expect_bw_error(
        &create_org(bw, &access(&w.jerry), "Pendant Publishing").await,
        400,
        "You cannot create a new organization vault because your current membership doesn't allow you to join or create additional organization vaults.",
    );
    assert_eq!(before, bw.snapshot().await);
    // A revoked member's sync no longer lists the organization.
    let sync = bw.get("/api/sync", &bw.login(KRAMER).await).await.ok();
    assert_eq!(
        sync["profile"]["organizations"].as_array().unwrap().len(),
        1,
        "only Kramerica: {sync}"
    );
}

/// The owner revokes Jerry (who loses the collection), restores him (who gets it back) and
/// removes him (who leaves the group too); repeating each answers the server's words.
async fn revoke_restore_remove(w: &mut Walk, collection: &str) {
    let bw = &w.bw;
    let owner = access(&w.owner);
    let one = format!("/api/organizations/{}/users/{}", bw.org_id, w.jerry_id);
    let jerry = access(&w.jerry);
    expect_empty(
        &bw.call("PUT", &format!("{one}/revoke"), &owner, json!(null))
            .await,
        200,
    );
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("PUT", &format!("{one}/revoke"), &owner, json!(null))
            .await,
        400,
        "Already revoked.",
    );
    assert_eq!(before, bw.snapshot().await);
    assert_eq!(
        member(bw, &owner, JERRY).await["revocationReason"],
        1,
        "an admin's revoke is Manual"
    );
    assert_eq!(synced_collections(bw, &jerry).await, vec![]);
    let sync = bw.get("/api/sync", &jerry).await.ok();
    assert_eq!(sync["profile"]["organizations"], json!([]), "{sync}");
    expect_empty(
        &bw.call("PUT", &format!("{one}/restore"), &owner, json!(null))
            .await,
        200,
    );
    expect_bw_error(
        &bw.call("PUT", &format!("{one}/restore"), &owner, json!(null))
            .await,
        400,
        "Already active.",
    );
    assert_eq!(synced_collections(bw, &jerry).await.len(), 1);
    let restored = member(bw, &owner, JERRY).await;
    assert_eq!(restored["status"], 2, "restored to confirmed");
    assert_eq!(
        restored["revocationReason"],
        Value::Null,
        "cleared on restore"
    );
    expect_empty(&bw.call("DELETE", &one, &owner, json!(null)).await, 200);
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call("DELETE", &one, &owner, json!(null)).await,
        404,
        "Resource not found.",
    );
    assert_eq!(before, bw.snapshot().await);
    assert_eq!(synced_collections(bw, &jerry).await, vec![]);
    let _ = collection;
}

/// The organization API key's Public API sees the same world.
async fn public_api_sees_the_same_world(w: &Walk, collection: &str, group: &str) {
    let bw = &w.bw;
    let token = org_token(bw).await;
    let all = bw.get("/public/members", &token).await.ok();
    assert_eq!(all["object"], "list");
    let by_email = |email: &str| {
        all["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == email)
            .cloned()
    };
    assert!(by_email(JERRY).is_none(), "Jerry was removed: {all}");
    let elaine = by_email(ELAINE).unwrap();
    assert_fields(&elaine, PUBLIC_MEMBER);
    assert_eq!(
        (
            elaine["object"].clone(),
            elaine["status"].clone(),
            elaine["type"].clone()
        ),
        (json!("member"), json!(0), json!(2))
    );
    assert_eq!(by_email(KRAMER).unwrap()["status"], -1);
    let groups = bw.get("/public/groups", &token).await.ok();
    let walkers = groups["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == group)
        .unwrap()
        .clone();
    assert_fields(
        &walkers,
        &["object", "id", "name", "externalId", "collections"],
    );
    assert_eq!(
        walkers["collections"],
        json!([{"id": collection, "readOnly": true, "hidePasswords": false, "manage": false}])
    );
    let member_ids = bw
        .get(&format!("/public/groups/{group}/member-ids"), &token)
        .await
        .ok();
    assert_eq!(
        member_ids,
        json!([]),
        "Jerry left the group with the organization"
    );
    let col = bw
        .get(&format!("/public/collections/{collection}"), &token)
        .await
        .ok();
    assert_fields(&col, &["object", "id", "externalId", "groups"]);
    assert_eq!(
        (col["object"].clone(), col["externalId"].clone()),
        (json!("collection"), json!("walk"))
    );
    assert_eq!(
        col["groups"],
        json!([{"id": group, "readOnly": true, "hidePasswords": false, "manage": false}])
    );
    let policy = bw.get("/public/policies/3", &token).await.ok();
    assert_eq!(
        (policy["object"].clone(), policy["enabled"].clone()),
        (json!("policy"), json!(true))
    );
    assert_fields(&policy, &["object", "id", "type", "enabled", "data"]);
    let events = bw.get("/public/events", &token).await.ok();
    let types: Vec<i64> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["object"], "event", "{e}");
            assert_fields(e, PUBLIC_EVENT);
            e["type"].as_i64().unwrap()
        })
        .collect();
    for t in [
        1500, 1501, 1502, 1300, 1400, 1504, 1700, 1521, 1511, 1512, 1503,
    ] {
        assert!(
            types.contains(&t),
            "{t} missing from the Public API's log: {types:?}"
        );
    }
    // A user's token is not the organization's, and the organization's not a user's.
    expect_empty(&bw.get("/public/members", &access(&w.owner)).await, 403);
    expect_empty(
        &bw.get(&format!("/api/organizations/{}/users", bw.org_id), &token)
            .await,
        403,
    );
}

/// The owner's event log holds the walk's steps, in order, each with the server's number and
/// who acted: the owner for the private routes, the Public API (system user 3, no acting
/// user) for the integration.
async fn the_event_log_holds_every_step(w: &Walk) {
    let bw = &w.bw;
    let owner = access(&w.owner);
    let log = event_types(bw, &owner).await;
    let jerry = json!(w.jerry_id);
    let jerrys: Vec<i64> = log
        .iter()
        .filter(|(_, m)| *m == jerry)
        .map(|(t, _)| *t)
        .collect();
    // Invited, confirmed, made admin, made user, joined the group, revoked, restored, removed.
    assert_eq!(jerrys, vec![1500, 1501, 1502, 1502, 1504, 1511, 1512, 1503]);
    let kinds: Vec<i64> = log.iter().map(|(t, _)| *t).collect();
    for t in [1300, 1400, 1700, 1521] {
        assert!(kinds.contains(&t), "{t} missing: {kinds:?}");
    }
    let art = bw.get("/api/accounts/profile", &owner).await.ok()["id"].clone();
    let raw = bw
        .get(&format!("/api/organizations/{}/events", bw.org_id), &owner)
        .await
        .ok();
    for e in raw["data"].as_array().unwrap() {
        if e["organizationUserId"] == jerry {
            assert_eq!(
                (e["actingUserId"].clone(), e["systemUser"].clone()),
                (art.clone(), Value::Null),
                "{e}"
            );
        }
        if e["type"] == 1500 && e["actingUserId"].is_null() {
            assert_eq!(e["systemUser"], 3, "an invitation by the Public API: {e}");
        }
    }
}

/// The `(organizationUserId, token)` of the last invitation mailed to `email`.
fn mailed_link(bw: &BwApp, email: &str) -> (String, String) {
    let link = bw.app.text(&format!(
        "SELECT link FROM outbox WHERE recipient = '{email}' ORDER BY rowid DESC LIMIT 1"
    ));
    let param = |name: &str| {
        let after = link.split(&format!("{name}=")).nth(1).unwrap();
        after.split('&').next().unwrap().to_string()
    };
    (param("organizationUserId"), param("token"))
}

/// The integration turns the policy off (Kramer may be restored, Elaine may accept) and
/// invites Puddy with direct and group access; he joins like any invitee and reaches the
/// collection with his direct assignment alone (the server joins groups only without one).
async fn public_api_changes_the_world(w: &Walk, collection: &str, group: &str) {
    let bw = &w.bw;
    let token = org_token(bw).await;
    let owner = access(&w.owner);
    let off = bw
        .call(
            "PUT",
            "/public/policies/3",
            &token,
            json!({"enabled": false, "data": null}),
        )
        .await
        .ok();
    assert_eq!(off["enabled"], false);
    let users = format!("/api/organizations/{}/users", bw.org_id);
    let kramer = member(bw, &owner, KRAMER).await;
    let kramer_id = kramer["id"].as_str().unwrap();
    expect_empty(
        &bw.call(
            "PUT",
            &format!("{users}/{kramer_id}/restore"),
            &owner,
            json!(null),
        )
        .await,
        200,
    );
    assert_eq!(member(bw, &owner, KRAMER).await["status"], 2);
    let accept = format!("{users}/{}/accept", w.elaine_id);
    expect_empty(
        &bw.call(
            "POST",
            &accept,
            &access(&w.elaine),
            json!({"token": w.elaine_token}),
        )
        .await,
        200,
    );
    const PUDDY: &str = "puddy@walk.test";
    let body = json!({"email": PUDDY, "type": 2, "externalId": "dir-puddy",
        "collections": [{"id": collection, "readOnly": false, "hidePasswords": true, "manage": false}],
        "groups": [group]});
    let made = bw.call("POST", "/public/members", &token, body).await.ok();
    assert_fields(&made, PUBLIC_MEMBER);
    assert_eq!(
        (made["status"].clone(), made["externalId"].clone()),
        (json!(0), json!("dir-puddy"))
    );
    let id = made["id"].as_str().unwrap().to_string();
    let group_ids = bw
        .get(&format!("/public/members/{id}/group-ids"), &token)
        .await
        .ok();
    assert_eq!(group_ids, json!([group]));
    let (link_id, link_token) = mailed_link(bw, PUDDY);
    assert_eq!(link_id, id);
    let (login, pair) = register_with_keys(bw, PUDDY).await;
    expect_empty(
        &bw.call(
            "POST",
            &format!("{users}/{id}/accept"),
            &access(&login),
            json!({"token": link_token}),
        )
        .await,
        200,
    );
    let org_key = org_key(bw, &w.owner).await;
    let wrapped =
        crypto::encrypt_type4(&pair.public_key_b64().unwrap(), &org_key.to_bytes()).unwrap();
    let bulk = bw
        .call(
            "POST",
            &format!("{users}/confirm"),
            &owner,
            json!({"keys": [{"id": id, "key": wrapped}]}),
        )
        .await
        .ok();
    assert_eq!(
        bulk["data"],
        json!([{"object": "OrganizationBulkConfirmResponseModel", "id": id, "error": ""}])
    );
    // Direct (hide passwords) and group (read only) access: the direct one decides, as the
    // server's `UserCollectionDetails` joins groups only where there is no direct assignment.
    assert_eq!(
        synced_collections(bw, &access(&login)).await,
        vec![(json!(collection), json!(false), json!(true), json!(false))]
    );
    let events = bw.get("/public/events", &token).await.ok();
    let invited = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == 1500 && e["memberId"] == json!(id))
        .cloned()
        .unwrap();
    assert_eq!(
        invited["actingUserId"],
        Value::Null,
        "the Public API acted: {invited}"
    );
}

/// The owner makes Kramer a Custom member with ManageUsers: after a token refresh he lists
/// the members and changes a plain member, but not an admin; then the owner revokes him and
/// Newman in one bulk call that also names himself, and each id gets its own answer.
#[actix_rt::test]
async fn a_custom_member_with_manage_users_acts_within_its_limits_and_a_bulk_revoke_answers_each() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let kramer_login = bw.password_login(KRAMER).await;
    let users = format!("/api/organizations/{}/users", bw.org_id);
    let list = members(&bw, &owner).await;
    let id_of = |email: &str| -> String {
        list.iter().find(|m| m["email"] == email).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (kramer, george, newman, art) = (
        id_of(KRAMER),
        id_of(GEORGE),
        id_of("newman@vandelay.test"),
        id_of(ART),
    );
    let custom = json!({"type": 4, "collections": [], "groups": [],
        "permissions": {"manageUsers": true}});
    expect_empty(
        &bw.call("PUT", &format!("{users}/{kramer}"), &owner, custom)
            .await,
        200,
    );
    let row = member(&bw, &owner, KRAMER).await;
    assert_eq!(row["type"], 4);
    assert_eq!(row["permissions"]["manageUsers"], true, "{row}");
    // The old token still says user; the refreshed one carries the manageusers claim.
    expect_bw_error(
        &bw.get(&users, &access(&kramer_login)).await,
        404,
        "Resource not found.",
    );
    let kramer_token = access(&refreshed(&bw, &kramer_login).await);
    assert_eq!(members(&bw, &kramer_token).await.len(), list.len());
    let before = bw.snapshot().await;
    expect_bw_error(
        &bw.call(
            "PUT",
            &format!("{users}/{george}"),
            &kramer_token,
            json!({"type": 2, "collections": [], "groups": []}),
        )
        .await,
        400,
        "Custom users can not manage Admins or Owners.",
    );
    assert_eq!(before, bw.snapshot().await);
    // Newman (accepted, a user) may be changed by him.
    expect_empty(
        &bw.call(
            "PUT",
            &format!("{users}/{newman}"),
            &kramer_token,
            json!({"type": 2, "collections": [], "groups": []}),
        )
        .await,
        200,
    );
    // One bulk revocation: Kramer and Newman are revoked, the owner's own id is refused.
    let bulk = bw
        .call(
            "PUT",
            &format!("{users}/revoke"),
            &owner,
            json!({"ids": [kramer, newman, art]}),
        )
        .await
        .ok();
    let mut answers: Vec<(String, String)> = bulk["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["object"], "OrganizationBulkConfirmResponseModel", "{r}");
            (
                r["id"].as_str().unwrap().to_string(),
                r["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    answers.sort();
    let mut want = vec![
        (kramer.clone(), String::new()),
        (newman.clone(), String::new()),
        (art.clone(), "You cannot revoke yourself.".to_string()),
    ];
    want.sort();
    assert_eq!(answers, want);
    assert_eq!(member(&bw, &owner, KRAMER).await["status"], -1);
    assert_eq!(
        member(&bw, &owner, "newman@vandelay.test").await["status"],
        -1
    );
}

/// The integration changes what the admin set up: a member's role through the Public API (its
/// direct collections reset, as a `PUT` there does), then deletes the collection a group gave;
/// the member's sync, the group and both logs follow.
#[actix_rt::test]
async fn the_public_api_changes_a_role_and_deletes_a_collection_a_group_gave() {
    let bw = spawn_bw().await;
    let owner = bw.login(ART).await;
    let token = org_token(&bw).await;
    let kramer = member(&bw, &owner, KRAMER).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let base = format!("/api/organizations/{}", bw.org_id);
    let made = bw
        .call("POST", &format!("{base}/collections"), &owner,
            json!({"name": NAME, "users": [{"id": kramer, "readOnly": false, "hidePasswords": false, "manage": false}]}))
        .await
        .ok();
    let collection = made["id"].as_str().unwrap().to_string();
    let entry =
        json!([{"id": collection, "readOnly": true, "hidePasswords": false, "manage": false}]);
    let group = bw
        .call(
            "POST",
            &format!("{base}/groups"),
            &owner,
            json!({"name": "Sales", "collections": entry, "users": [kramer]}),
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let user = bw.login(KRAMER).await;
    // Direct access decides while he has it.
    assert_eq!(
        synced_collections(&bw, &user).await,
        vec![(json!(collection), json!(false), json!(false), json!(false))]
    );
    // The Public API's PUT without collections empties his direct ones: the group's remain.
    let updated = bw
        .call(
            "PUT",
            &format!("/public/members/{kramer}"),
            &token,
            json!({"type": 2}),
        )
        .await
        .ok();
    assert_fields(&updated, PUBLIC_MEMBER);
    assert_eq!(updated["collections"], Value::Null, "as sent: {updated}");
    assert_eq!(
        synced_collections(&bw, &user).await,
        vec![(json!(collection), json!(true), json!(false), json!(false))]
    );
    let one = bw
        .get(&format!("/public/members/{kramer}"), &token)
        .await
        .ok();
    assert_eq!(one["collections"], json!([]));
    // Deleting the collection through the Public API takes it from the group and from him.
    expect_empty(
        &bw.call(
            "DELETE",
            &format!("/public/collections/{collection}"),
            &token,
            json!(null),
        )
        .await,
        200,
    );
    let g = bw
        .get(&format!("/public/groups/{group}"), &token)
        .await
        .ok();
    assert_eq!(g["collections"], json!([]), "{g}");
    assert_eq!(synced_collections(&bw, &user).await, vec![]);
    expect_empty(
        &bw.get(&format!("/public/collections/{collection}"), &token)
            .await,
        404,
    );
    // The role change is logged for the Public API (system user 3, no acting user).
    let log = bw.get(&format!("{base}/events"), &owner).await.ok();
    let updated_event = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == 1502 && e["organizationUserId"] == json!(kramer))
        .cloned()
        .unwrap();
    assert_eq!(
        (
            updated_event["actingUserId"].clone(),
            updated_event["systemUser"].clone()
        ),
        (Value::Null, json!(3))
    );
}

/// The web vault's invite dialog sends the new member's collections and groups with the
/// invitation: once accepted and confirmed he reaches both, and the members page shows them.
#[actix_rt::test]
async fn an_invitation_with_collections_and_groups_gives_them_on_confirmation() {
    let bw = spawn_bw().await;
    let owner_login = bw.password_login(ART).await;
    let owner = access(&owner_login);
    let base = format!("/api/organizations/{}", bw.org_id);
    let cols = format!("{base}/collections");
    let mut made = Vec::new();
    for _ in 0..2 {
        let r = bw.call("POST", &cols, &owner, json!({"name": NAME})).await;
        made.push(r.ok()["id"].as_str().unwrap().to_string());
    }
    let (direct, via_group) = (made[0].clone(), made[1].clone());
    let entry =
        json!([{"id": via_group, "readOnly": true, "hidePasswords": false, "manage": false}]);
    let group = bw
        .call(
            "POST",
            &format!("{base}/groups"),
            &owner,
            json!({"name": "Sales", "collections": entry}),
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    const FRANK: &str = "frank@walk.test";
    let invite = json!({"emails": [FRANK], "type": 2, "accessSecretsManager": false,
        "collections": [{"id": direct, "readOnly": false, "hidePasswords": true, "manage": false}],
        "groups": [group], "permissions": null});
    expect_empty(
        &bw.call("POST", &format!("{base}/users/invite"), &owner, invite)
            .await,
        200,
    );
    let (id, token) = mailed_link(&bw, FRANK);
    let (login, pair) = register_with_keys(&bw, FRANK).await;
    expect_empty(
        &bw.call(
            "POST",
            &format!("{base}/users/{id}/accept"),
            &access(&login),
            json!({"token": token}),
        )
        .await,
        200,
    );
    // Not confirmed yet: nothing to reach.
    assert_eq!(synced_collections(&bw, &access(&login)).await, vec![]);
    let org_key = org_key(&bw, &owner_login).await;
    let key = crypto::encrypt_type4(&pair.public_key_b64().unwrap(), &org_key.to_bytes()).unwrap();
    expect_empty(
        &bw.call(
            "POST",
            &format!("{base}/users/{id}/confirm"),
            &owner,
            json!({"key": key}),
        )
        .await,
        200,
    );
    let mut reached = synced_collections(&bw, &access(&login)).await;
    reached.sort_by_key(|c| c.0.to_string());
    let mut want = vec![
        (json!(direct), json!(false), json!(true), json!(false)),
        (json!(via_group), json!(true), json!(false), json!(false)),
    ];
    want.sort_by_key(|c| c.0.to_string());
    assert_eq!(reached, want);
    let detail = bw
        .get(&format!("{base}/users/{id}?includeGroups=true"), &owner)
        .await
        .ok();
    assert_eq!(detail["object"], "organizationUserDetails");
    assert_eq!(detail["groups"], json!([group]));
    assert_eq!(
        detail["collections"],
        json!([{"id": direct, "readOnly": false, "hidePasswords": true, "manage": false}])
    );
}
