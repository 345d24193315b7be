#!/usr/bin/env bash
# Seed 000 ("Set Up Organization"), steps 1 and 3: the documented curl calls as written, with
# only the host changed (https://app.bitgo-test.com and $BITGO_EXPRESS_HOST become the sandbox).
# Needs ORGBOX_HOST (host:port) or ORGBOX_URL, EMAIL and PASSWORD in the environment.
set -euo pipefail
# ORGBOX_URL (http://HOST:PORT, or a named sandbox's http://HOST:PORT/s/NAME) stands for ORGBOX_HOST.
if [[ -z "${ORGBOX_HOST:-}" && -n "${ORGBOX_URL:-}" ]]; then
  ORGBOX_HOST="${ORGBOX_URL#http://}"
  ORGBOX_HOST="${ORGBOX_HOST%/}"
fi
: "${ORGBOX_HOST:?}" "${EMAIL:?}" "${PASSWORD:?}"
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }
# The enterprise named ENTERPRISE_NAME (default: the demo organization's parent enterprise) among
# those the login lists: by name, never by position (a child enterprise may come first).
ENTERPRISE_NAME="${ENTERPRISE_NAME:-Prestige Worldwide}"
enterprise_named() { grep -o "{\"id\":\"[0-9a-f]\{32\}\",\"name\":\"$ENTERPRISE_NAME\"" | head -n 1 | cut -d'"' -f4; }

echo "== step 1: login"
LOGIN=$(curl -sS -X POST \
  "http://$ORGBOX_HOST/api/v2/user/login" \
  -H "Content-Type: application/json" \
  -d '{
    "email": "'"$EMAIL"'",
    "otp": "000000", # testnet OTP is always 000000
    "password": "'"$PASSWORD"'"
}')
echo "$LOGIN"

export ACCESS_TOKEN="$(echo "$LOGIN" | field access_token)"
export DURATION="157788000"
export LABEL="Taseen-Test-CaaS-long-access-token"
export IP_RESTRICT="127.0.0.1"

echo "== step 1: create access token"
CREATED=$(curl -sS -X POST \
  http://$ORGBOX_HOST/api/v2/user/accesstoken \
  -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $ACCESS_TOKEN" \
  -d '{
  "scope": [
    "pending_approval_update", # Update pending approvals
    "profile", # View your BitGo profile
    "settlement_network_read", # Enables partners engage in allocations with clients
    "settlement_network_write", # Enables partners engage in allocations with clients
    "trade_trade", # Make trades
    "trade_view", # View trades
    "wallet_approve_all", # Approve transactions for all wallets
    "wallet_create", # Create wallets
    "wallet_edit_all", # Edit comments for all wallets
    "wallet_freeze_all", # Freeze all wallets
    "wallet_manage_all", # Manage settings for all wallets (required to use webhooks)
    "enterprise_view_all", # View child enterprises
    "enterprise_manage_all", # Manage users and settings for child enterprises
    "wallet_spend_all", # Send transactions from a wallet
    "wallet_view_all" # View transactions for all wallets
  ],
  "duration": "'"$DURATION"'",
  "label": "'"$LABEL"'",
  "ipRestrict": ["'"$IP_RESTRICT"'"]
}')
echo "$CREATED"

export BITGO_EXPRESS_HOST="$ORGBOX_HOST"
export ENTERPRISE_ID="$(echo "$LOGIN" | enterprise_named)"
[[ -n "$ENTERPRISE_ID" ]] || { echo "$EMAIL is in no enterprise named \"$ENTERPRISE_NAME\" (set ENTERPRISE_NAME)" >&2; exit 1; }
export ACCESS_TOKEN="$(echo "$CREATED" | field token)"

echo "== step 3: fetch organization details"
curl -sS -X GET \
  "http://$BITGO_EXPRESS_HOST/api/v2/enterprise/$ENTERPRISE_ID" \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer $ACCESS_TOKEN"
echo
