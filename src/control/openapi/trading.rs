//! BitGo's trading routes (`/api/prime/trading/v1`): accounts, balances, orders and trades.

use super::Route;

/// Method, path template (BitGo's spelling where it has one), summary.
pub const ROUTES: &[Route] = &[
    (
        "GET",
        "/api/prime/trading/v1/user/current",
        "Current trading user",
    ),
    ("GET", "/api/prime/trading/v1/accounts", "Trading accounts"),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/balances",
        "Trading balances",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/currencies",
        "Currencies",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/products",
        "Products",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/orders",
        "List orders",
    ),
    (
        "POST",
        "/api/prime/trading/v1/accounts/{accountId}/orders",
        "Place an order",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/orders/{orderId}",
        "Get an order",
    ),
    (
        "PUT",
        "/api/prime/trading/v1/accounts/{accountId}/orders/{orderId}/cancel",
        "Cancel an order",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/trades",
        "List trades",
    ),
    (
        "GET",
        "/api/prime/trading/v1/accounts/{accountId}/trades/{tradeId}",
        "Get a trade",
    ),
];
