// orgbox console: the demo actions. Money moves (deposit, withdrawal, trade, child enterprise,
// KYC submission) go through the public API as the user the console acts as, so the rules
// answer as they would answer that user's own client; sandbox levers (faucet, price, KYC
// decision, faults, Bitwarden seats) go through the control plane. Uses app.js's helpers.
'use strict';

/** The Go Account assets and their decimals (as `domain::money` defines them). */
const ASSETS = [
  { id: 'ofctbtc', currency: 'BTC', decimals: 8 },
  { id: 'ofctusd', currency: 'USD', decimals: 2 },
  { id: 'ofctsol', currency: 'SOL', decimals: 9 },
  { id: 'ofctusdc', currency: 'USDC', decimals: 6 },
];

/** What the last world page showed, for the pickers: Go Accounts, organizations, identities. */
const seen = { accounts: [], organizations: [], children: [] };

/** `amount` in whole units (e.g. "1.5") as base units of `assetId` (a string of digits). */
function baseUnits(amount, assetId) {
  const asset = ASSETS.find((a) => a.id === assetId);
  const m = /^(\d+)(?:\.(\d*))?$/.exec(String(amount).trim());
  if (!asset || !m || (m[2] || '').length > asset.decimals) throw new Error('amount ' + amount + ' is not a ' + asset.currency + ' amount');
  const units = (m[1] + (m[2] || '').padEnd(asset.decimals, '0')).replace(/^0+(?=\d)/, '');
  if (/^0+$/.test(units)) throw new Error('the amount must be above 0');
  return units;
}

/** Says how an action went, in the actions panel. */
function told(text, ok) {
  const out = $('action-result');
  out.className = ok ? 'ok' : 'refused';
  out.textContent = text;
}

/** Says what the public API answered, naming the rule on a refusal. */
function answered(action, r, okText) {
  if (r.status >= 200 && r.status < 300) { told(action + ': ' + okText, true); return true; }
  const name = r.json && (r.json.name || r.json.errorName);
  told(action + ' refused (' + r.status + (name ? ' ' + name : '') + '): ' + ((r.json && r.json.error) || ''), false);
  return false;
}

/** Runs an action; an error thrown (bad input, the control plane's refusal) is said too. Every
 * panel is refreshed after, whatever the outcome. */
async function act(what, fn) {
  try { await fn(); } catch (e) { told(what + ': ' + e.message, false); }
  await refreshPanels();
}

/** The session's token, or a note to log in first. */
function asUser(action) {
  if (state.session) return state.session.token;
  told(action + ': log in as a user first (Act as a user)', false);
  return null;
}

/** Fills the pickers from the world page just drawn (keeping what was picked). */
function pickersFrom(world) {
  const orgs = world.organizations || [];
  seen.organizations = orgs.filter((o) => o.id);
  seen.accounts = [];
  seen.children = [];
  for (const o of orgs) {
    for (const e of o.enterprises) {
      for (const a of e.goAccounts) seen.accounts.push({ id: a.id, label: a.label, enterprise: e });
      if (!e.parent && e.organizationId) seen.children.push(e);
    }
  }
  for (const select of document.querySelectorAll('select.account-pick')) {
    const kept = select.value;
    fill(select, seen.accounts.map((a) => el('option', { value: a.id }, a.label + ' (' + a.enterprise.name + ')')));
    if (seen.accounts.some((a) => a.id === kept)) select.value = kept;
  }
}

function assetPickers() {
  for (const select of document.querySelectorAll('select.asset-pick')) {
    fill(select, ASSETS.map((a) => el('option', { value: a.id }, a.currency)));
  }
}

/** The Bitwarden organizations for the seats form (from the Bitwarden panel's answer). */
function bitwardenPicker(orgs) {
  const select = $('bw-org');
  const kept = select.value;
  fill(select, orgs.map((o) => el('option', { value: o.id }, o.name + ' (' + (o.seats === null ? 'unlimited' : o.seats) + ' seats)')));
  if (kept) select.value = kept;
}

// ---- the actions -------------------------------------------------------------------------

async function fund(ev) {
  ev.preventDefault();
  await act('fund', async () => {
    const asset = $('fund-asset').value;
    const r = await control('/sandbox/wallets/' + encodeURIComponent($('fund-account').value) + '/faucet', {
      method: 'POST', body: { asset, amount: baseUnits($('fund-amount').value, asset) },
    });
    told('funded ' + $('fund-amount').value + ' ' + asset + '; available now ' + r.balance.available + ' base units', true);
  });
}

async function deposit(ev) {
  ev.preventDefault();
  const token = asUser('deposit');
  if (!token) return;
  await act('deposit', async () => {
    const r = await vendor('/api/fiat/v1/sandbox/transaction/simulate', {
      method: 'POST', token,
      // BitGo's simulator takes the amount in cents.
      body: { walletId: $('deposit-account').value, currency: 'USD', amount: baseUnits($('deposit-amount').value, 'ofctusd'), type: 'wire' },
    });
    answered(state.session.username + ' deposits ' + $('deposit-amount').value + ' USD', r, 'arrived');
  });
}

async function withdraw(ev) {
  ev.preventDefault();
  const token = asUser('withdraw');
  if (!token) return;
  await act('withdraw', async () => {
    const asset = $('withdraw-asset').value;
    const amount = baseUnits($('withdraw-amount').value, asset);
    const r = await vendor('/api/v2/' + asset + '/wallet/' + encodeURIComponent($('withdraw-account').value) + '/tx/initiate', {
      method: 'POST', token,
      body: { recipients: [{ address: $('withdraw-address').value.trim(), amount }], otp: $('act-otp').value },
    });
    // tx/initiate answers 202 with the pending approval itself (BitGo's PendingApproval).
    const held = r.status === 202 && r.json;
    answered(state.session.username + ' withdraws ' + $('withdraw-amount').value + ' ' + asset, r,
      held ? 'held for approval (' + held.state + ')' : 'sent');
  });
}

async function trade(ev) {
  ev.preventDefault();
  const token = asUser('trade');
  if (!token) return;
  await act('trade', async () => {
    const side = $('trade-side').value;
    const quantity = $('trade-quantity').value.trim();
    const r = await vendor('/api/prime/trading/v1/accounts/' + encodeURIComponent($('trade-account').value) + '/orders', {
      method: 'POST', token,
      body: { clientOrderId: 'console-' + Date.now(), product: 'BTC-USD', type: 'market', side, quantity, quantityCurrency: 'BTC' },
    });
    answered(state.session.username + ' ' + side + 's ' + quantity + ' BTC', r, 'order ' + ((r.json && r.json.status) || r.status));
  });
}

async function setPrice(ev) {
  ev.preventDefault();
  await act('price', async () => {
    const asset = $('price-asset').value;
    const r = await control('/sandbox/prices/' + asset, { method: 'PUT', body: { usd: $('price-usd').value.trim() } });
    told(asset + ' is now ' + r.usd + ' USD' + (r.filledOrders ? '; ' + r.filledOrders + ' orders filled' : ''), true);
  });
}

async function createChild(ev) {
  ev.preventDefault();
  const token = asUser('child enterprise');
  if (!token) return;
  await act('child enterprise', async () => {
    const org = seen.organizations.find((o) => o.members.some((m) => m.username === state.session.username)) || seen.organizations[0];
    if (!org) throw new Error('no organization on this page');
    const service = org.members.find((m) => m.role === 'serviceUser');
    const email = $('child-email').value.trim();
    const r = await vendor('/api/v2/organization/' + encodeURIComponent(org.id) + '/enterprise', {
      method: 'POST', token,
      body: { email, idempotencyKey: 'console-' + email, additionalAdmins: service ? [service.userId] : [] },
    });
    answered(state.session.username + ' creates a child enterprise for ' + email, r,
      'enterprise ' + ((r.json && r.json.enterpriseId) || ''));
  });
}

/** Submits BitGo's documented US-individual KYC for the newest child enterprise's user. */
async function submitKyc() {
  const token = asUser('KYC');
  if (!token) return;
  await act('KYC', async () => {
    const email = $('child-email').value.trim();
    const child = seen.children.find((e) => e.users.some((u) => u.username === email)) || seen.children[seen.children.length - 1];
    if (!child) throw new Error('no child enterprise on this page');
    const user = child.users.find((u) => u.organizationRole === 'customer') || child.users[child.users.length - 1];
    const r = await vendor('/api/evs/v1/identity', {
      method: 'POST', token,
      body: {
        enterpriseId: child.id, userId: user.id, organizationId: child.organizationId,
        nameFirst: 'Jordan', nameLast: 'Rivers', phoneNumber: '+14155550123', birthdate: '1990-03-13T00:00:00Z',
        occupation: 'Other - Default', countryOfCitizenship: 'USA', countryOfResidence: 'USA',
        govIdCountryOfIssuance: 'USA', identificationNumber: '494-14-2205', politicallyExposedPerson: false,
        addressStreet1: '1 Market Street', addressCity: 'San Jose', addressSubdivision: 'CA', country: 'USA',
        addressPostalCode: '95113', transactionType: 'institutionalIndividual',
      },
    });
    answered(state.session.username + ' submits KYC for ' + user.username, r, 'identity ' + ((r.json && r.json.status) || ''));
  });
}

/** Decides a KYC identity now (the control plane), instead of waiting for the clock. */
async function decideKyc(identity, status) {
  await act('KYC decision', async () => {
    const r = await control('/sandbox/kyc/' + encodeURIComponent(identity.id) + '/complete', { method: 'POST', body: { status } });
    told('KYC ' + r.status + ' for identity ' + r.id, true);
  });
}

async function addFault(ev) {
  ev.preventDefault();
  await act('fault', async () => {
    const body = { path: $('fault-path').value.trim() || '*', status: Number($('fault-status').value) };
    if ($('fault-method').value) body.method = $('fault-method').value;
    if ($('fault-times').value.trim()) body.times = Number($('fault-times').value);
    const r = await control('/sandbox/faults', { method: 'POST', body });
    told('fault ' + r.id + ' added: ' + (body.method || 'any') + ' ' + body.path + ' answers ' + body.status, true);
  });
}

async function clearFault(id) {
  await act('fault', async () => {
    await control(id === undefined ? '/sandbox/faults' : '/sandbox/faults/' + id, { method: 'DELETE' });
    told(id === undefined ? 'every fault cleared' : 'fault ' + id + ' cleared', true);
  });
}

async function setSeats(ev) {
  ev.preventDefault();
  await act('Bitwarden', async () => {
    const r = await control('/sandbox/bitwarden/organizations/' + encodeURIComponent($('bw-org').value), {
      method: 'PATCH', body: { seats: Number($('bw-seats').value) },
    });
    told('Bitwarden organization now has ' + r.seats + ' seats', true);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  assetPickers();
  $('fund-form').addEventListener('submit', fund);
  $('deposit-form').addEventListener('submit', deposit);
  $('withdraw-form').addEventListener('submit', withdraw);
  $('trade-form').addEventListener('submit', trade);
  $('price-form').addEventListener('submit', setPrice);
  $('child-form').addEventListener('submit', createChild);
  $('kyc-submit').addEventListener('click', submitKyc);
  $('fault-form').addEventListener('submit', addFault);
  $('fault-clear').addEventListener('click', () => clearFault());
  $('bw-form').addEventListener('submit', setSeats);
});
