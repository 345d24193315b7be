#!/usr/bin/env bash
# Seed 000 ("Set Up Organization") step 2, "Add Admins to Enterprises", with the documented curl
# call as written (only the host changed), answered with a pending approval per new admin; a
# second enterprise admin approves them (BitGo's "Update Pending Approval" call); one invitee
# follows the invitation link from the sandbox outbox and sets a password. Then step 4, "Add
# Organization Admins", which BitGo support does: orgbox stands in with its control plane.
# Needs ORGBOX_HOST (host:port) or ORGBOX_URL, EMAIL (an enterprise admin who is alone in nothing), APPROVER
# (a second enterprise admin) and PASSWORD (theirs) in the environment. The three new admins'
# addresses carry a tag (NEW_ADMIN_TAG, default a fresh one) so the walk runs again on one server.
set -euo pipefail
# ORGBOX_URL (http://HOST:PORT, or a named sandbox's http://HOST:PORT/s/NAME) stands for ORGBOX_HOST.
if [[ -z "${ORGBOX_HOST:-}" && -n "${ORGBOX_URL:-}" ]]; then
  ORGBOX_HOST="${ORGBOX_URL#http://}"
  ORGBOX_HOST="${ORGBOX_HOST%/}"
fi
: "${ORGBOX_HOST:?}" "${EMAIL:?}" "${APPROVER:?}" "${PASSWORD:?}"
# The control plane's key, when the server needs one (ORGBOX_ADMIN_KEY); empty is fine when it is open.
ADMIN_KEY_HEADER="Authorization: Bearer ${ORGBOX_ADMIN_KEY:-}"
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }
# The enterprise named ENTERPRISE_NAME (default: the demo organization's parent enterprise) among
# those the login lists: by name, never by position (a child enterprise may come first).
ENTERPRISE_NAME="${ENTERPRISE_NAME:-Prestige Worldwide}"
enterprise_named() { grep -o "{\"id\":\"[0-9a-f]\{32\}\",\"name\":\"$ENTERPRISE_NAME\"" | head -n 1 | cut -d'"' -f4; }

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

TAG="${NEW_ADMIN_TAG:-$(cut -c1-8 /proc/sys/kernel/random/uuid 2>/dev/null || echo "$$$RANDOM")}"
WALTER_EMAIL="walter.$TAG@prestige-worldwide.test"
DEREK_EMAIL="derek.$TAG@prestige-worldwide.test"
RANDY_EMAIL="randy.$TAG@prestige-worldwide.test"

LOGIN=$(login "$EMAIL")
# Adding users needs user_manage, which only the short-lived login token carries.
export ACCESS_TOKEN="$(echo "$LOGIN" | field access_token)"
export ENTERPRISE_ID="$(echo "$LOGIN" | enterprise_named)"
[[ -n "$ENTERPRISE_ID" ]] || { echo "$EMAIL is in no enterprise named \"$ENTERPRISE_NAME\" (set ENTERPRISE_NAME)" >&2; exit 1; }

echo "== step 2: add admins to the enterprise"
curl -sS -X POST \
  "http://$ORGBOX_HOST/api/v2/enterprise/$ENTERPRISE_ID/user" \
  -H "Content-Type: application/json" \
  -H "Authorization: Bearer $ACCESS_TOKEN" \
  -d '{
    "permission": "admin",
    "usernames": [
        "'"$WALTER_EMAIL"'",
        "'"$DEREK_EMAIL"'",
        "'"$RANDY_EMAIL"'"
    ]
}'
echo

APPROVER_TOKEN="$(login "$APPROVER" | field access_token)"
echo "== pending approvals"
PENDING=$(curl -sS -X GET \
  "http://$ORGBOX_HOST/api/v2/pendingapprovals?enterprise=$ENTERPRISE_ID" \
  -H "Authorization: Bearer $APPROVER_TOKEN")
echo "$PENDING"

for APPROVAL_ID in $(echo "$PENDING" | grep -oE '"id":"[0-9a-f]{32}","enterprise"' | cut -d'"' -f4); do
  echo "== approve $APPROVAL_ID"
  curl -sS -X PUT \
    "http://$ORGBOX_HOST/api/v2/pendingapprovals/$APPROVAL_ID" \
    -H "Content-Type: application/json" \
    -H "Authorization: Bearer $APPROVER_TOKEN" \
    -d '{
    "state": "approved",
    "otp": "000000"
}'
  echo
done

echo "== invitation"
MAIL=$(curl -sS "http://$ORGBOX_HOST/sandbox/outbox?to=$WALTER_EMAIL" -H "$ADMIN_KEY_HEADER")
echo "$MAIL"
LINK="$(echo "$MAIL" | field link)"
curl -sS -o /dev/null -X POST "$LINK" -H "$ADMIN_KEY_HEADER" -H 'Content-Type: application/json' \
  -d '{"password":"Walter-Welcome-2026"}'

echo "== the new admin logs in"
WALTER=$(curl -sS -X POST "http://$ORGBOX_HOST/api/v2/user/login" -H "Content-Type: application/json" \
  -d '{"email":"'"$WALTER_EMAIL"'","password":"Walter-Welcome-2026","otp":"000000"}')
echo "$WALTER"

ORGANIZATION_ID="$(curl -sS "http://$ORGBOX_HOST/api/v2/enterprise/$ENTERPRISE_ID" \
  -H "Authorization: Bearer $ACCESS_TOKEN" | field organizationId)"
echo "== step 4: make them organization admins (BitGo support's job; the sandbox control plane here)"
curl -sS -X POST "http://$ORGBOX_HOST/sandbox/organizations/$ORGANIZATION_ID/admins" \
  -H "$ADMIN_KEY_HEADER" -H "Content-Type: application/json" -d '{"email":"'"$WALTER_EMAIL"'"}'
echo

echo "== the organizations the new admin administers"
curl -sS "http://$ORGBOX_HOST/api/v2/organization?role=admin" \
  -H "Authorization: Bearer $(echo "$WALTER" | field access_token)"
echo
