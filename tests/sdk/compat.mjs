// SDK compatibility suite: drives the official `@bitgo/sdk-api` 1.86.0 against a running orgbox.
//
//   ORGBOX_URL=http://127.0.0.1:3080 node tests/sdk/compat.mjs
//
// ORGBOX_AUTH_VERSION=2 or 3 runs one signing version only; by default both run, each with its own
// login. Every request the SDK signs also has its response HMAC checked by the SDK itself (the
// `custom` environment enforces it), so each passing SDK step proves signing in both directions.
// Prints one `ok - ...` / `not ok - ...: reason` line per step, then `N passed, M failed`;
// exits 1 if any step failed.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { BitGoAPI } from '@bitgo/sdk-api';
import { webhookSuite } from './webhooks.mjs';

// sdk-api has no `enterprises()`; the SDK's own Enterprises class lives in the sdk-core copy that
// sdk-api itself loads. Its get/list only use `bitgo.get(bitgo.url(...))` (v1 paths), no coin.
const sdkRequire = createRequire(createRequire(import.meta.url).resolve('@bitgo/sdk-api'));
const { Enterprises, Enterprise, PendingApprovals, coins: sdkCoins } = sdkRequire('@bitgo/sdk-core');

// sdk-api registers no coins, but the SDK's own PendingApprovals class only needs its coin for
// the URL (`/api/v2/{coin}/pendingapprovals`) and a few family checks that user-change
// approvals never reach. This stands in for `bitgo.coin('tbtc')` with exactly that.
function coinShim(api, coin = 'tbtc') {
  return {
    type: coin,
    url: (suffix) => api.url(`/${coin}${suffix}`, 2),
    getChain: () => coin,
    getFamily: () => 'btc',
    supportsTss: () => false,
    wallets: () => {
      throw new Error('the coin shim has no wallets');
    },
  };
}
const SECOND_ADMIN = 'dale@prestige-worldwide.test';

const BASE = (process.env.ORGBOX_URL || '').replace(/\/+$/, '');
if (!BASE) {
  console.error('ORGBOX_URL is not set (e.g. ORGBOX_URL=http://127.0.0.1:3080)');
  process.exit(2);
}
const VERSIONS = process.env.ORGBOX_AUTH_VERSION ? [Number(process.env.ORGBOX_AUTH_VERSION)] : [2, 3];
if (VERSIONS.some((v) => v !== 2 && v !== 3)) {
  console.error(`ORGBOX_AUTH_VERSION must be 2 or 3, got ${process.env.ORGBOX_AUTH_VERSION}`);
  process.exit(2);
}

// The SDK reads this (seconds) on every request; a hung server fails a step instead of the run.
process.env.BITGO_TIMEOUT = '15';
const FETCH_TIMEOUT_MS = 15_000;
// Hard stop for the whole run, whatever happens.
setTimeout(() => {
  console.log('not ok - suite: still running after 150 s, giving up');
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, 150_000).unref();

const USERNAME = 'brennan@prestige-worldwide.test';
const PASSWORD = 'Prestige-Worldwide-2026';
const OTP = '000000';
// The long-lived token scopes of seed 000 ("Set Up Organization", step 1).
const SEED_SCOPES = [
  'pending_approval_update',
  'profile',
  'settlement_network_read',
  'settlement_network_write',
  'trade_trade',
  'trade_view',
  'wallet_approve_all',
  'wallet_create',
  'wallet_edit_all',
  'wallet_freeze_all',
  'wallet_manage_all',
  'enterprise_view_all',
  'enterprise_manage_all',
  'wallet_spend_all',
  'wallet_view_all',
];
const TOKEN_RE = /^v2x[0-9a-f]{64}$/;
const ID_RE = /^[0-9a-f]{32}$/;

let passed = 0;
let failed = 0;

/** Runs one step; a thrown error (or failed check) makes it `not ok` with the reason. */
async function step(name, fn) {
  try {
    const value = await fn();
    passed += 1;
    console.log(`ok - ${name}`);
    return value;
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}: ${describe(err)}`);
    return undefined;
  }
}

function describe(err) {
  if (!err || typeof err !== 'object') return String(err);
  const parts = [err.message || String(err)];
  if (err.status !== undefined) parts.push(`status=${err.status}`);
  if (err.invalidToken) parts.push('invalidToken=true');
  if (err.result && typeof err.result === 'object' && Object.keys(err.result).length > 0) {
    // The SDK's 511 details carry the raw token; keep it out of the log.
    const { requestToken, bitgoToken, ...shown } = err.result;
    parts.push(`body=${clip(JSON.stringify(shown))}`);
  }
  if (err.code) parts.push(`code=${err.code}`);
  return parts.join(' ').replace(/\s*\n\s*/g, ' ');
}

function clip(text, max = 400) {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function need(value, what) {
  if (value === undefined || value === null) throw new Error(`skipped: needs ${what} from an earlier step`);
  return value;
}

/** Expects `promise` to reject with an SDK ApiResponseError; returns the error. */
async function rejects(promise, what) {
  let value;
  try {
    value = await promise;
  } catch (err) {
    return err;
  }
  throw new Error(`${what} succeeded but should have failed; got ${clip(JSON.stringify(value) ?? 'undefined')}`);
}

function sdk(authVersion, accessToken) {
  const params = { env: 'custom', customRootURI: BASE, authVersion };
  if (accessToken !== undefined) params.accessToken = accessToken;
  return new BitGoAPI(params);
}

function sha256hex(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Sends a request with node's fetch, signed with the SDK's own helpers over `signedBody`
 * (at `timestamp`, default now) but carrying `sentBody` on the wire.
 */
async function rawSigned(bitgo, token, { method, path, signedBody = '', sentBody = signedBody, timestamp }) {
  const url = BASE + path;
  const headers = bitgo.calculateRequestHeaders({ url, text: signedBody, token, method });
  check(headers.tokenHash === sha256hex(token), 'SDK tokenHash is not sha256(token)');
  let ts = headers.timestamp;
  let hmac = headers.hmac;
  if (timestamp !== undefined) {
    ts = timestamp;
    hmac = bitgo.calculateRequestHMAC({ url, text: signedBody, timestamp: ts, token, method });
  }
  const reqHeaders = {
    Authorization: `Bearer ${headers.tokenHash}`,
    'Auth-Timestamp': String(ts),
    HMAC: hmac,
    'BitGo-Auth-Version': bitgo.getAuthVersion() === 3 ? '3.0' : '2.0',
  };
  if (sentBody !== '') reqHeaders['Content-Type'] = 'application/json';
  const res = await fetch(url, {
    method: method.toUpperCase(),
    headers: reqHeaders,
    body: sentBody === '' ? undefined : sentBody,
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  const text = await res.text();
  return { url, res, text };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Checks a 401 reply carries BitGo's error body. */
function checkUnauthorized({ res, text }, what) {
  check(res.status === 401, `${what}: expected 401, got ${res.status} ${clip(text)}`);
  const body = parseJson(text);
  check(body && typeof body === 'object', `${what}: 401 body is not JSON: ${clip(text)}`);
  check(typeof body.error === 'string' && body.error.length > 0, `${what}: error body lacks string "error": ${clip(text)}`);
  check(typeof body.name === 'string' && body.name.length > 0, `${what}: error body lacks string "name": ${clip(text)}`);
  check(typeof body.requestId === 'string', `${what}: error body lacks "requestId": ${clip(text)}`);
  check(body.context && typeof body.context === 'object', `${what}: error body lacks object "context": ${clip(text)}`);
}

async function constantsSuite() {
  await step('client constants (unauthenticated GET /api/v1/client/constants)', async () => {
    const res = await fetch(`${BASE}/api/v1/client/constants`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    const text = await res.text();
    check(res.status === 200, `status ${res.status}: ${clip(text)}`);
    const body = parseJson(text);
    check(body && typeof body.constants === 'object' && body.constants !== null, `no "constants" object: ${clip(text)}`);
    check(typeof body.ttl === 'number', `no numeric "ttl": ${clip(text)}`);
    const viaSdk = await sdk(2).fetchConstants();
    check(viaSdk && typeof viaSdk === 'object', `SDK fetchConstants returned ${JSON.stringify(viaSdk)}`);
  });
}

async function versionSuite(v) {
  const p = `v${v}`;
  const bitgo = sdk(v);
  let loginToken;
  let user;
  let enterpriseId;

  await step(`${p} authenticate`, async () => {
    const body = await bitgo.authenticate({ username: USERNAME, password: PASSWORD, otp: OTP });
    check(body && !(body instanceof Error), `authenticate returned ${body}`);
    check(TOKEN_RE.test(body.access_token || ''), `access_token is not v2x+64 hex: ${body.access_token}`);
    check(body.user && body.user.username === USERNAME, `login user.username is ${body.user && body.user.username}`);
    check(typeof body.expires_in === 'number' && body.expires_in > 0, `expires_in is ${body.expires_in}`);
    check(typeof body.expires_at === 'number', `expires_at is ${body.expires_at}`);
    check(Array.isArray(body.scope), `scope is ${JSON.stringify(body.scope)}`);
    check(typeof body.token_type === 'string', `token_type is ${body.token_type}`);
    check(bitgo.user() && bitgo.user().username === USERNAME, 'SDK did not keep the user');
    loginToken = body.access_token;
  });

  await step(`${p} me()`, async () => {
    need(loginToken, 'a login token');
    const me = await bitgo.me();
    check(me && ID_RE.test(me.id || ''), `user.id is ${me && me.id}`);
    check(me.username === USERNAME, `username is ${me.username}`);
    check(Array.isArray(me.enterprises) && me.enterprises.length > 0, `enterprises is ${JSON.stringify(me.enterprises)}`);
    check(typeof me.enterprises[0].id === 'string', `enterprises[0].id is ${me.enterprises[0].id}`);
    user = me;
    enterpriseId = me.enterprises[0].id;
  });

  await step(`${p} session()`, async () => {
    need(loginToken, 'a login token');
    const session = await bitgo.session();
    check(session && typeof session === 'object', `session is ${JSON.stringify(session)}`);
    check(!JSON.stringify(session).includes(loginToken), 'session reply contains the raw token');
  });

  await step(`${p} ping()`, async () => {
    need(loginToken, 'a login token');
    const body = await bitgo.ping();
    check(body && typeof body === 'object', `ping returned ${JSON.stringify(body)}`);
  });

  await step(`${p} signed GET with a query string`, async () => {
    need(loginToken, 'a login token');
    const me = await bitgo.get(bitgo.url('/user/me', 2)).query({ a: '1 2', b: ['x', 'y'], c: 'ü/?' }).result('user');
    check(me && me.username === USERNAME, `user is ${JSON.stringify(me)}`);
  });

  await step(`${p} verifyPassword (right password) is true`, async () => {
    need(loginToken, 'a login token');
    const valid = await bitgo.verifyPassword({ password: PASSWORD });
    check(valid === true, `valid is ${JSON.stringify(valid)}`);
  });

  await step(`${p} verifyPassword (wrong password) is false`, async () => {
    need(loginToken, 'a login token');
    const valid = await bitgo.verifyPassword({ password: `${PASSWORD}-wrong` });
    check(valid === false, `valid is ${JSON.stringify(valid)}`);
  });

  await step(`${p} unlock()`, async () => {
    need(loginToken, 'a login token');
    const body = await bitgo.unlock({ otp: OTP, duration: 600 });
    check(body && typeof body === 'object', `unlock returned ${JSON.stringify(body)}`);
  });

  await step(`${p} lock() (signed POST without a body)`, async () => {
    need(loginToken, 'a login token');
    const body = await bitgo.lock();
    check(body && typeof body === 'object', `lock returned ${JSON.stringify(body)}`);
  });

  const label = `orgbox-compat-v${v}-${Date.now()}`;
  const created = await step(`${p} addAccessToken (seed 000 scopes)`, async () => {
    need(loginToken, 'a login token');
    const t = await bitgo.addAccessToken({
      otp: OTP,
      label,
      duration: 157788000,
      ipRestrict: [],
      scope: SEED_SCOPES,
    });
    check(t && TOKEN_RE.test(t.token || ''), `token is not v2x+64 hex: ${t && t.token}`);
    check(ID_RE.test(t.id || ''), `id is not 32 hex: ${t.id}`);
    check(t.label === label, `label is ${t.label}`);
    check(Array.isArray(t.scope), `scope is ${JSON.stringify(t.scope)}`);
    const missing = SEED_SCOPES.filter((s) => !t.scope.includes(s));
    check(missing.length === 0, `scope lacks ${missing.join(', ')}`);
    check(t.token !== loginToken, 'new token equals the login token');
    if (t.created && t.expires) {
      const seconds = (Date.parse(t.expires) - Date.parse(t.created)) / 1000;
      check(Math.abs(seconds - 157788000) <= 2, `expires - created is ${seconds} s, not 157788000`);
    }
    return t;
  });

  await step(`${p} addAccessToken with an unknown scope fails with "invalid scope"`, async () => {
    need(loginToken, 'a login token');
    const err = await rejects(
      bitgo.addAccessToken({ otp: OTP, label: `${label}-bad-scope`, scope: ['wallet_view_all', 'not_a_real_scope'] }),
      'addAccessToken with an unknown scope',
    );
    check(/invalid scope/i.test(err.message || ''), `message is ${JSON.stringify(err.message)}`);
    check(err.status >= 400 && err.status < 500, `status is ${err.status}`);
  });

  await step(`${p} addAccessToken with a wrong otp fails`, async () => {
    need(loginToken, 'a login token');
    const err = await rejects(
      bitgo.addAccessToken({ otp: '123456', label: `${label}-bad-otp`, scope: ['wallet_view_all'] }),
      'addAccessToken with a wrong otp',
    );
    check(err.status >= 400 && err.status < 500, `status is ${err.status} (${describe(err)})`);
  });

  // A fresh SDK instance holding only the new long-lived token.
  const longLived = created ? sdk(v, created.token) : undefined;

  await step(`${p} long-lived token: GET /api/v2/enterprise/{id}`, async () => {
    const api = need(longLived, 'a long-lived token');
    const id = need(enterpriseId, 'the enterprise id');
    const ent = await api.get(api.url(`/enterprise/${id}`, 2)).result();
    check(ent && ent.id === id, `id is ${ent && ent.id}`);
    check(ent.name === 'Prestige Worldwide', `name is ${ent.name}`);
    check(typeof ent.organizationId === 'string' && ent.organizationId.length > 0, `organizationId is ${ent.organizationId}`);
  });

  await step(`${p} long-lived token: SDK Enterprises.get({id}) (GET /api/v1/enterprise/{id})`, async () => {
    const api = need(longLived, 'a long-lived token');
    const id = need(enterpriseId, 'the enterprise id');
    const ent = await new Enterprises(api, undefined).get({ id });
    check(ent.id === id && ent.name === 'Prestige Worldwide', `got id=${ent.id} name=${ent.name}`);
  });

  await step(`${p} long-lived token: SDK Enterprises.list() (GET /api/v1/enterprise)`, async () => {
    const api = need(longLived, 'a long-lived token');
    const id = need(enterpriseId, 'the enterprise id');
    const list = await new Enterprises(api, undefined).list();
    check(list.some((e) => e.id === id), `enterprise ${id} not in ${JSON.stringify(list.map((e) => e.id))}`);
  });

  await step(`${p} long-lived token: GET /api/v2/enterprise lists the enterprise`, async () => {
    const api = need(longLived, 'a long-lived token');
    const id = need(enterpriseId, 'the enterprise id');
    const body = await api.get(api.url('/enterprise', 2)).result();
    check(body && Array.isArray(body.enterprises), `body is ${clip(JSON.stringify(body))}`);
    check(body.enterprises.some((e) => e.id === id), `enterprise ${id} not listed`);
  });

  // Seed 000 step 3 and the child-enterprise step, through the SDK's generic signed calls.
  let organizationId;
  await step(`${p} long-lived token: GET /api/v2/organization/{id} (name = enterprise name, own id)`, async () => {
    const api = need(longLived, 'a long-lived token');
    const id = need(enterpriseId, 'the enterprise id');
    const ent = await api.get(api.url(`/enterprise/${id}`, 2)).result();
    const body = await api.get(api.url(`/organization/${ent.organizationId}`, 2)).result();
    const org = body && body.organization;
    check(org && org.id === ent.organizationId, `organization is ${clip(JSON.stringify(body))}`);
    check(org.id !== id, 'the organization id equals the enterprise id');
    check(org.name === ent.name, `organization name ${org.name} is not the enterprise name ${ent.name}`);
    check(Array.isArray(org.enterprises) && org.enterprises.includes(id), `enterprises are ${JSON.stringify(org.enterprises)}`);
    const mine = await api.get(api.url('/organization', 2)).query({ role: 'admin' }).result();
    check(mine.organizations.some((o) => o.id === org.id && o.role === 'admin'), `list is ${clip(JSON.stringify(mine))}`);
    organizationId = org.id;
  });

  let child;
  const childBody = () => ({
    email: `sdk-end-user-v${v}-${Date.now()}@example.test`,
    idempotencyKey: `sdk-compat-v${v}-${label}`,
    additionalAdmins: [],
  });
  await step(`${p} long-lived token: create a child enterprise (POST /api/v2/organization/{id}/enterprise)`, async () => {
    const api = need(longLived, 'a long-lived token');
    const org = need(organizationId, 'the organization id');
    const body = childBody();
    const created = await api.post(api.url(`/organization/${org}/enterprise`, 2)).send(body).result();
    check(created && ID_RE.test(created.enterpriseId || '') && ID_RE.test(created.userId || ''), `reply is ${clip(JSON.stringify(created))}`);
    const again = await api.post(api.url(`/organization/${org}/enterprise`, 2)).send(body).result();
    check(again.enterpriseId === created.enterpriseId && again.userId === created.userId, `the repeat made ${JSON.stringify(again)}`);
    const err = await rejects(
      api.post(api.url(`/organization/${org}/enterprise`, 2)).send({ ...body, email: `other-${body.email}` }).result(),
      'the same idempotencyKey with another body',
    );
    check(err.status === 409, `status is ${err.status} (${describe(err)})`);
    child = created;
  });

  await step(`${p} long-lived token: the organization admin reads and lists the child enterprise`, async () => {
    const api = need(longLived, 'a long-lived token');
    const org = need(organizationId, 'the organization id');
    const c = need(child, 'the child enterprise');
    const ent = await api.get(api.url(`/enterprise/${c.enterpriseId}`, 2)).result();
    check(ent.businessModel === 'cryptoAsAServiceChild' && ent.organizationId === org, `enterprise is ${clip(JSON.stringify(ent))}`);
    check(ent.kycState === 'unverified', `kycState is ${ent.kycState}`);
    const list = await api
      .get(api.url(`/organization/${org}/enterprise`, 2))
      .query({ businessModel: 'cryptoAsAServiceChild', kycState: ['unverified', 'pending'], limit: 500 })
      .result();
    check(list.enterprises.some((e) => e.id === c.enterpriseId), `child not in ${clip(JSON.stringify(list))}`);
  });

  await step(`${p} service user: submit and poll KYC for the child's end user (/api/evs/v1/identity)`, async () => {
    const org = need(organizationId, 'the organization id');
    const c = need(child, 'the child enterprise');
    const service = sdk(v);
    await service.authenticate({ username: 'service@prestige-worldwide.test', password: PASSWORD, otp: OTP });
    const identity = await service
      .post(`${BASE}/api/evs/v1/identity`)
      .send({
        enterpriseId: c.enterpriseId,
        userId: c.userId,
        organizationId: org,
        nameFirst: 'John',
        nameLast: 'Doe',
        phoneNumber: '+442083661173',
        birthdate: '1990-03-13',
        occupation: 'Other - Default',
        countryOfCitizenship: 'USA',
        countryOfResidence: 'USA',
        govIdCountryOfIssuance: 'USA',
        politicallyExposedPerson: false,
        addressStreet1: 'Street 1',
        addressCity: 'San Jose',
        addressSubdivision: 'CA',
        country: 'USA',
        transactionType: 'institutionalIndividual',
      })
      .result();
    check(identity && identity.status === 'initiating' && typeof identity.id === 'string', `reply is ${clip(JSON.stringify(identity))}`);
    const polled = await service
      .get(`${BASE}/api/evs/v1/identity`)
      .query({ organizationId: org, enterpriseId: c.enterpriseId })
      .result();
    check(polled.identities.some((i) => i.id === identity.id && i.userId === c.userId), `poll is ${clip(JSON.stringify(polled))}`);
    const err = await rejects(
      service.post(`${BASE}/api/evs/v1/identity`).send({ organizationId: org, enterpriseId: c.enterpriseId }).result(),
      'an identity without its required fields',
    );
    check(err.status === 400 && /userId|nameFirst/.test(err.message), `got ${describe(err)}`);
    await service.logout();
  });

  await step(`${p} long-lived token: me()`, async () => {
    const api = need(longLived, 'a long-lived token');
    const me = await api.me();
    check(me && me.id === need(user, 'the user').id, `me().id is ${me && me.id}`);
  });

  await enterpriseUsersSuite(v, bitgo, () => user, () => enterpriseId);

  await step(`${p} listAccessTokens() has the new token, without its secret`, async () => {
    const t = need(created, 'the created token');
    const tokens = await bitgo.listAccessTokens();
    check(Array.isArray(tokens), `accessTokens is ${clip(JSON.stringify(tokens))}`);
    const mine = tokens.find((x) => x.id === t.id);
    check(mine, `token ${t.id} not listed among ${JSON.stringify(tokens.map((x) => x.id))}`);
    check(mine.label === label, `listed label is ${mine.label}`);
    const leaked = tokens.filter((x) => 'token' in x);
    check(leaked.length === 0, `${leaked.length} listed token(s) carry a "token" field`);
    check(!JSON.stringify(tokens).includes(t.token), 'the list contains the raw token');
  });

  await step(`${p} removeAccessToken({id}) and it leaves the list`, async () => {
    const t = need(created, 'the created token');
    const removed = await bitgo.removeAccessToken({ id: t.id });
    check(removed && typeof removed === 'object', `remove returned ${JSON.stringify(removed)}`);
    const tokens = await bitgo.listAccessTokens();
    check(Array.isArray(tokens), `accessTokens is ${clip(JSON.stringify(tokens))}`);
    check(!tokens.some((x) => x.id === t.id), `token ${t.id} is still listed`);
  });

  await step(`${p} removed token is rejected (401, invalidToken)`, async () => {
    const api = need(longLived, 'a long-lived token');
    const err = await rejects(api.me(), 'me() with a removed token');
    check(err.status === 401, `status is ${err.status} (${describe(err)})`);
    check(err.invalidToken === true, `invalidToken is ${err.invalidToken} (no "x-auth-required: true" header)`);
  });

  // Raw requests with node's fetch, signed by the SDK's own helpers, using the login token.
  await step(`${p} raw: tampered body is rejected (401)`, async () => {
    const token = need(loginToken, 'a login token');
    const signedBody = JSON.stringify({ password: bitgo.calculateHMAC(USERNAME, PASSWORD) });
    const sentBody = JSON.stringify({ password: bitgo.calculateHMAC(USERNAME, `${PASSWORD}-x`) });
    const r = await rawSigned(bitgo, token, { method: 'post', path: '/api/v2/user/verifypassword', signedBody, sentBody });
    checkUnauthorized(r, 'tampered body');
  });

  await step(`${p} raw: Auth-Timestamp 10 minutes old is rejected (401)`, async () => {
    const token = need(loginToken, 'a login token');
    const r = await rawSigned(bitgo, token, { method: 'get', path: '/api/v2/user/me', timestamp: Date.now() - 10 * 60 * 1000 });
    checkUnauthorized(r, 'stale timestamp');
  });

  await step(`${p} raw: correctly signed POST succeeds and its response HMAC verifies`, async () => {
    const token = need(loginToken, 'a login token');
    const body = JSON.stringify({ password: bitgo.calculateHMAC(USERNAME, PASSWORD) });
    const { url, res, text } = await rawSigned(bitgo, token, { method: 'post', path: '/api/v2/user/verifypassword', signedBody: body });
    check(res.status === 200, `status ${res.status}: ${clip(text)}`);
    check(parseJson(text)?.valid === true, `body is ${clip(text)}`);
    const hmac = res.headers.get('hmac');
    const timestamp = res.headers.get('timestamp');
    check(hmac && timestamp, `response lacks hmac/timestamp headers (hmac=${hmac}, timestamp=${timestamp})`);
    const verdict = bitgo.verifyResponse({ url, hmac, statusCode: res.status, text, timestamp, token, method: 'post' });
    check(verdict.isValid, `response HMAC mismatch: subject ${JSON.stringify(verdict.signatureSubject)}`);
    check(verdict.isInResponseValidityWindow, `response timestamp ${timestamp} outside the validity window`);
  });

  await step(`${p} raw: correctly signed GET succeeds and its response HMAC verifies`, async () => {
    const token = need(loginToken, 'a login token');
    const { url, res, text } = await rawSigned(bitgo, token, { method: 'get', path: '/api/v2/user/me' });
    check(res.status === 200, `status ${res.status}: ${clip(text)}`);
    check(parseJson(text)?.user?.username === USERNAME, `body is ${clip(text)}`);
    const verdict = bitgo.verifyResponse({
      url, hmac: res.headers.get('hmac'), statusCode: res.status, text, timestamp: res.headers.get('timestamp'), token, method: 'get',
    });
    check(verdict.isValid, `response HMAC mismatch: subject ${JSON.stringify(verdict.signatureSubject)}`);
  });

  await step(`${p} raw: plain "Authorization: Bearer <token>" GET /api/v2/user/me succeeds`, async () => {
    const token = need(loginToken, 'a login token');
    const res = await fetch(`${BASE}/api/v2/user/me`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    const text = await res.text();
    check(res.status === 200, `status ${res.status}: ${clip(text)}`);
    check(parseJson(text)?.user?.username === USERNAME, `body is ${clip(text)}`);
  });

  await step(`${p} logout()`, async () => {
    need(loginToken, 'a login token');
    const body = await bitgo.logout();
    check(body && typeof body === 'object', `logout returned ${JSON.stringify(body)}`);
    check(bitgo.user() === undefined, 'SDK still holds a user after logout');
  });

  await step(`${p} logged-out token is rejected (401, invalidToken)`, async () => {
    const token = need(loginToken, 'a login token');
    const err = await rejects(sdk(v, token).me(), 'me() with a logged-out token');
    check(err.status === 401, `status is ${err.status} (${describe(err)})`);
    check(err.invalidToken === true, `invalidToken is ${err.invalidToken} (no "x-auth-required: true" header)`);
  });
}

/**
 * Seed 000 step 2 through the SDK: the first admin adds a user (202, a pending approval), a
 * second admin lists the enterprise's pending approvals and approves it, the creator may not
 * approve their own, and a removal is rejected by the second admin.
 */
async function enterpriseUsersSuite(v, bitgo, getUser, getEnterpriseId) {
  const p = `v${v}`;
  const newbie = `newbie-v${v}-${Date.now()}@example.test`;
  let enterprise;
  let requested;
  let second;

  await step(`${p} Enterprise.users() (GET /api/v1/enterprise/{id}/user)`, async () => {
    const id = need(getEnterpriseId(), 'the enterprise id');
    enterprise = new Enterprise(bitgo, undefined, { id, name: 'Prestige Worldwide' });
    const users = await enterprise.users();
    check(Array.isArray(users.adminUsers) && Array.isArray(users.nonAdminUsers), `body is ${clip(JSON.stringify(users))}`);
    check(users.adminUsers.some((u) => u.username === USERNAME), `${USERNAME} is not an admin user`);
  });

  await step(`${p} Enterprise.addUser is a 202 pending approval (seed 000 step 2)`, async () => {
    const ent = need(enterprise, 'the enterprise');
    const a = await ent.addUser({ usernames: [newbie], permission: 'admin' });
    check(ID_RE.test(a.id || ''), `id is ${a.id}`);
    check(a.state === 'pending', `state is ${a.state}`);
    check(a.info && a.info.type === 'updateEnterpriseRequest', `info is ${clip(JSON.stringify(a.info))}`);
    check(a.info.updateEnterpriseRequest.email === newbie, `email is ${a.info.updateEnterpriseRequest.email}`);
    check(a.creator === need(getUser(), 'the user').id, `creator is ${a.creator}`);
    check(a.enterprise === ent.id && a.approvalsRequired === 1, `enterprise/approvalsRequired: ${a.enterprise}/${a.approvalsRequired}`);
    requested = a;
  });

  await step(`${p} the creator cannot approve their own request (403)`, async () => {
    const a = need(requested, 'the pending approval');
    const own = await new PendingApprovals(bitgo, coinShim(bitgo)).get({ id: a.id });
    const err = await rejects(own.approve({ otp: OTP }), 'approving my own request');
    check(err.status === 403, `status is ${err.status} (${describe(err)})`);
    check(/own request/.test(err.message || ''), `message is ${err.message}`);
  });

  await step(`${p} second admin authenticates`, async () => {
    second = sdk(v);
    await second.authenticate({ username: SECOND_ADMIN, password: PASSWORD, otp: OTP });
  });

  await step(`${p} second admin: PendingApprovals.list({enterpriseId}) has it`, async () => {
    const a = need(requested, 'the pending approval');
    const api = need(second, 'the second admin');
    const list = await new PendingApprovals(api, coinShim(api)).list({ enterpriseId: need(getEnterpriseId(), 'the enterprise id') });
    const found = list.pendingApprovals.find((x) => x.id() === a.id);
    check(found, `approval ${a.id} not among ${JSON.stringify(list.pendingApprovals.map((x) => x.id()))}`);
    check(found.state() === 'pending' && found.ownerType() === 'enterprise', `state ${found.state()}`);
  });

  await step(`${p} second admin: PendingApproval.approve() applies the change`, async () => {
    const a = need(requested, 'the pending approval');
    const api = need(second, 'the second admin');
    const approval = await new PendingApprovals(api, coinShim(api, 'ofctusd')).get({ id: a.id });
    const done = await approval.approve({ otp: OTP });
    check(done.state === 'approved', `state is ${done.state}`);
    const users = await need(enterprise, 'the enterprise').users();
    check(users.adminUsers.some((u) => u.username === newbie), `${newbie} is not an admin after approval`);
  });

  await step(`${p} Enterprise.removeUser is a 202; the second admin rejects it`, async () => {
    const ent = need(enterprise, 'the enterprise');
    const api = need(second, 'the second admin');
    const body = await ent.removeUser({ username: newbie });
    check(Array.isArray(body.pendingApprovals) && body.pendingApprovals.length === 1, `body is ${clip(JSON.stringify(body))}`);
    const approval = await new PendingApprovals(api, coinShim(api)).get({ id: body.pendingApprovals[0].id });
    const rejected = await approval.reject();
    check(rejected.state === 'rejected', `state is ${rejected.state}`);
    const users = await ent.users();
    check(users.adminUsers.some((u) => u.username === newbie), `${newbie} was removed although the removal was rejected`);
  });

  await step(`${p} second admin logs out`, async () => {
    await need(second, 'the second admin').logout();
  });
}


const SERVICE_USER = 'service@prestige-worldwide.test';
const CHILD_NAME = 'chazz@prestige-worldwide.test';

/** A BitGoAPI with the SDK's own `ofc` coin and the `ofctusd` Go Account token registered. */
function ofcSdk(v) {
  const bitgo = sdk(v);
  bitgo.register('ofc', sdkCoins.Ofc.createInstance);
  bitgo.register(
    'ofctusd',
    sdkCoins.OfcToken.createTokenConstructor({
      coin: 'ofctusd', decimalPlaces: 2, name: 'Test USD', backingCoin: 'tusd', isFiat: true, type: 'ofctusd',
    }),
  );
  bitgo.register(
    'ofctbtc',
    sdkCoins.OfcToken.createTokenConstructor({
      coin: 'ofctbtc', decimalPlaces: 8, name: 'Test Bitcoin', backingCoin: 'tbtc', isFiat: false, type: 'ofctbtc',
    }),
  );
  return bitgo;
}

/**
 * Go Accounts through the SDK's own code: `coin('ofc').wallets().generateWallet({type:
 * 'trading'})`, then a withdrawal by `wallet.send()` (tx/build, the SDK's OfcToken signing of
 * the payload with the decrypted user key, tx/send). The organization admin is refused.
 */
async function goAccountSuite(v) {
  const p = `v${v} Go Account:`;
  const bitgo = ofcSdk(v);
  const child = await step(`${p} service user authenticates and finds the child enterprise`, async () => {
    await bitgo.authenticate({ username: SERVICE_USER, password: PASSWORD, otp: OTP });
    const list = await bitgo.get(bitgo.url('/enterprise', 2)).result();
    const found = list.enterprises.find((e) => e.name === CHILD_NAME);
    check(found && ID_RE.test(found.id), `no child enterprise ${CHILD_NAME} among ${clip(JSON.stringify(list))}`);
    return found.id;
  });
  const generate = (label) =>
    bitgo.coin('ofc').wallets().generateWallet({
      label, passphrase: 'go-account-passphrase', enterprise: need(child, 'the child enterprise'),
      passcodeEncryptionCode: 'recovery-code', type: 'trading',
    });
  const made = await step(`${p} coin('ofc').wallets().generateWallet({type: 'trading'})`, async () => {
    const a = await generate(`SDK Go Account v${v}`);
    const b = await generate(`SDK Go Account v${v} (2)`);
    check(a.wallet.type() === 'trading' && ID_RE.test(a.wallet.id()), `wallet ${clip(JSON.stringify(a.wallet.toJSON()))}`);
    check(typeof a.userKeychain.encryptedPrv === 'string', 'no encrypted user key came back');
    check(typeof a.encryptedWalletPassphrase === 'string', 'no encryptedWalletPassphrase');
    return { from: a.wallet.id(), to: b.wallet.id() };
  });
  await step(`${p} fund it (POST /sandbox/wallets/{id}/faucet) and read it with coin('ofctusd').wallets().get()`, async () => {
    const { from } = need(made, 'the Go Accounts');
    const res = await fetch(`${BASE}/sandbox/wallets/${from}/faucet`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ asset: 'ofctusd', amount: '10000' }), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    check(res.status === 200, `faucet answered ${res.status}`);
    const w = await bitgo.coin('ofctusd').wallets().get({ id: from });
    check(w.balanceString() === '10000', `balance ${w.balanceString()}`);
  });
  await step(`${p} wallet.send() builds, signs with the user key and sends a book transfer`, async () => {
    const { from, to } = need(made, 'the Go Accounts');
    const w = await bitgo.coin('ofctusd').wallets().get({ id: from });
    const sent = await w.send({ address: to, amount: '2500', walletPassphrase: 'go-account-passphrase' });
    check(sent.transfer && sent.transfer.transactionType === 'BOOK_TRANSFER', `reply ${clip(JSON.stringify(sent))}`);
    const dest = await bitgo.coin('ofctusd').wallets().get({ id: to });
    check(dest.balanceString() === '2500', `destination balance ${dest.balanceString()}`);
    const src = await bitgo.coin('ofctusd').wallets().get({ id: from });
    check(src.balanceString() === '7500', `source balance ${src.balanceString()}`);
  });
  const big = await step(`${p} a 5 BTC wallet.send (300,000 USD) is a 202 pendingVideoApproval, the amount held`, async () => {
    const { from } = need(made, 'the Go Accounts');
    const res = await fetch(`${BASE}/sandbox/wallets/${from}/faucet`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ asset: 'ofctbtc', amount: '1000000000' }), signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    check(res.status === 200, `faucet answered ${res.status}`);
    const w = await bitgo.coin('ofctbtc').wallets().get({ id: from });
    const sent = await w.send({ address: 'tb1q-outside', amount: '500000000', walletPassphrase: 'go-account-passphrase' });
    check(sent.pendingApproval && sent.pendingApproval.state === 'pendingVideoApproval', `reply ${clip(JSON.stringify(sent))}`);
    const after = await bitgo.coin('ofctbtc').wallets().get({ id: from });
    check(after.spendableBalanceString() === '500000000', `spendable ${after.spendableBalanceString()}`);
    return sent.pendingApproval.id;
  });
  await step(`${p} the child's video approver approves it with PendingApproval.approve()`, async () => {
    const id = need(big, 'the pending video approval');
    const approver = ofcSdk(v);
    await approver.authenticate({ username: CHILD_NAME, password: PASSWORD, otp: OTP });
    const approval = await new PendingApprovals(approver, approver.coin('ofctbtc')).get({ id });
    check(approval.state() === 'pendingVideoApproval', `state ${approval.state()}`);
    const done = await approval.approve({ otp: OTP });
    check(done.state === 'approved', `state ${done.state}`);
    const w = await bitgo.coin('ofctbtc').wallets().get({ id: need(made, 'the Go Accounts').from });
    check(w.balanceString() === '500000000' && w.spendableBalanceString() === '500000000', `balance ${w.balanceString()}`);
    await approver.logout();
  });
  await step(`${p} a wrong passphrase never reaches the server`, async () => {
    const { from, to } = need(made, 'the Go Accounts');
    const w = await bitgo.coin('ofctusd').wallets().get({ id: from });
    await rejects(w.send({ address: to, amount: '1', walletPassphrase: 'wrong' }), 'send with a wrong passphrase');
  });
  await step(`${p} the organization admin sees the Go Account but tx/build is refused (OrganizationAdminCannotTransact)`, async () => {
    const { from, to } = need(made, 'the Go Accounts');
    const admin = ofcSdk(v);
    await admin.authenticate({ username: USERNAME, password: PASSWORD, otp: OTP });
    const w = await admin.coin('ofctusd').wallets().get({ id: from });
    check(w.balanceString() === '7500', `organization admin reads balance ${w.balanceString()}`);
    const err = await rejects(w.prebuildTransaction({ recipients: [{ address: to, amount: '1' }] }), 'tx/build by the organization admin');
    check(err.status === 403, `status ${err.status}`);
    check(err.result && err.result.name === 'OrganizationAdminCannotTransact', `body ${clip(JSON.stringify(err.result))}`);
    await admin.logout();
  });
  await step(`${p} service user logs out`, async () => {
    await bitgo.logout();
  });
}

await constantsSuite();
for (const v of VERSIONS) {
  await versionSuite(v);
  await goAccountSuite(v);
  await webhookSuite(v, {
    step, check, need, rejects, clip, ofcSdk, BASE, FETCH_TIMEOUT_MS, PASSWORD, OTP, SERVICE_USER,
    ORG_ADMIN: USERNAME, CHILD_NAME, ID_RE,
  });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
