#!/usr/bin/env bash
# Seed 000 ("Set Up Organization") steps 1 and 3, then what the organization exists for: BitGo's
# "Set Up Child Enterprises" (create a child enterprise for an end user) and "Complete Know Your
# Customer (KYC) Verification" (submit with the service user's token, then poll). The documented
# curl calls as written, with only the host changed (https://app.bitgo-test.com and
# $BITGO_EXPRESS_HOST become the sandbox). Step 4 (organization admins) is BitGo support's job;
# the demo world already has one, and POST /sandbox/organizations/{id}/admins makes more.
# Needs ORGBOX_HOST (host:port) or ORGBOX_URL, EMAIL and PASSWORD (an organization admin), SERVICE_EMAIL (the
# organization's service user, same password) and END_USER_EMAIL in the environment.
set -euo pipefail
# ORGBOX_URL (http://HOST:PORT, or a named sandbox's http://HOST:PORT/s/NAME) stands for ORGBOX_HOST.
if [[ -z "${ORGBOX_HOST:-}" && -n "${ORGBOX_URL:-}" ]]; then
  ORGBOX_HOST="${ORGBOX_URL#http://}"
  ORGBOX_HOST="${ORGBOX_HOST%/}"
fi
: "${ORGBOX_HOST:?}" "${EMAIL:?}" "${PASSWORD:?}" "${SERVICE_EMAIL:?}" "${END_USER_EMAIL:?}"
# The control plane's key, when the server needs one (ORGBOX_ADMIN_KEY); empty is fine when it is open.
ADMIN_KEY_HEADER="Authorization: Bearer ${ORGBOX_ADMIN_KEY:-}"
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }
# The enterprise named ENTERPRISE_NAME (default: the demo organization's parent enterprise) among
# those the login lists: by name, never by position (a child enterprise may come first).
ENTERPRISE_NAME="${ENTERPRISE_NAME:-Prestige Worldwide}"
enterprise_named() { grep -o "{\"id\":\"[0-9a-f]\{32\}\",\"name\":\"$ENTERPRISE_NAME\"" | head -n 1 | cut -d'"' -f4; }
user_id() { sed -E 's/.*"user":\{"id":"([0-9a-f]{32})".*/\1/'; }

login() {
  curl -sS -X POST \
    "http://$ORGBOX_HOST/api/v2/user/login" \
    -H "Content-Type: application/json" \
    -d '{
    "email": "'"$1"'",
    "otp": "000000", # testnet OTP is always 000000
    "password": "'"$PASSWORD"'"
}'
}

long_lived_token() {
  curl -sS -X POST \
    http://$ORGBOX_HOST/api/v2/user/accesstoken \
    -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $1" \
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
}'
}

export DURATION="157788000"
export LABEL="Service user long lived access Token"
export IP_RESTRICT="127.0.0.1"

echo "== step 1: login and long-lived token of the organization admin"
LOGIN=$(login "$EMAIL")
ADMIN_ID="$(echo "$LOGIN" | user_id)"
CREATED=$(long_lived_token "$(echo "$LOGIN" | field access_token)")
echo "$CREATED"
export ACCESS_TOKEN="$(echo "$CREATED" | field token)"

echo "== step 3: fetch organization details"
export BITGO_EXPRESS_HOST="$ORGBOX_HOST"
export ENTERPRISE_ID="$(echo "$LOGIN" | enterprise_named)"
[[ -n "$ENTERPRISE_ID" ]] || { echo "$EMAIL is in no enterprise named \"$ENTERPRISE_NAME\" (set ENTERPRISE_NAME)" >&2; exit 1; }
ENTERPRISE=$(curl -sS -X GET \
  "http://$BITGO_EXPRESS_HOST/api/v2/enterprise/$ENTERPRISE_ID" \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer $ACCESS_TOKEN")
echo "$ENTERPRISE"
export ORGANIZATION_ID="$(echo "$ENTERPRISE" | field organizationId)"

echo "== organization"
curl -sS "http://$ORGBOX_HOST/api/v2/organization/$ORGANIZATION_ID" \
  -H "Authorization: Bearer $ACCESS_TOKEN"
echo

echo "== service user: login and long-lived token"
SERVICE_LOGIN=$(login "$SERVICE_EMAIL")
SERVICE_ID="$(echo "$SERVICE_LOGIN" | user_id)"
SERVICE_TOKEN=$(long_lived_token "$(echo "$SERVICE_LOGIN" | field access_token)")
echo "$SERVICE_TOKEN"

echo "== child enterprise: create"
export EMAIL="$END_USER_EMAIL"
export IDEMPOTENCY_KEY="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || echo "seed000-$$-$RANDOM")"
export ADDITIONAL_ADMIN_1="$SERVICE_ID"
export ADDITIONAL_ADMIN_2="$ADMIN_ID"
create_child() {
  curl -sS -X POST \
    "http://$ORGBOX_HOST/api/v2/organization/$ORGANIZATION_ID/enterprise" \
    -H "Content-Type: application/json" \
    -H "Authorization: Bearer $ACCESS_TOKEN" \
    -d '{
    "email": "'"$EMAIL"'",
    "idempotencyKey": "'"$IDEMPOTENCY_KEY"'",
    "additionalAdmins": [
        "'"$ADDITIONAL_ADMIN_1"'", # this is your service user
        "'"$ADDITIONAL_ADMIN_2"'" # this is your organization admin
    ]
}'
}
CHILD=$(create_child)
echo "$CHILD"

echo "== child enterprise: the same request again (same idempotency key)"
create_child
echo

CHILD_ENTERPRISE_ID="$(echo "$CHILD" | field enterpriseId)"
END_USER_ID="$(echo "$CHILD" | field userId)"

echo "== kyc: submit"
export ACCESS_TOKEN="$(echo "$SERVICE_TOKEN" | field token)"
IDENTITY=$(curl -sS -X POST \
  http://$ORGBOX_HOST/api/evs/v1/identity \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer $ACCESS_TOKEN" \
  -d '{
    "enterpriseId": "'"$CHILD_ENTERPRISE_ID"'", # newly created child enterprise for end user
    "userId": "'"$END_USER_ID"'", # primary contact for the end user of the child enterprise
    "organizationId": "'"$ORGANIZATION_ID"'",
    "nameFirst": "John",
    "nameLast": "Doe",
    "nameMiddle": "F",
    "debugStatus": "passed",
    "debugFailureReason": "",
    "phoneNumber": "+442083661173",
    "birthdate": "2025-03-13T00:00:00Z",
    "occupation": "Other - Default",
    "countryOfCitizenship": "USA",
    "countryOfResidence": "USA",
    "govIdCountryOfIssuance": "USA",
    "identificationNumber": "494-14-2205",
    "politicallyExposedPerson": false,
    "addressStreet1": "Street 1",
    "addressStreet2": "Unit 100",
    "addressCity": "San Jose",
    "addressSubdivision": "CA",
    "country": "USA",
    "transactionType": "institutionalIndividual",
    "addressPostalCode": "33604"
}')
echo "$IDENTITY"
IDENTITY_ID="$(echo "$IDENTITY" | field id)"

echo "== kyc: poll"
curl -sS "http://$ORGBOX_HOST/api/evs/v1/identity?organizationId=$ORGANIZATION_ID&enterpriseId=$CHILD_ENTERPRISE_ID" \
  -H "Authorization: Bearer $ACCESS_TOKEN"
echo

echo "== sandbox: decide the KYC now instead of waiting for [kyc] decision_after_seconds"
curl -sS -X POST "http://$ORGBOX_HOST/sandbox/kyc/$IDENTITY_ID/complete" \
  -H "$ADMIN_KEY_HEADER" -H "Content-Type: application/json" -d '{"status": "approved"}'
echo

echo "== kyc: poll again"
curl -sS "http://$ORGBOX_HOST/api/evs/v1/identity?organizationId=$ORGANIZATION_ID&enterpriseId=$CHILD_ENTERPRISE_ID&identityId=$IDENTITY_ID" \
  -H "Authorization: Bearer $ACCESS_TOKEN"
echo

echo "== child enterprise: details, as the service user"
curl -sS "http://$ORGBOX_HOST/api/v2/enterprise/$CHILD_ENTERPRISE_ID" \
  -H "Authorization: Bearer $ACCESS_TOKEN"
echo
