// orgbox console: plain DOM, no framework. Every value from the server is user input (names,
// labels, paths): it only ever reaches the page as text (textContent / text nodes), never as markup.
'use strict';

const state = {
  // The sandbox prefix this console addresses: '' (default) or '/s/{name}'.
  base: location.pathname.replace(/\/console\/?$/, ''),
  adminKey: sessionStorage.getItem('orgbox-admin-key') || '',
  world: { offset: 0, limit: 25, q: '' }, // the page of enterprises shown
  session: null, // {username, token} of the user the console acts as
  journalSeen: null,
  journal: { before: null, newer: [] }, // `before` cursor (null: newest, live) and the way back
  tokenOwners: new Map(), // token id -> username, from the tokens panel
};

// ---- DOM helpers -------------------------------------------------------------------------

/** An element with attributes (set as properties or attributes, never HTML) and children
 * (strings become text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'className') node.className = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function $(id) { return document.getElementById(id); }

function fill(node, ...children) {
  node.replaceChildren();
  for (const c of children.flat(Infinity)) if (c) node.append(c instanceof Node ? c : String(c));
}

function tag(text, kind) { return el('span', { className: 'tag ' + (kind || '') }, text); }

function say(text) { $('status').textContent = text; }

function iso(ms) { return ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : ''; }

// ---- HTTP --------------------------------------------------------------------------------

/** Calls the control plane; `absolute` skips the sandbox prefix (registry-wide routes). */
async function control(path, { method = 'GET', body, absolute = false } = {}) {
  const headers = {};
  if (state.adminKey) headers.Authorization = 'Bearer ' + state.adminKey;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch((absolute ? '' : state.base) + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
  if (res.status === 401 && json && /admin_key/.test(json.code || '')) {
    $('key-form').hidden = false;
    throw new Error('the control plane needs the admin key');
  }
  if (!res.ok) throw new Error((json && (json.error || json.message)) || res.status + ' ' + res.statusText);
  return json;
}

/** Calls a vendor API as the user the console acts as; returns {status, json}. */
async function vendor(path, { method = 'GET', body, token } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(state.base + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try { json = await res.json(); } catch (_) { json = null; }
  return { status: res.status, json };
}

/** Runs a panel's call; its failure is said in the header until the same call next works. */
async function guarded(what, fn) {
  try {
    await fn();
    if ($('status').textContent.startsWith(what + ': ')) say('');
  } catch (e) { say(what + ': ' + e.message); }
}

// ---- Sandboxes and clock -----------------------------------------------------------------

async function loadSandboxes() {
  const data = await control('/sandbox/sandboxes', { absolute: true });
  const named = data.sandboxes || [];
  const select = $('sandbox-select');
  fill(select,
    el('option', { value: '' }, 'default'),
    named.map((s) => el('option', { value: s.basePath }, s.name)));
  select.value = state.base;
  const row = (name, basePath, source, actions) =>
    el('tr', { 'data-sandbox': name }, el('td', {}, name), el('td', {}, basePath || '/'),
      el('td', {}, source || ''), el('td', {}, actions));
  fill($('sandbox-rows'),
    row('default', '', 'seed', [
      el('button', { type: 'button', className: 'reset', onclick: () => reset('') }, 'reset'),
      el('button', { type: 'button', onclick: () => switchTo('') }, 'open'),
    ]),
    named.map((s) => row(s.name, s.basePath, s.source, [
      el('button', { type: 'button', className: 'reset', onclick: () => reset(s.basePath) }, 'reset'),
      el('button', { type: 'button', onclick: () => switchTo(s.basePath) }, 'open'),
      el('button', { type: 'button', className: 'delete', onclick: () => removeSandbox(s) }, 'delete'),
    ])));
}

async function reset(basePath) {
  await guarded('reset', async () => {
    await control(basePath + '/sandbox/reset', { method: 'POST', absolute: true });
    say('reset ' + (basePath || 'default'));
    if (basePath === state.base && state.session) endSession('not logged in (the sandbox was reset)');
    if (basePath === state.base) bwForget();
    state.journalSeen = null;
    await refreshAll();
  });
}

async function removeSandbox(s) {
  if (!confirm('Delete sandbox ' + s.name + '?')) return;
  await guarded('delete', async () => {
    await control('/sandbox/sandboxes/' + encodeURIComponent(s.name), { method: 'DELETE', absolute: true });
    if (state.base === s.basePath) state.base = '';
    await refreshAll();
  });
}

function switchTo(basePath) {
  state.base = basePath;
  state.world.offset = 0;
  state.journal = { before: null, newer: [] };
  state.journalSeen = null;
  endSession();
  bwForget();
  refreshAll();
}

/** Downloads this sandbox's SQLite file (with the admin key, so not a bare link). */
async function downloadSnapshot() {
  await guarded('snapshot', async () => {
    const headers = state.adminKey ? { Authorization: 'Bearer ' + state.adminKey } : {};
    const res = await fetch(state.base + '/sandbox/snapshot', { headers });
    if (!res.ok) throw new Error(res.status + ' ' + res.statusText);
    const url = URL.createObjectURL(await res.blob());
    const name = (state.base ? state.base.slice(3) : 'default') + '.sqlite';
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    say('snapshot downloaded');
  });
}

/** Replaces this sandbox's data with an uploaded SQLite file (checked by the server first). */
async function uploadSnapshot(ev) {
  const file = ev.target.files && ev.target.files[0];
  if (!file) return;
  await guarded('snapshot', async () => {
    const headers = { 'Content-Type': 'application/octet-stream' };
    if (state.adminKey) headers.Authorization = 'Bearer ' + state.adminKey;
    const res = await fetch(state.base + '/sandbox/snapshot', { method: 'PUT', headers, body: file });
    let json = null;
    try { json = await res.json(); } catch (_) { json = null; }
    if (!res.ok) throw new Error((json && json.error) || res.status + ' ' + res.statusText);
    await refreshAll();
    say('snapshot loaded');
  });
  ev.target.value = '';
}

async function loadClock() {
  const c = await control('/sandbox/clock');
  $('clock-now').textContent = c.now;
  $('clock-state').textContent = (c.frozen ? 'frozen' : 'running') +
    (c.offsetMs ? ', offset ' + Math.round(c.offsetMs / 1000) + ' s' : '');
  $('clock-freeze').textContent = c.frozen ? 'unfreeze' : 'freeze';
  $('clock-freeze').dataset.frozen = c.frozen ? '1' : '';
  const faults = await control('/sandbox/faults');
  const rules = Array.isArray(faults) ? faults : (faults && faults.faults) || [];
  fill($('fault-list'), rules.length ? rules.map((r) => el('li', { 'data-id': r.id },
    (r.method || 'any method') + ' ' + r.path + ' \u2192 ' + (r.drop ? 'connection dropped' : (r.status || 'delay') + (r.message ? ' "' + r.message + '"' : '')) +
    (r.delayMs ? ', after ' + r.delayMs + ' ms' : '') + (r.probability < 1 ? ', ' + Math.round(r.probability * 100) + '% of requests' : '') +
    (r.remaining !== undefined && r.remaining !== null ? ', ' + r.remaining + ' left' : '') + ', hit ' + r.hits + ' times',
    el('button', { type: 'button', className: 'clear-fault', onclick: () => clearFault(r.id) }, 'clear')))
    : el('li', { className: 'muted' }, 'none'));
}

async function moveClock(body) {
  await guarded('clock', async () => {
    await control('/sandbox/clock', { method: 'POST', body });
    await loadClock();
    await loadWorld();
    await loadTokens();
  });
}

// ---- BitGo world -------------------------------------------------------------------------

let worldGeneration = 0;

async function loadWorld() {
  // Only the newest call draws: an older answer (a slower page, a search typed over) is dropped.
  const generation = ++worldGeneration;
  const q = new URLSearchParams({ offset: String(state.world.offset), limit: String(state.world.limit) });
  if (state.world.q) q.set('q', state.world.q);
  if (state.session) q.set('as', state.session.username);
  let world;
  try {
    world = await control('/sandbox/console/world?' + q);
  } catch (e) {
    // The user acted as is gone (a reset, another sandbox): look as the administrator again.
    if (!state.session || !/no BitGo user/.test(e.message)) throw e;
    endSession('not logged in (' + state.session.username + ' no longer exists)');
    return loadWorld();
  }
  if (generation !== worldGeneration) return undefined;
  if (world.total > 0 && state.world.offset >= world.total) {
    state.world.offset = Math.floor((world.total - 1) / state.world.limit) * state.world.limit;
    return loadWorld();
  }
  const orgs = world.organizations || [];
  const shown = orgs.reduce((n, o) => n + o.enterprises.length, 0);
  $('world-page').textContent = world.total
    ? 'enterprises ' + (world.offset + 1) + '\u2013' + (world.offset + shown) + ' of ' + world.total
    : 'no enterprises' + (state.world.q ? ' match' : '');
  $('world-prev').disabled = world.offset === 0;
  $('world-next').disabled = world.offset + shown >= world.total;
  fill($('world-viewer'), world.viewer
    ? ['Seen by ', el('strong', {}, world.viewer.username),
      ': what they may view, manage, trade and withdraw, as the API would answer them.']
    : 'Showing every enterprise. Log in as a user (Act as a user) to see the world through their permissions.');
  fill($('world-tree'), orgs.length ? orgs.map(orgNode) : el('p', { className: 'muted' }, 'nothing to show'));
  // Which call drew the tree: a test waits for it to pass a number instead of sleeping.
  $('world-tree').dataset.generation = String(generation);
  const names = new Set([...$('act-users').options].map((o) => o.value));
  for (const o of orgs) for (const e of o.enterprises) for (const u of e.users) names.add(u.username);
  fill($('act-users'), [...names].sort().map((name) => el('option', { value: name })));
  if (typeof pickersFrom === 'function') pickersFrom(world);
}

function orgNode(o) {
  if (o.id === null) {
    return el('div', { className: 'org none' },
      el('div', { className: 'name' }, 'enterprises in no organization'),
      o.enterprises.map((e) => entNode(e, [])));
  }
  const members = o.members.map((m) => el('li', {}, m.username, tag(m.role, roleClass(m.role))));
  const parent = o.enterprises.filter((e) => e.parent);
  const children = o.enterprises.filter((e) => !e.parent);
  return el('div', { className: 'org', 'data-id': o.id },
    el('div', { className: 'name' }, 'organization ', el('span', { className: 'org-name' }, o.name),
      parent.length ? null : el('span', { className: 'muted' }, ' (continued)')),
    el('details', {}, el('summary', {}, 'members (' + o.members.length + ')'), el('ul', {}, members)),
    parent.map((p) => entNode(p, children)),
    parent.length ? null : children.map((c) => entNode(c, [])));
}

function roleClass(role) {
  return role === 'admin' ? 'admin' : role === 'serviceUser' ? 'service' : '';
}

/** A tag for one answer of the API's rules: allowed, or refused with the error's name. */
function verdictTag(what, v) {
  if (!v) return null;
  const node = tag(what + (v.allowed ? ': yes' : ': no, ' + v.refusedBy), v.allowed ? 'yes' : 'no');
  if (!v.allowed) node.title = v.reason;
  return node;
}

function entNode(e, children) {
  const users = e.users.map((u) => el('li', { 'data-user': u.username },
    el('span', { className: 'user-name' }, u.username), ' ',
    el('span', { className: 'muted' }, u.name),
    u.permissions.map((p) => tag(p, p === 'admin' ? 'admin' : '')),
    u.organizationRole === 'admin' ? tag('organization admin', 'admin') : null,
    u.organizationRole === 'serviceUser' ? tag('service user', 'service') : null,
    u.organizationRole === 'customer' ? tag('customer') : null,
    u.videoApprover ? tag('video approver', 'video') : null,
    u.active ? null : tag('inactive')));
  const approvals = e.pendingApprovals.map(approvalNode);
  const view = e.viewAs;
  return el('div', {
    className: 'ent ' + (e.parent ? 'parent' : 'child') + (view && !view.view.allowed ? ' hidden-to-viewer' : ''),
    'data-id': e.id,
  },
  el('div', { className: 'name' }, e.parent ? 'parent enterprise ' : (e.organizationId ? 'child enterprise ' : 'enterprise '),
    el('span', { className: 'ent-name' }, e.name),
    tag('KYC ' + e.kycState, 'kyc'), e.accountType ? tag(e.accountType) : null,
    el('span', { className: 'muted ent-id' }, ' ' + e.id)),
  view ? el('div', { className: 'view-as' }, verdictTag('view', view.view), verdictTag('manage', view.manage)) : null,
  el('ul', { className: 'users' }, users),
  e.goAccounts.length ? el('div', { className: 'accounts' }, e.goAccounts.map(accountNode)) : null,
  approvals.length ? el('div', { className: 'approvals' }, el('h3', {}, 'pending approvals'), approvals) : null,
  (e.kycIdentities || []).length ? el('div', { className: 'kyc' }, el('h3', {}, 'KYC identities'),
    e.kycIdentities.map((k) => kycNode(e, k))) : null,
  children.map((c) => entNode(c, [])));
}

/** One KYC identity, with buttons to decide it now while it is open. */
function kycNode(e, k) {
  const user = e.users.find((u) => u.id === k.userId);
  const open = k.status !== 'approved' && k.status !== 'declined';
  return el('div', { className: 'identity', 'data-id': k.id },
    'identity of ', el('strong', {}, user ? user.username : k.userId), ' ', tag(k.status, open ? 'pending' : 'kyc'),
    open ? [el('button', { type: 'button', className: 'kyc-approve', onclick: () => decideKyc(k, 'approved') }, 'approve KYC'),
      el('button', { type: 'button', className: 'kyc-decline', onclick: () => decideKyc(k, 'declined') }, 'decline')] : null);
}

function accountNode(a) {
  const view = a.viewAs;
  return el('div', { className: 'account', 'data-id': a.id },
    el('div', { className: 'name' }, /go account/i.test(a.label) ? null : 'Go Account ',
      el('span', { className: 'account-name' }, a.label),
      tag(a.type), el('span', { className: 'muted' }, ' ' + a.id)),
    view ? el('div', { className: 'view-as' }, verdictTag('view', view.view),
      verdictTag('trade', view.trade), verdictTag('withdraw', view.withdraw)) : null,
    el('table', { className: 'balances' },
      el('thead', {}, el('tr', {}, el('th', {}, 'asset'), el('th', {}, 'available'), el('th', {}, 'held'))),
      el('tbody', {}, a.balances.length ? a.balances.map((b) => el('tr', { 'data-currency': b.currency },
        el('td', {}, b.currency), el('td', { className: 'num' }, b.available), el('td', { className: 'num' }, b.held)))
        : el('tr', {}, el('td', { className: 'muted' }, 'no balance')))),
    el('div', { className: 'muted' }, 'users: ',
      a.users.map((u, i) => [i ? ', ' : '', u.username + ' (' + u.permissions.join(' ') + ')'])),
    el('div', { className: 'recent' }, el('strong', {}, 'recent transfers'),
      a.transfers.length ? el('ul', { className: 'transfers' }, a.transfers.map((t) => el('li', { 'data-id': t.id },
        iso(t.createdAt), ' ', t.direction, ' ', t.amount, ' ', t.asset, ' ', tag(t.state), ' ',
        el('span', { className: 'muted' }, t.type + (t.address ? ' ' + t.address : '')))))
        : el('span', { className: 'muted' }, ' none')),
    el('div', { className: 'recent' }, el('strong', {}, 'recent orders'),
      a.orders.length ? el('ul', { className: 'orders' }, a.orders.map((o) => el('li', { 'data-id': o.id },
        iso(o.createdAt), ' ', o.side, ' ', o.quantity, ' ', o.quantityCurrency, ' ', o.product, ' ', o.type, ' ', tag(o.status))))
        : el('span', { className: 'muted' }, ' none')),
    state.session ? el('button', { type: 'button', className: 'trade', onclick: () => tradeAs(a) },
      'buy 0.001 BTC as ' + state.session.username) : null);
}

/** A list in words: "a", "a or b", "a, b or c". */
function either(names) {
  return names.length <= 1 ? names.join('') : names.slice(0, -1).join(', ') + ' or ' + names[names.length - 1];
}

/** What an approval would do, in words. */
function approvalWords(a) {
  const info = a.info || {};
  const perms = (p) => (Array.isArray(p) ? p : [p]).filter(Boolean).join(' and ');
  const u = info.updateEnterpriseRequest;
  if (u && u.action === 'add') return 'add ' + u.email + ' as ' + perms(u.permissions) + (u.isVideoIdUser ? ' (video approver)' : '');
  if (u && u.action === 'remove') return 'remove ' + (u.email || u.userId) + ' from the enterprise';
  if (u && u.action === 'update') return 'make ' + (u.email || u.userId) + ' ' + perms(u.permissions);
  const n = info.updateApprovalsRequiredRequest;
  if (n) return 'require ' + n.requestedApprovalsRequired + ' approvals for changes';
  const t = info.transactionRequest;
  if (t) {
    const to = (t.recipients || [])[0] || {};
    const asset = Object.keys(t.coinSpecific || {})[0] || '';
    return 'withdraw ' + t.requestedAmount + ' ' + asset + ' base units' + (t.usdValue ? ' (' + t.usdValue + ' USD)' : '') + ' to ' + to.address;
  }
  return info.type || a.kind;
}

/** Who the approval waits for, in words. */
function awaiting(a) {
  const who = a.mayResolve.length ? either(a.mayResolve) : 'nobody who may';
  if (a.state === 'pendingVideoApproval') return 'awaiting a video approver: ' + who;
  if (a.state === 'pendingFinalApproval') return 'awaiting a final approval: ' + who;
  return 'awaiting a second admin: ' + who;
}

function approvalNode(a) {
  return el('div', { className: 'approval', 'data-id': a.id },
    el('span', { className: 'what' }, approvalWords(a)), ' \u2014 ', awaiting(a),
    el('span', { className: 'muted' }, ' (asked by ' + a.creator + ')'),
    el('button', { type: 'button', className: 'approve', onclick: () => resolve(a, 'approved') }, 'approve'),
    el('button', { type: 'button', className: 'reject', onclick: () => resolve(a, 'rejected') }, 'reject'));
}

function pageWorld(step) {
  state.world.offset = Math.max(0, state.world.offset + step * state.world.limit);
  guarded('world', loadWorld);
}

// ---- Act as a user -----------------------------------------------------------------------

/** The demo users' password and OTP, offered by the control plane, fill the login form. */
async function loadDemoLogin() {
  const demo = await control('/sandbox/console/demo');
  if (!$('act-password').value) $('act-password').value = demo.password;
  if (demo.otp) $('act-otp').value = demo.otp;
  $('act-hint').textContent = 'Demo users log in with the password filled in (config.toml [demo]) and OTP ' +
    demo.otp + '; pick one from the list or type any email.';
}

async function login(ev) {
  ev.preventDefault();
  const email = $('act-user').value.trim();
  const r = await vendor('/api/v2/user/login', {
    method: 'POST',
    body: { email, password: $('act-password').value, otp: $('act-otp').value },
  });
  if (r.status !== 200 || !r.json || !r.json.access_token) {
    endSession('login refused: ' + ((r.json && r.json.error) || String(r.status)));
    return;
  }
  // The login name as stored (any case was accepted), which the world is then drawn for.
  const username = (r.json.user && r.json.user.username) || email;
  state.session = { username, token: r.json.access_token };
  fill($('act-who'), 'acting as ', el('strong', { id: 'act-name' }, username));
  $('act-logout').hidden = false;
  await guarded('world', loadWorld);
  await guarded('tokens', loadTokens);
}

/** Forgets the session the console acts with (after its logout, or when it no longer works). */
function endSession(why) {
  state.session = null;
  $('act-logout').hidden = true;
  fill($('act-who'), why || 'not logged in');
}

async function logout() {
  if (state.session) await vendor('/api/v2/user/logout', { method: 'POST', token: state.session.token, body: {} });
  endSession();
  await guarded('world', loadWorld);
  await guarded('tokens', loadTokens);
}

/** Says what the public API answered to an action taken as the session's user. */
function report(action, r, okText) {
  const out = $('act-result');
  if (r.status >= 200 && r.status < 300) {
    out.className = 'ok';
    out.textContent = state.session.username + ' ' + action + ': ' + okText;
  } else {
    const name = r.json && (r.json.name || r.json.errorName);
    out.className = 'refused';
    out.textContent = state.session.username + ' ' + action + ' refused (' + r.status + (name ? ' ' + name : '') + '): ' +
      ((r.json && r.json.error) || '');
  }
}

async function resolve(a, decision) {
  if (!state.session) { $('act-result').textContent = 'log in as a user first (Act as a user)'; return; }
  const r = await vendor('/api/v2/pendingapprovals/' + encodeURIComponent(a.id), {
    method: 'PUT', token: state.session.token, body: { state: decision, otp: $('act-otp').value },
  });
  report(decision === 'approved' ? 'approve' : 'reject', r, decision + ', ' + ((r.json && r.json.state) || r.status));
  await guarded('world', loadWorld);
}

/** Places a small market order on a Go Account through the trading API, as the session's user:
 * the rules answer as they would answer that user's own client. */
async function tradeAs(a) {
  if (!state.session) return;
  const r = await vendor('/api/prime/trading/v1/accounts/' + encodeURIComponent(a.id) + '/orders', {
    method: 'POST',
    token: state.session.token,
    body: {
      clientOrderId: 'console-' + Date.now(), product: 'BTC-USD', type: 'market', side: 'buy', quantity: '0.001',
    },
  });
  report('buying 0.001 BTC on ' + a.label, r, 'order ' + ((r.json && (r.json.status || r.json.id)) || r.status));
  await guarded('world', loadWorld);
}

// ---- Bitwarden world ---------------------------------------------------------------------

// `loadBitwarden` and the Bitwarden panel's actions are in bitwarden.js.

// ---- Tokens ------------------------------------------------------------------------------

async function loadTokens() {
  const data = await control('/sandbox/console/tokens');
  const rows = data.tokens || [];
  for (const t of rows) state.tokenOwners.set(t.id, t.user);
  fill($('token-rows'), rows.length ? rows.map((t) => el('tr', { 'data-id': t.id, 'data-label': t.label || '' },
    el('td', {}, t.user), el('td', { className: 'token-id' }, t.id), el('td', {}, t.kind),
    el('td', { className: 'label' }, t.label || ''),
    el('td', { className: 'scopes' }, scopeList(t.scopes || [])),
    el('td', {}, (t.ipRestrict || []).join(' ') || 'any'),
    el('td', { className: 'expiry' }, iso(t.expiresAt), t.expired ? tag('expired', 'pending') : null),
    el('td', {}, t.lastUsedAt ? iso(t.lastUsedAt) : 'never'),
    el('td', {}, t.kind === 'api'
      ? el('button', { type: 'button', className: 'revoke', onclick: () => revoke(t) }, 'revoke') : null)))
    : el('tr', {}, el('td', { className: 'muted' }, 'no tokens')));
}

/** A token's scopes: listed when few, folded behind their count when many (a login session). */
function scopeList(scopes) {
  if (scopes.length <= 4) return scopes.join(' ');
  return el('details', {}, el('summary', {}, scopes.length + ' scopes'), scopes.join(' '));
}

async function revoke(t) {
  if (!state.session) { $('act-result').textContent = 'log in as ' + t.user + ' first (Act as a user)'; return; }
  const r = await vendor('/api/v2/user/accesstoken/' + encodeURIComponent(t.id), {
    method: 'DELETE', token: state.session.token,
  });
  report('revoking token ' + (t.label || t.id), r, 'revoked');
  await guarded('tokens', loadTokens);
}

// ---- Outbox ------------------------------------------------------------------------------

function safeLink(link) {
  if (typeof link !== 'string') return null;
  if (link.startsWith('/') && !link.startsWith('//')) return link;
  try {
    const u = new URL(link);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (_) { return null; }
}

async function loadOutbox() {
  const data = await control('/sandbox/outbox?limit=50');
  const msgs = data.messages || [];
  fill($('outbox-list'), msgs.length ? msgs.map((m) => {
    const href = safeLink(m.link);
    return el('li', { 'data-id': m.id },
      el('span', { className: 'muted' }, m.createdAt), ' to ', el('strong', {}, m.to), ': ',
      el('details', { className: 'mail' }, el('summary', {}, m.subject), el('pre', { className: 'mail-body' }, m.body || '')),
      href ? [' ', el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, 'accept link')] : null);
  }) : el('li', { className: 'muted' }, 'no mail'));
}

// ---- Webhooks ----------------------------------------------------------------------------

/** One attempt as text: `200 in 3 ms`, or what went wrong. */
function attemptText(a) {
  const what = a.status !== null && a.status !== undefined ? String(a.status) : (a.error || 'no answer');
  return `#${a.attempt} ${what} in ${a.latencyMs} ms`;
}

async function loadWebhooks() {
  const data = await control('/sandbox/webhooks?limit=20');
  const hooks = data.webhooks || [];
  $('webhook-info').textContent = `${data.inFlight || 0} deliveries in flight`;
  fill($('webhook-list'), hooks.length ? hooks.map((w) => el('div', { className: 'webhook', 'data-id': w.id },
    el('h3', {}, tag(w.scope), ' ', tag(w.type), ' ', el('span', { className: 'url' }, w.url),
      w.label ? [' ', el('span', { className: 'muted' }, w.label)] : null),
    el('table', {},
      el('thead', {}, el('tr', {}, ['event at', 'type', 'state', 'attempts'].map((h) => el('th', {}, h)))),
      el('tbody', {}, (w.notifications || []).length ? w.notifications.map((n) => el('tr', { className: 'delivery' },
        el('td', {}, n.eventAt), el('td', {}, n.type, n.simulation ? ' (simulated)' : ''),
        el('td', { className: 'state' }, n.state),
        el('td', { className: 'attempts' }, (n.attempts || []).map(attemptText).join(', ') || 'none yet')))
        : el('tr', {}, el('td', { className: 'muted', colspan: 4 }, 'no deliveries')))))
  ) : el('p', { className: 'muted' }, 'no webhooks'));
}

// ---- Journal -----------------------------------------------------------------------------

/** Fetches a page of the journal: the newest (polled, live) or one before a `seq` cursor. */
let journalGeneration = 0;

async function loadJournal() {
  const generation = ++journalGeneration; // as for the world: only the newest call draws
  const q = new URLSearchParams({ limit: '50' });
  const status = $('journal-status').value.trim();
  const path = $('journal-path').value.trim();
  const who = $('journal-who').value.trim();
  if (status) q.set('status', status);
  if (path) q.set('path', path);
  if (who) q.set('principal', who);
  if (state.journal.before !== null) q.set('before', String(state.journal.before));
  const data = await control('/sandbox/console/journal?' + q);
  if (generation !== journalGeneration) return;
  const rows = data.requests || [];
  const principal = (r) => r.principal || (r.userId ? 'user ' + r.userId : '') ||
    (r.tokenId ? state.tokenOwners.get(r.tokenId) || 'token ' + r.tokenId : '');
  const older = data.count - rows.length;
  $('journal-info').textContent = (rows.length ? rows.length + ' shown' : 'nothing') +
    (older > 0 ? ', ' + older + ' older' : '') + '; ' + data.held + ' of ' + data.capacity + ' held' +
    (data.dropped ? ', ' + data.dropped + ' dropped' : '');
  $('journal-older').disabled = older <= 0;
  $('journal-older').dataset.cursor = rows.length ? String(rows[rows.length - 1].seq) : '';
  $('journal-newer').disabled = state.journal.before === null;
  $('journal-newest').disabled = state.journal.before === null;
  const key = JSON.stringify([state.journal.before, data.count, rows.map((r) => [r.seq, principal(r)])]);
  if (key === state.journalSeen) return;
  // The journal is the change feed: a new entry on the live page means the world moved.
  const newest = state.journal.before === null && rows.length ? rows[0].seq : null;
  if (newest !== null && state.newestSeq !== undefined && newest !== state.newestSeq) refreshPanels(false);
  if (newest !== null) state.newestSeq = newest;
  state.journalSeen = key;
  fill($('journal-rows'), rows.map((r) => el('tr', {
    className: 's' + String(r.status)[0], 'data-seq': r.seq,
    onclick: () => showEntry(r),
  },
  el('td', {}, r.seq), el('td', {}, iso(r.atMs)), el('td', { className: 'st' }, r.status),
  el('td', {}, r.method), el('td', { className: 'path' }, r.path + (r.query ? '?' + r.query : '')),
  el('td', { className: 'who' }, principal(r)),
  el('td', {}, (r.latencyUs / 1000).toFixed(1) + ' ms'),
  el('td', { className: 'refused' }, r.refusedBy || (r.fault ? 'fault ' + r.fault : '')))));
}

/** A body as the journal kept it, pretty-printed when it is JSON. */
function pretty(body) {
  if (!body) return '(no body)';
  try { return JSON.stringify(JSON.parse(body), null, 2); } catch (_) { return body; }
}

/** A shell word, single-quoted. */
function shellWord(text) { return "'" + String(text).replace(/'/g, "'\\''") + "'"; }

/** The entry as a curl command line (secrets stay redacted: put your own token back). */
function curlOf(r) {
  const skip = new Set(['host', 'content-length', 'connection', 'accept-encoding']);
  const parts = ['curl', '-X', r.method, shellWord(location.origin + state.base + r.path + (r.query ? '?' + r.query : ''))];
  for (const [k, v] of r.requestHeaders || []) if (!skip.has(k.toLowerCase())) parts.push('-H', shellWord(k + ': ' + v));
  if (r.requestBody) parts.push('--data-raw', shellWord(r.requestBody));
  return parts.join(' ');
}

/** Shows one journal entry: its line, both bodies pretty-printed, and copy-as-curl. */
function showEntry(r) {
  $('journal-detail').hidden = false;
  $('journal-line').textContent = '#' + r.seq + ' ' + r.method + ' ' + r.path + (r.query ? '?' + r.query : '') + ' \u2192 ' + r.status +
    (r.refusedBy ? ' refused by ' + r.refusedBy : '') + (r.reason ? ': ' + r.reason : '');
  const headers = (r.requestHeaders || []).map(([k, v]) => k + ': ' + v).join('\n');
  $('journal-request').textContent = (headers ? headers + '\n\n' : '') + pretty(r.requestBody);
  $('journal-response').textContent = pretty(r.responseBody);
  $('journal-curl').dataset.curl = curlOf(r);
  $('journal-copied').textContent = '';
}

async function copyCurl() {
  const text = $('journal-curl').dataset.curl || '';
  try { await navigator.clipboard.writeText(text); $('journal-copied').textContent = 'copied'; } catch (_) {
    $('journal-copied').textContent = text; // no clipboard (plain http, a headless browser): shown instead
  }
}

/** Moves the journal a page back (`older`), forward (`newer`) or to the live newest page. */
function pageJournal(where) {
  const j = state.journal;
  if (where === 'older') {
    const cursor = $('journal-older').dataset.cursor;
    if (!cursor) return;
    j.newer.push(j.before);
    j.before = Number(cursor);
  } else if (where === 'newer') {
    j.before = j.newer.length ? j.newer.pop() : null;
  } else {
    j.before = null;
    j.newer = [];
  }
  state.journalSeen = null;
  guarded('journal', loadJournal);
}

// ---- Wiring ------------------------------------------------------------------------------

/** Redraws every panel but the sandboxes list (after an action, or a new journal entry). */
async function refreshPanels(withJournal = true) {
  await Promise.all([
    guarded('clock', loadClock),
    guarded('world', loadWorld),
    guarded('tokens', loadTokens),
    guarded('bitwarden', loadBitwarden),
    guarded('outbox', loadOutbox),
    guarded('webhooks', loadWebhooks),
  ]);
  if (withJournal) await guarded('journal', loadJournal);
  document.body.dataset.refreshed = String(Date.now());
}

async function refreshAll() {
  say('');
  // The panels load side by side; the journal last, as it names tokens' owners.
  await Promise.all([
    guarded('sandboxes', loadSandboxes),
    guarded('demo login', loadDemoLogin),
    guarded('clock', loadClock),
    guarded('world', loadWorld),
    guarded('tokens', loadTokens),
    guarded('bitwarden', loadBitwarden),
    guarded('outbox', loadOutbox),
    guarded('webhooks', loadWebhooks),
  ]);
  await guarded('journal', loadJournal);
  document.body.dataset.loaded = String(Date.now());
}

document.addEventListener('DOMContentLoaded', () => {
  $('sandbox-select').addEventListener('change', (e) => switchTo(e.target.value));
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.adminKey = $('key-input').value.trim();
    sessionStorage.setItem('orgbox-admin-key', state.adminKey);
    $('key-form').hidden = true;
    refreshAll();
  });
  $('create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    guarded('create', async () => {
      const name = $('create-name').value.trim();
      const s = await control('/sandbox/sandboxes', { method: 'POST', body: { name }, absolute: true });
      $('create-name').value = '';
      switchTo(s.basePath || '/s/' + name);
    });
  });
  $('snapshot-download').addEventListener('click', downloadSnapshot);
  $('snapshot-upload').addEventListener('change', uploadSnapshot);
  $('clock-form').addEventListener('submit', (e) => {
    e.preventDefault();
    moveClock({ advanceSeconds: Number($('clock-advance').value) });
  });
  $('clock-freeze').addEventListener('click', () => moveClock({ freeze: !$('clock-freeze').dataset.frozen }));
  $('clock-reset').addEventListener('click', () => moveClock({ reset: true }));
  $('world-refresh').addEventListener('click', () => refreshPanels());
  $('journal-curl').addEventListener('click', copyCurl);
  $('world-prev').addEventListener('click', () => pageWorld(-1));
  $('world-next').addEventListener('click', () => pageWorld(1));
  let searchTimer = null;
  $('world-q').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.world.q = $('world-q').value.trim();
      state.world.offset = 0;
      guarded('world', loadWorld);
    }, 250);
  });
  $('world-search').addEventListener('submit', (e) => e.preventDefault());
  $('login-form').addEventListener('submit', (e) => login(e).catch((err) => say('login: ' + err.message)));
  $('act-logout').addEventListener('click', () => logout().catch((err) => say('logout: ' + err.message)));
  $('journal-filter').addEventListener('input', () => pageJournal('newest'));
  $('journal-filter').addEventListener('submit', (e) => e.preventDefault());
  $('journal-older').addEventListener('click', () => pageJournal('older'));
  $('journal-newer').addEventListener('click', () => pageJournal('newer'));
  $('journal-newest').addEventListener('click', () => pageJournal('newest'));
  refreshAll();
  setInterval(() => { if (state.journal.before === null) guarded('journal', loadJournal); }, 2000);
});
