//! The BitGo dialect: routes, wire shapes and BitGo's error body. Both path versions (`/api/v1`
//! and `/api/v2`) are served where the SDK and the docs disagree.

pub mod addresses;
pub mod approvals;
pub mod call;
pub mod enterprise;
pub mod error;
pub mod kyc;
pub mod meta;
pub mod organizations;
pub mod session;
pub mod tokens;
pub mod trading;
pub mod transfers;
pub mod unserved;
pub mod user;
pub mod user_wire;
pub mod views;
pub mod wallets;
pub mod webhooks;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::bitgo::error::BitgoError;
use crate::domain::error::Error;

/// BitGo routes that a served `{id}` pattern would otherwise swallow.
const SHADOWED: [&str; 7] = [
    "/api/v2/{coin}/wallet/balances",
    "/api/v2/pendingapprovals/bulkupdate",
    "/api/v2/pendingapprovals/count",
    "/api/v2/user/accesstokentemplate",
    "/api/v1/user/accesstokentemplate",
    "/api/v2/user/validatepasswordresettoken",
    "/api/v1/user/validatepasswordresettoken",
];

/// Both API versions of a path.
fn both(path: &str) -> Vec<String> {
    vec![format!("/api/v1{path}"), format!("/api/v2{path}")]
}

/// A resource whose unknown methods answer BitGo's 405.
pub(crate) fn resource(paths: Vec<String>) -> actix_web::Resource {
    web::resource(paths).default_service(web::to(method_not_allowed))
}

/// Registers every BitGo route. Fixed paths come before `{id}` paths that would shadow them.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // Documented routes that a served `{id}` pattern below would shadow: they are not
    // served, so they answer 501 like every other documented route orgbox lacks.
    // The hottest route first, as a single static path: a resource with several paths is
    // matched with a regex set, and actix tries resources in order (before the shadowed
    // list too, whose `{coin}` pattern is a regex; no shadowed path is this one).
    cfg.service(resource(vec!["/api/v2/user/me".into()]).route(web::get().to(user::get_me)));
    for path in SHADOWED {
        cfg.service(web::resource(path).to(not_found));
    }
    cfg.service(resource(both("/client/constants")).route(web::get().to(meta::get_constants)))
        .service(resource(both("/ping")).route(web::get().to(meta::ping)))
        .service(
            resource(vec![
                "/api/auth/v1/session".to_string(),
                "/api/v1/user/login".into(),
                "/api/v2/user/login".into(),
            ])
            .route(web::post().to(session::login)),
        )
        .service(resource(both("/user/me")).route(web::get().to(user::get_me)))
        .service(resource(both("/user/session")).route(web::get().to(session::get_session)))
        .service(
            resource(both("/user/logout"))
                .route(web::get().to(session::logout))
                .route(web::post().to(session::logout)),
        )
        .service(resource(both("/user/unlock")).route(web::post().to(session::unlock)))
        .service(resource(both("/user/lock")).route(web::post().to(session::lock)))
        .service(
            resource(both("/user/verifypassword")).route(web::post().to(session::verify_password)),
        )
        .service(
            resource(vec![
                "/api/auth/v1/accesstoken".to_string(),
                "/api/v1/user/accesstoken".into(),
                "/api/v2/user/accesstoken".into(),
            ])
            .route(web::post().to(tokens::create_access_token))
            .route(web::get().to(tokens::list_access_tokens)),
        )
        .service(
            resource(vec![
                "/api/auth/v1/accesstoken/{id}".to_string(),
                "/api/v1/user/accesstoken/{id}".into(),
                "/api/v2/user/accesstoken/{id}".into(),
            ])
            .route(web::delete().to(tokens::delete_access_token)),
        )
        .service(resource(both("/user/{id}")).route(web::get().to(user::get_user)))
        .service(resource(both("/enterprise")).route(web::get().to(enterprise::list_enterprises)))
        .service(
            resource(both("/enterprise/{id}"))
                .route(web::get().to(enterprise::get_enterprise))
                .route(web::put().to(enterprise::update_enterprise)),
        )
        .service(
            resource(both("/enterprise/{id}/user"))
                .route(web::get().to(enterprise::users::list_users))
                .route(web::post().to(enterprise::users::add_user))
                .route(web::delete().to(enterprise::users::remove_user))
                .route(web::put().to(enterprise::users::change_role)),
        )
        .configure(configure_approvals)
        .configure(configure_organizations)
        .configure(configure_go_accounts)
        .configure(addresses::configure)
        .configure(webhooks::configure)
        .configure(configure_trading);
}

/// Go Account trading (`/api/prime/trading/v1`).
fn configure_trading(cfg: &mut web::ServiceConfig) {
    use trading::orders;
    let t = |p: &str| vec![format!("/api/prime/trading/v1{p}")];
    cfg.service(resource(t("/user/current")).route(web::get().to(trading::current_user)))
        .service(resource(t("/accounts")).route(web::get().to(trading::list_accounts)))
        .service(
            resource(t("/accounts/{accountId}/balances")).route(web::get().to(trading::balances)),
        )
        .service(
            resource(t("/accounts/{accountId}/currencies"))
                .route(web::get().to(trading::currencies)),
        )
        .service(
            resource(t("/accounts/{accountId}/products")).route(web::get().to(trading::products)),
        )
        .service(
            resource(t("/accounts/{accountId}/orders"))
                .route(web::post().to(orders::place_order))
                .route(web::get().to(orders::list_orders)),
        )
        .service(
            resource(t("/accounts/{accountId}/orders/{orderId}"))
                .route(web::get().to(orders::get_order)),
        )
        .service(
            resource(t("/accounts/{accountId}/orders/{orderId}/cancel"))
                .route(web::put().to(orders::cancel_order)),
        )
        .service(
            resource(t("/accounts/{accountId}/trades")).route(web::get().to(orders::list_trades)),
        )
        .service(
            resource(t("/accounts/{accountId}/trades/{tradeId}"))
                .route(web::get().to(orders::list_trades)),
        );
}

/// Go Accounts, their withdrawals and transfers, and BitGo's deposit simulator.
fn configure_go_accounts(cfg: &mut web::ServiceConfig) {
    let v2 = |p: &str| vec![format!("/api/v2{p}")];
    cfg.service(resource(v2("/wallets")).route(web::get().to(wallets::list_wallets)))
        .service(
            resource(v2("/enterprise/{id}/transfer"))
                .route(web::get().to(transfers::list::list_enterprise_transfers)),
        )
        .service(
            resource(vec!["/api/fiat/v1/sandbox/transaction/simulate".into()])
                .route(web::post().to(transfers::list::simulate_deposit)),
        )
        .service(resource(v2("/{coin}/key")).route(web::post().to(wallets::add_key)))
        .service(resource(v2("/{coin}/key/{id}")).route(web::get().to(wallets::get_key)))
        .service(resource(v2("/{coin}/wallet/add")).route(web::post().to(wallets::add_wallet)))
        .service(resource(v2("/{coin}/wallet")).route(web::get().to(wallets::list_wallets)))
        .service(resource(v2("/{coin}/wallet/{id}")).route(web::get().to(wallets::get_wallet)))
        .service(
            resource(v2("/{coin}/wallet/{id}/transfer"))
                .route(web::get().to(transfers::list::list_wallet_transfers)),
        )
        .service(
            resource(v2("/{coin}/wallet/{id}/transfer/{transferId}"))
                .route(web::get().to(transfers::get::get_transfer)),
        )
        .service(
            resource(v2("/{coin}/wallet/{id}/tx/build")).route(web::post().to(transfers::build)),
        )
        .service(resource(v2("/{coin}/wallet/{id}/tx/send")).route(web::post().to(transfers::send)))
        .service(
            resource(v2("/{coin}/wallet/{id}/tx/initiate"))
                .route(web::post().to(transfers::initiate)),
        )
        .service(
            resource(v2("/{coin}/wallet/{walletId}/share"))
                .route(web::post().to(wallets::share::share_wallet)),
        )
        .service(
            resource(v2("/policy/rule/bulk"))
                .route(web::put().to(wallets::rules::bulk_update_rules)),
        )
        .service(
            resource(v2("/{coin}/wallet/{walletId}/policy/rule"))
                .route(web::post().to(wallets::rules::add_wallet_rule))
                .route(web::put().to(wallets::rules::update_wallet_rule))
                .route(web::delete().to(wallets::rules::delete_wallet_rule)),
        )
        .service(
            resource(vec![
                "/api/policy/v1/organizations/{organizationId}/rules".into()
            ])
            .route(web::post().to(wallets::rules::add_organization_rule))
            .route(web::get().to(wallets::rules::list_organization_rules)),
        );
}

/// Pending approvals, in any letter case, under `/api/v{1,2}` and `/api/v2/{coin}`.
fn configure_approvals(cfg: &mut web::ServiceConfig) {
    let seg = approvals::SEGMENT;
    cfg.service(
        resource(vec![
            format!("/api/{{v:v1|v2}}/{seg}"),
            format!("/api/v2/{{coin}}/{seg}"),
        ])
        .route(web::get().to(approvals::list_approvals)),
    )
    .service(
        resource(vec![
            format!("/api/{{v:v1|v2}}/{seg}/{{id}}"),
            format!("/api/v2/{{coin}}/{seg}/{{id}}"),
        ])
        .route(web::get().to(approvals::get_approval))
        .route(web::put().to(approvals::update_approval)),
    );
}

/// Organizations, child enterprises and KYC (seed 000's Crypto-as-a-Service walk).
fn configure_organizations(cfg: &mut web::ServiceConfig) {
    use organizations::{children, create_child, users};
    cfg.service(
        resource(vec!["/api/v2/organization".into()])
            .route(web::get().to(organizations::list_organizations)),
    )
    .service(
        resource(vec!["/api/v2/organization/{id}".into()])
            .route(web::get().to(organizations::get_organization)),
    )
    .service(
        resource(vec!["/api/v2/organization/{id}/user".into()])
            .route(web::post().to(users::add_organization_user))
            .route(web::put().to(users::update_organization_user))
            .route(web::delete().to(users::remove_organization_user)),
    )
    .service(
        resource(vec!["/api/v2/organization/{id}/enterprise".into()])
            .route(web::post().to(create_child::create_child_enterprise))
            .route(web::get().to(children::list_child_enterprises)),
    )
    .service(
        resource(vec![
            "/api/v2/organization/{id}/enterprise/{enterpriseId}/user".into(),
        ])
        .route(web::post().to(children::add_child_enterprise_user)),
    )
    .service(
        resource(vec!["/api/evs/v1/identity".into()])
            .route(web::post().to(kyc::create_identity))
            .route(web::get().to(kyc::list_identities)),
    )
    .service(
        resource(vec!["/api/evs/v1/identity/{id}".into()])
            .route(web::patch().to(kyc::patch_identity)),
    );
}

/// A served path with a method it lacks: 501 when BitGo documents that method there (another
/// route orgbox does not serve), else BitGo's 405.
async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    if unserved::find(req.method().as_str(), req.match_info().as_str()).is_some() {
        return not_found(req).await;
    }
    Err(Error::MethodNotAllowed.into())
}

/// The path within the sandbox (without a `/s/{name}` prefix), as the router saw it.
pub fn routed_path(req: &HttpRequest) -> &str {
    let path = req.match_info().as_str();
    if path.is_empty() {
        req.path()
    } else {
        path
    }
}

/// Whether BitGo's API documents this request's method and path (served or not).
pub fn documents(req: &HttpRequest) -> bool {
    unserved::find(req.method().as_str(), routed_path(req)).is_some()
}

/// The answer for any path no route matches: a 501 naming the route when BitGo documents it
/// (orgbox does not serve it yet), else BitGo's 404 body.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, BitgoError> {
    if let Some(route) = unserved::find(req.method().as_str(), routed_path(&req)) {
        let mut response = error::answer(
            actix_web::http::StatusCode::NOT_IMPLEMENTED,
            &format!(
                "orgbox does not serve {} {} (BitGo API tag {:?}) yet",
                route.method, route.template, route.tag
            ),
            None,
        );
        response.extensions_mut().insert(unserved::Unserved(route));
        return Ok(response);
    }
    Err(Error::NotFound(format!("no route for {} {}", req.method(), req.path())).into())
}

/// Query strings that do not parse: BitGo's 400 body.
pub fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    BitgoError(Error::Invalid(format!("invalid query string: {err}"))).into()
}

/// Path segments that do not parse: BitGo's 404 body.
pub fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    BitgoError(Error::NotFound(format!("invalid path: {err}"))).into()
}
