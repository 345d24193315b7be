// Drives the orgbox web console in headless Chromium (puppeteer-core, Debian's chromium): the
// seeded world tree, the live journal, acting as users on a pending approval (the creator is
// refused, a second admin applies it), an XSS check, and a reset that brings the world back.
// Prints TAP-like `ok` / `not ok` lines and a `N passed, M failed` summary.
// Needs ORGBOX_URL and CHROME; writes a screenshot to SCREENSHOT when set.
import puppeteer from 'puppeteer-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.ORGBOX_URL;
const CHROME = process.env.CHROME;
const SCREENSHOT = process.env.SCREENSHOT;
const PASSWORD = 'Prestige-Worldwide-2026';
const OTP = '000000';
const XSS = '<img src=x onerror=alert(1)>';
const BRENNAN = 'brennan@prestige-worldwide.test';
const DALE = 'dale@prestige-worldwide.test';
const SERVICE = 'service@prestige-worldwide.test';
const NEW_ADMIN = 'console.admin@example.test';

let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed += 1; console.log('ok - ' + name); } else { failed += 1; console.log('not ok - ' + name + (detail ? ': ' + detail : '')); }
}

async function api(path, { method = 'GET', body, token } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (_) { json = text; }
  return { status: res.status, json };
}

async function login(email) {
  const r = await api('/api/v2/user/login', { method: 'POST', body: { email, password: PASSWORD, otp: OTP } });
  if (r.status !== 200) throw new Error('login ' + email + ': ' + r.status + ' ' + JSON.stringify(r.json));
  return r.json.access_token;
}

/** Texts of every node matching `selector`. */
function texts(page, selector) {
  return page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent));
}

async function waitText(page, selector, wanted, timeout = 8000) {
  try {
    await page.waitForFunction((sel, w) => [...document.querySelectorAll(sel)].some((n) => n.textContent.includes(w)),
      { timeout, polling: 100 }, selector, wanted);
    return true;
  } catch (_) { return false; }
}

async function waitNoText(page, selector, unwanted, timeout = 8000) {
  try {
    await page.waitForFunction((sel, w) => ![...document.querySelectorAll(sel)].some((n) => n.textContent.includes(w)),
      { timeout, polling: 100 }, selector, unwanted);
    return true;
  } catch (_) { return false; }
}

async function actAs(page, email) {
  await page.$eval('#act-user', (n) => { n.value = ''; });
  await page.type('#act-user', email);
  await page.$eval('#act-password', (n) => { n.value = ''; });
  await page.type('#act-password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  // Logged in, and the world redrawn through the user's eyes (so no handle is taken to a node
  // about to be replaced).
  return await waitText(page, '#act-name', email) && waitText(page, '#world-viewer', email);
}

/** Which drawing of the world is on screen (the console stamps each one on #world-tree). */
function worldDrawn(page) {
  return page.$eval('#world-tree', (n) => Number(n.dataset.generation || 0));
}

/** Waits until the world is drawn again after drawing `before`. */
function worldRedrawn(page, before, timeout = 8000) {
  return page.waitForFunction((b) => Number(document.getElementById('world-tree').dataset.generation || 0) > b,
    { timeout, polling: 100 }, before).then(() => true, () => false);
}

async function approveButton(page, approvalId) {
  return page.$(`.approval[data-id="${approvalId}"] button.approve`);
}

async function main() {
  // A pending approval, created by Brennan: adding an enterprise admin.
  const brennan = await login(BRENNAN);
  const ents = await api('/api/v2/enterprise', { token: brennan });
  const parent = ents.json.enterprises.find((e) => e.name === 'Prestige Worldwide') || ents.json.enterprises[0];
  const created = await api(`/api/v2/enterprise/${parent.id}/user`, {
    method: 'POST', token: brennan, body: { permission: 'admin', usernames: [NEW_ADMIN] },
  });
  check('a pending approval is created through the API', created.status >= 200 && created.status < 300 && created.json.state === 'pending', JSON.stringify(created.json));
  const approvalId = created.json.id;
  // Long-lived tokens: one for an hour with a hostile label, one for a year.
  const short = await api('/api/v2/user/accesstoken', {
    method: 'POST', token: brennan,
    body: { label: XSS, scope: ['enterprise_view_all'], duration: 3600, otp: OTP },
  });
  check('a short token with a hostile label is created', short.status === 200, JSON.stringify(short.json));
  const long = await api('/api/v2/user/accesstoken', {
    method: 'POST', token: brennan,
    body: { label: 'console-long', scope: ['enterprise_view_all', 'profile'], duration: 31536000, otp: OTP },
  });
  check('a long token is created', long.status === 200, JSON.stringify(long.json));
  // A refusal for the journal.
  const refused = await api('/api/v2/user/me', { token: 'v2x' + '0'.repeat(64) });
  check('a request with an unknown token is refused', refused.status === 401);

  const browser = await puppeteer.launch({
    executablePath: CHROME,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const dialogs = [];
  const pageErrors = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1500, height: 1100 });
    page.on('dialog', async (d) => {
      if (d.type() === 'confirm') { await d.accept(); return; }
      dialogs.push(d.type() + ': ' + d.message());
      await d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));

    // `/` leads to the console.
    const root = await page.goto(BASE + '/', { waitUntil: 'domcontentloaded' });
    check('/ redirects to /console/', page.url() === BASE + '/console/' && root.ok(), page.url());
    await page.waitForSelector('body[data-loaded]', { timeout: 10000 });

    // The seeded world tree.
    check('the organization is drawn', (await texts(page, '.org-name')).includes('Prestige Worldwide'));
    check('its parent enterprise is drawn', (await texts(page, '.ent.parent .ent-name')).includes('Prestige Worldwide'));
    check('the child enterprise hangs under the parent',
      (await texts(page, '.ent.parent .ent.child .ent-name')).includes('chazz@prestige-worldwide.test'));
    const brennanRow = await page.$eval(`.ent.parent > ul > li[data-user="${BRENNAN}"]`, (n) => n.textContent);
    check('the organization admin is marked', brennanRow.includes('organization admin'), brennanRow);
    const service = await page.$eval('.ent.parent > ul > li[data-user="service@prestige-worldwide.test"]', (n) => n.textContent);
    check('the service user is marked', service.includes('service user'), service);
    const dale = await page.$eval(`.ent.parent > ul > li[data-user="${DALE}"]`, (n) => n.textContent);
    check('the video approver is marked', dale.includes('video approver'), dale);
    check('KYC state is shown', (await texts(page, '.ent.child > .name')).some((t) => t.includes('KYC approved')));
    const account = '.ent.child .account';
    check('the child enterprise\'s Go Account is drawn', (await texts(page, account + ' .account-name'))
      .some((t) => t.includes('chazz@prestige-worldwide.test')));
    const balances = await texts(page, account + ' table.balances tr[data-currency]');
    check('its balances are shown', balances.some((t) => t.startsWith('BTC10')) && balances.some((t) => t.startsWith('USD1000000')),
      balances.join(' | '));
    check('its users are shown with their permissions',
      (await page.$eval(account, (n) => n.textContent))
        .includes('users: service@prestige-worldwide.test (admin spend view), chazz@prestige-worldwide.test (view)'));
    const approval = await page.$eval(`.approval[data-id="${approvalId}"]`, (n) => n.textContent).catch(() => '');
    const waitsFor = approval.split('awaiting')[1] || '';
    check('the pending approval says in words what it does and who may resolve it',
      approval.startsWith('add ' + NEW_ADMIN + ' as admin') && waitsFor.includes('a second admin') &&
      waitsFor.includes(DALE) && !waitsFor.split('(asked by')[0].includes(BRENNAN) &&
      waitsFor.includes('(asked by ' + BRENNAN + ')') && !approval.includes('{'), approval);

    // The journal: what happened before, and a request made while the page is open.
    check('the journal shows the login', await waitText(page, '#journal-rows td.path', '/api/v2/user/login'));
    check('the journal names the rule of a refusal', await waitText(page, '#journal-rows td.refused', 'Unauthorized'));
    await api('/api/v2/user/me?console-probe=1', { token: brennan });
    check('the journal picks up a new request by polling', await waitText(page, '#journal-rows td.path', 'console-probe=1', 6000));
    check('the journal names the principal of a request', await waitText(page, '#journal-rows td.who', BRENNAN));
    await page.type('#journal-who', BRENNAN);
    check('filtering by a principal\'s email keeps only their requests', await page.waitForFunction((who) => {
      const cells = [...document.querySelectorAll('#journal-rows td.who')].map((n) => n.textContent);
      return cells.length > 0 && cells.every((c) => c === who);
    }, { timeout: 5000 }, BRENNAN).then(() => true, () => false));
    await page.$eval('#journal-who', (n) => { n.value = ''; });
    await page.type('#journal-who', 'dale@');
    check('filtering by a principal with no requests empties the journal',
      await page.waitForFunction(() => document.querySelectorAll('#journal-rows tr').length === 0, { timeout: 5000 })
        .then(() => true, () => false));
    await page.$eval('#journal-who', (n) => { n.value = ''; n.dispatchEvent(new Event('input', { bubbles: true })); });
    await page.type('#journal-status', '4xx');
    check('filtering by status keeps only refusals', await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('#journal-rows td.st')].map((n) => n.textContent);
      return cells.length > 0 && cells.every((c) => c.startsWith('4'));
    }, { timeout: 5000 }).then(() => true, () => false));
    await page.$eval('#journal-status', (n) => { n.value = ''; n.dispatchEvent(new Event('input', { bubbles: true })); });
    await waitText(page, '#journal-rows td.path', 'console-probe=1');
    await page.click('#journal-rows tr');
    check('a click opens the request with both bodies',
      (await page.$eval('#journal-response', (n) => n.textContent)).includes('"username": "' + BRENNAN + '"') &&
      (await page.$eval('#journal-request', (n) => n.textContent)).includes('authorization: [redacted]'));

    // Outbox: the invitation to the new admin's address waits for the approval; the demo's own
    // mail is listed with an accept link when there is one.
    check('the outbox panel is drawn', (await page.$$('#outbox-list li')).length > 0);

    // The Bitwarden world.
    check('the Bitwarden organization is drawn', (await texts(page, '.bw-org-name')).includes('Vandelay Industries'));
    const art = await page.$eval('#bw-tree li[data-email="art@vandelay.test"]', (n) => n.textContent).catch(() => '');
    check('its owner is marked', art.includes('Owner') && art.includes('Art Vandelay'), art);

    // Tokens: listed with scopes and expiry, never their value; the hostile label is text.
    const shortRow = `#token-rows tr[data-id="${short.json.id}"]`;
    const shortText = await page.$eval(shortRow, (n) => n.textContent).catch(() => '');
    check('the tokens panel lists the short token with its scopes', shortText.includes('enterprise_view_all'), shortText);
    check('the token\'s id is shown', (await page.$eval(shortRow + ' td.token-id', (n) => n.textContent)) === short.json.id);
    check('its hostile label renders as text', (await page.$eval(shortRow + ' td.label', (n) => n.textContent)) === XSS);
    check('no token value is on the page', !(await page.content()).includes(short.json.token));
    check('the short token is not expired yet', !shortText.includes('expired'));

    // The clock.
    const before = await page.$eval('#clock-now', (n) => n.textContent);
    await page.$eval('#clock-advance', (n) => { n.value = '86400'; });
    await page.click('#clock-form button[type=submit]');
    await page.waitForFunction((b) => document.getElementById('clock-now').textContent !== b, { timeout: 5000 }, before).catch(() => {});
    const after = await page.$eval('#clock-now', (n) => n.textContent);
    check('advancing the clock moves it by a day', Date.parse(after) - Date.parse(before) >= 86400000, before + ' -> ' + after);
    check('the hour-long token shows expired', await waitText(page, shortRow + ' td.expiry', 'expired'));
    check('the year-long token does not',
      !(await page.$eval(`#token-rows tr[data-id="${long.json.id}"]`, (n) => n.textContent)).includes('expired'));
    await page.click('#clock-reset');
    check('back on real time the token is live again', await waitNoText(page, shortRow + ' td.expiry', 'expired'));

    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Act as the creator: the public API refuses their own approval.
    check('logs in as the creator', await actAs(page, BRENNAN));
    const beforeApprove = await worldDrawn(page);
    await (await approveButton(page, approvalId)).click();
    check('the creator approving is refused', await waitText(page, '#act-result', 'refused'),
      await page.$eval('#act-result', (n) => n.textContent));
    check('the world is drawn again after the refusal', await worldRedrawn(page, beforeApprove));
    check('the approval is still pending', (await page.$(`.approval[data-id="${approvalId}"]`)) !== null);

    // Through the organization admin's eyes: the child enterprise is visible, its Go Account
    // may not be traded or withdrawn from, and a real order through the trading API is refused.
    check('the world is drawn as the organization admin sees it',
      (await page.$eval('#world-viewer', (n) => n.textContent)).includes(BRENNAN));
    const adminView = await page.$eval(account + ' .view-as', (n) => n.textContent).catch(() => '');
    check('the organization admin may view the Go Account but not trade or withdraw',
      adminView.includes('view: yes') && adminView.includes('trade: no, OrganizationAdminCannotTransact') &&
      adminView.includes('withdraw: no, OrganizationAdminCannotTransact'), adminView);
    const beforeOrder = await worldDrawn(page);
    await page.click(account + ' button.trade');
    check('an order placed as the organization admin is refused by the API',
      await waitText(page, '#act-result', '403 OrganizationAdminCannotTransact'), await page.$eval('#act-result', (n) => n.textContent));
    check('the world is drawn again after the refused order', await worldRedrawn(page, beforeOrder));
    check('no order was placed', (await texts(page, account + ' ul.orders li')).length === 0);

    // Revoke the long token as its owner, through the public API.
    await page.click(`#token-rows tr[data-id="${long.json.id}"] button.revoke`);
    const revoked = await page.waitForFunction((id) => !document.querySelector(`#token-rows tr[data-id="${id}"]`),
      { timeout: 5000 }, long.json.id).then(() => true, () => false);
    check('revoking as the owner removes the token', revoked, await page.$eval('#act-result', (n) => n.textContent));
    const mine = await api('/api/v2/user/accesstoken', { token: brennan });
    check('the API agrees it is revoked', !JSON.stringify(mine.json).includes(long.json.id));

    // Act as a second admin: approved and applied.
    check('logs in as a second admin', await actAs(page, DALE));
    await (await approveButton(page, approvalId)).click();
    check('the second admin approves', await waitText(page, '#act-result', 'approved'),
      await page.$eval('#act-result', (n) => n.textContent));
    const gone = await page.waitForFunction((id) => !document.querySelector(`.approval[data-id="${id}"]`), { timeout: 5000 }, approvalId)
      .then(() => true, () => false);
    check('the approval leaves the tree', gone);
    check('the new admin appears in the parent enterprise', await waitText(page, '.ent.parent > ul > li', NEW_ADMIN));
    const applied = await api(`/api/v2/enterprise/${parent.id}/user`, { token: brennan });
    check('the API agrees the change applied', JSON.stringify(applied.json).includes(NEW_ADMIN));

    // The new admin's invitation: the accept page's own script posts the password as JSON.
    const mail = await api('/sandbox/outbox?to=' + encodeURIComponent(NEW_ADMIN));
    const link = mail.json.messages && mail.json.messages[0] && mail.json.messages[0].link;
    check('the new admin is sent an invitation link', typeof link === 'string' && link.startsWith(BASE + '/sandbox/invitations/'), link);
    const tab = await browser.newPage();
    tab.on('pageerror', (e) => pageErrors.push(String(e)));
    await tab.goto(link, { waitUntil: 'domcontentloaded' });
    await tab.type('input[name=password]', 'Console-Invitee-2026');
    await tab.click('#accept button[type=submit]');
    check('the accept page sets the password', await waitText(tab, '#result', 'Invitation accepted'),
      await tab.$eval('#result', (n) => n.textContent));
    const invitee = await api('/api/v2/user/login', { method: 'POST', body: { email: NEW_ADMIN, password: 'Console-Invitee-2026', otp: OTP } });
    check('the invitee logs in with it', invitee.status === 200, JSON.stringify(invitee.json));

    // A page of another origin (localhost is not 127.0.0.1) cannot drive the control plane, even
    // with a request the browser sends without asking (text/plain, no-cors).
    await tab.goto(BASE.replace('127.0.0.1', 'localhost') + '/sandbox/health', { waitUntil: 'domcontentloaded' });
    const sent = await tab.evaluate(async (target) => {
      await fetch(target + '/sandbox/seed', {
        method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ password: 'Planted-Password-1', users: [{ email: 'planted@evil.example' }] }),
      });
      return 'sent';
    }, BASE).catch((e) => String(e));
    const planted = await api('/api/v2/user/login', { method: 'POST', body: { email: 'planted@evil.example', password: 'Planted-Password-1', otp: OTP } });
    check('a cross-origin simple request creates nothing', sent === 'sent' && planted.status === 401, sent + ', login ' + planted.status);
    await tab.close();

    // The service user trades on the child's Go Account: the order and the new balance show.
    check('logs in as the service user', await actAs(page, SERVICE));
    const serviceView = await page.$eval(account + ' .view-as', (n) => n.textContent).catch(() => '');
    check('the service user may trade and withdraw', serviceView.includes('trade: yes') && serviceView.includes('withdraw: yes'), serviceView);
    await page.click(account + ' button.trade');
    check('the service user\'s order is accepted', await waitText(page, '#act-result', 'buying 0.001 BTC'),
      await page.$eval('#act-result', (n) => n.textContent));
    check('the order shows under recent orders', await waitText(page, account + ' ul.orders li', 'buy 0.001 BTC BTC-USD market'));
    check('the balance shows the bought BTC', await waitText(page, account + ' tr[data-currency="BTC"]', '10.001'));

    // An email typed in another case logs in as the same user and draws their view.
    await page.$eval('#act-user', (n) => { n.value = ''; });
    await page.type('#act-user', DALE.toUpperCase());
    await page.click('#login-form button[type=submit]');
    check('logs in with the email in capitals as the same user',
      await waitText(page, '#act-name', DALE) && await waitText(page, '#world-viewer', DALE),
      await page.$eval('#act-who', (n) => n.textContent));

    // Logging out returns to the administrator's view.
    await page.click('#act-logout');
    check('logging out ends acting as a user', await waitText(page, '#act-who', 'not logged in'));
    check('the world is drawn for the administrator again', await waitText(page, '#world-viewer', 'Showing every enterprise'));

    // A snapshot of this state, to load back through the console after the reset.
    const snap = await fetch(BASE + '/sandbox/snapshot');
    const snapPath = join(mkdtempSync(join(tmpdir(), 'orgbox-console-')), 'after-approval.sqlite');
    writeFileSync(snapPath, Buffer.from(await snap.arrayBuffer()));
    check('a snapshot is saved through the API', snap.status === 200);

    // XSS: names are user input and render as text.
    const seeded = await api('/sandbox/seed', {
      method: 'POST',
      body: {
        password: 'Xss-Password-2026',
        organizations: [{ key: 'x', name: XSS }],
        enterprises: [
          { key: 'xp', name: XSS + ' parent', organization: 'x', business_model: 'cryptoAsAServiceParent' },
          { key: 'xc', name: XSS, organization: 'x', business_model: 'cryptoAsAServiceChild' },
        ],
        users: [{ email: 'xss@example.test', first_name: XSS, last_name: '"><script>alert(2)</script>',
          enterprises: { xp: ['admin'], xc: ['admin'] }, organizations: { x: 'admin' } }],
      },
    });
    check('a hostile fixture is applied through the API', seeded.status === 200, JSON.stringify(seeded.json));
    await page.click('#world-refresh');
    check('the hostile organization name renders as text', await waitText(page, '.org-name', XSS));
    check('the hostile enterprise name renders exactly as text', (await texts(page, '.ent.child .ent-name')).includes(XSS));
    check('the hostile user name renders as text',
      (await texts(page, 'li[data-user="xss@example.test"]')).some((t) => t.includes(XSS) && t.includes('<script>')));
    check('no element came from the names', (await page.$$eval('img, script:not([src])', (n) => n.length)) === 0);
    await new Promise((r) => setTimeout(r, 300));
    check('no dialog fired', dialogs.length === 0, dialogs.join('; '));

    // Reset: the world returns as seeded.
    await page.click('#sandbox-rows tr[data-sandbox="default"] button.reset');
    check('reset removes the hostile organization', await waitNoText(page, '.org-name', XSS));
    check('reset removes the approved admin', await waitNoText(page, '.ent.parent > ul > li', NEW_ADMIN));
    check('the seeded world is back', (await texts(page, '.org-name')).includes('Prestige Worldwide') &&
      (await texts(page, '.ent.child .ent-name')).includes('chazz@prestige-worldwide.test'));

    // Loading the snapshot from the console brings the approved admin back.
    const input = await page.$('#snapshot-upload');
    await input.uploadFile(snapPath);
    check('loading a snapshot restores its state', await waitText(page, '.ent.parent > ul > li', NEW_ADMIN),
      await page.$eval('#status', (n) => n.textContent));
    check('the console says it loaded', await waitText(page, '#status', 'snapshot loaded'));

    // A named sandbox made from the console, then deleted.
    await page.type('#create-name', 'console-demo');
    await page.click('#create-form button[type=submit]');
    check('a named sandbox is created and listed', await waitText(page, '#sandbox-rows td', 'console-demo'));
    check('the console switches to it', await page.waitForFunction(
      () => document.getElementById('sandbox-select').value === '/s/console-demo', { timeout: 5000 }).then(() => true, () => false));
    check('its world is the seeded one', await waitText(page, '.org-name', 'Prestige Worldwide'));
    await page.click('#sandbox-rows tr[data-sandbox="console-demo"] button.delete');
    check('it is deleted', await waitNoText(page, '#sandbox-rows td', 'console-demo'));
    const listed = await api('/sandbox/sandboxes');
    check('the API agrees it is gone', !JSON.stringify(listed.json).includes('console-demo'));

    check('no script error on the page', pageErrors.length === 0, pageErrors.join('; '));
  } finally {
    await browser.close();
  }
}

main().then(
  () => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  (e) => { console.log('not ok - the run died: ' + (e && e.stack || e)); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); },
);
