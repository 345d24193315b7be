// The demo script in headless Chromium, every step a click in the console: the service user
// funds the end user's Go Account and trades; a large withdrawal waits for the video approver,
// who approves it; a deposit arrives; the organization admin makes a child enterprise and
// submits its KYC, which is then approved. Around it: a price change, a fault added and
// cleared, Bitwarden seats, the approval in words, both bodies of a journal entry with
// copy-as-curl, the outbox's bodies, panels refreshed by a change made outside the page, and a
// layout that fits 1280 and 1400 px. Prints `ok` / `not ok` lines, each step's time, and
// writes a screenshot of the finished demo to SCREENSHOT when set.
import puppeteer from 'puppeteer-core';

const BASE = process.env.ORGBOX_URL;
const CHROME = process.env.CHROME;
const SCREENSHOT = process.env.SCREENSHOT;
const PASSWORD = 'Prestige-Worldwide-2026';
const SERVICE = 'service@prestige-worldwide.test';
const BRENNAN = 'brennan@prestige-worldwide.test';
const CHAZZ = 'chazz@prestige-worldwide.test';
const CUSTOMER = 'jordan.rivers@example.test';

let passed = 0;
let failed = 0;
const timings = [];
function check(name, ok, detail) {
  if (ok) { passed += 1; console.log('ok - ' + name); } else { failed += 1; console.log('not ok - ' + name + (detail ? ': ' + detail : '')); }
}

/** Runs one step of the demo and notes its time. */
async function step(name, fn) {
  const started = performance.now();
  await fn();
  timings.push([name, performance.now() - started]);
}

function text(page, selector) {
  return page.$eval(selector, (n) => n.textContent).catch(() => '');
}

async function waitText(page, selector, wanted, timeout = 8000) {
  try {
    await page.waitForFunction((sel, w) => [...document.querySelectorAll(sel)].some((n) => n.textContent.includes(w)),
      { timeout, polling: 50 }, selector, wanted);
    return true;
  } catch (_) { return false; }
}

/** Clicks the node now in the page (a redraw between finding and clicking cannot detach it). */
function clickNow(page, selector) {
  return page.$eval(selector, (n) => n.click());
}

async function setValue(page, selector, value) {
  await page.$eval(selector, (n, v) => { n.value = v; }, value);
}

/** Picks the option of a select whose text includes `wanted`. */
async function pick(page, selector, wanted) {
  const value = await page.$eval(selector, (n, w) => {
    const o = [...n.options].find((x) => x.textContent.includes(w));
    return o ? o.value : null;
  }, wanted);
  if (value === null) throw new Error(selector + ' has no option ' + wanted);
  await page.select(selector, value);
}

async function actAs(page, email) {
  await setValue(page, '#act-user', email);
  await setValue(page, '#act-password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  return await waitText(page, '#act-name', email) && waitText(page, '#world-viewer', email);
}

/** Submits an action's form and waits for the panel's answer (a new one). */
async function action(page, form, wanted) {
  await page.$eval('#action-result', (n) => { n.textContent = ''; });
  await page.click(form + ' button[type=submit]');
  const ok = await waitText(page, '#action-result', wanted);
  return { ok, said: await text(page, '#action-result') };
}

/** Whether everything fits the viewport's width: no sideways scroll of the page, and every
 * button of the sandboxes and tokens tables inside its section. */
async function fits(page) {
  return page.evaluate(() => {
    const cut = [];
    if (document.documentElement.scrollWidth > window.innerWidth) cut.push('page ' + document.documentElement.scrollWidth);
    for (const b of document.querySelectorAll('#sandbox-rows button, #token-rows button, #actions button, #actions select, #actions input')) {
      const box = b.getBoundingClientRect();
      const section = b.closest('section').getBoundingClientRect();
      if (box.right > section.right + 1 || box.left < section.left - 1) cut.push(b.id || b.textContent);
    }
    return cut;
  });
}

function accountOf(page) {
  return '.ent.child .account';
}

async function balance(page, currency) {
  return text(page, `${accountOf(page)} tr[data-currency="${currency}"] td.num`);
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: CHROME, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const dialogs = [];
  const pageErrors = [];
  try {
    const page = await browser.newPage();
    page.on('dialog', async (d) => { dialogs.push(d.type() + ': ' + d.message()); await d.dismiss(); });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.setViewport({ width: 1400, height: 1000 });
    await step('open the console', async () => {
      await page.goto(BASE + '/console/', { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.body.dataset.loaded, { timeout: 10000 });
    });
    check('the account title reads as the label once', (await text(page, `${accountOf(page)} > .name`))
      .startsWith(CHAZZ + ' Go Account'), await text(page, `${accountOf(page)} > .name`));
    for (const width of [1280, 1400]) {
      await page.setViewport({ width, height: 1000 });
      const cut = await fits(page);
      check(`nothing is cut off at ${width} px`, cut.length === 0, cut.join(', '));
    }

    await step('log in as the service user', async () => check('logs in as the service user', await actAs(page, SERVICE)));
    await step('fund 1 BTC', async () => {
      await pick(page, '#fund-account', CHAZZ);
      await pick(page, '#fund-asset', 'BTC');
      await setValue(page, '#fund-amount', '1');
      const r = await action(page, '#fund-form', 'funded');
      check('the faucet funds the Go Account', r.ok, r.said);
      check('the new balance shows', await waitText(page, `${accountOf(page)} tr[data-currency="BTC"]`, '11'), await balance(page, 'BTC'));
    });
    await step('trade 0.01 BTC', async () => {
      await pick(page, '#trade-account', CHAZZ);
      await setValue(page, '#trade-quantity', '0.01');
      const r = await action(page, '#trade-form', 'order');
      check('the service user buys at market', r.ok && !r.said.includes('refused'), r.said);
      check('the order shows on the account', await waitText(page, `${accountOf(page)} ul.orders li`, 'buy 0.01 BTC'));
    });
    let approvalId = null;
    await step('withdraw 5 BTC', async () => {
      await pick(page, '#withdraw-account', CHAZZ);
      await pick(page, '#withdraw-asset', 'BTC');
      await setValue(page, '#withdraw-amount', '5');
      const r = await action(page, '#withdraw-form', 'withdraws');
      check('a large withdrawal is held for video approval', r.said.includes('pendingVideoApproval'), r.said);
      check('the approval is drawn in words',
        await waitText(page, '.approval', 'awaiting a video approver: ' + CHAZZ), await text(page, '.approval'));
      const words = await text(page, '.approval');
      check('it says what it would do', words.startsWith('withdraw 500000000 ofctbtc base units') && words.includes('to tb1qdemowithdrawal') && !words.includes('{'), words);
      approvalId = await page.$eval('.approval', (n) => n.dataset.id);
    });
    await step('the video approver approves', async () => {
      check('logs in as the video approver', await actAs(page, CHAZZ));
      await clickNow(page, `.approval[data-id="${approvalId}"] button.approve`);
      check('the approval is applied', await waitText(page, '#act-result', 'approved'), await text(page, '#act-result'));
      check('the approval leaves the tree', await page.waitForFunction((id) => !document.querySelector(`.approval[data-id="${id}"]`),
        { timeout: 8000 }, approvalId).then(() => true, () => false));
      check('the withdrawal shows among the transfers', await waitText(page, `${accountOf(page)} ul.transfers li`, 'tb1qdemowithdrawal'));
    });
    await step('a deposit arrives', async () => {
      check('logs in as the service user again', await actAs(page, SERVICE));
      const before = await balance(page, 'USD');
      await pick(page, '#deposit-account', CHAZZ);
      await setValue(page, '#deposit-amount', '2500');
      const r = await action(page, '#deposit-form', 'deposits');
      check('the deposit arrives', r.said.includes('arrived'), r.said);
      check('as a transfer of 2500 USD', await waitText(page, `${accountOf(page)} ul.transfers li`, 'receive 2500 ofctusd'));
      check('the USD balance moves', await page.waitForFunction((sel, b) => {
        const n = document.querySelector(sel);
        return n && n.textContent !== b;
      }, { timeout: 8000 }, `${accountOf(page)} tr[data-currency="USD"] td.num`, before).then(() => true, () => false));
    });
    await step('a child enterprise, its KYC approved', async () => {
      check('logs in as the organization admin', await actAs(page, BRENNAN));
      await setValue(page, '#child-email', CUSTOMER);
      const r = await action(page, '#child-form', 'creates a child enterprise');
      check('the organization admin creates a child enterprise', r.said.includes('enterprise ') && !r.said.includes('refused'), r.said);
      check('it is drawn', await waitText(page, '.ent.child .ent-name', CUSTOMER));
      await page.$eval('#action-result', (n) => { n.textContent = ''; });
      await page.click('#kyc-submit');
      check('its KYC is submitted', await waitText(page, '#action-result', 'submits KYC'), await text(page, '#action-result'));
      check('the identity waits for a decision', await waitText(page, '.identity', CUSTOMER));
      await clickNow(page, '.identity button.kyc-approve');
      check('the KYC decision is approved', await waitText(page, '#action-result', 'KYC approved'), await text(page, '#action-result'));
      check('the enterprise shows KYC approved', await page.waitForFunction((email) => [...document.querySelectorAll('.ent.child')]
        .some((e) => e.querySelector('.ent-name').textContent === email && e.querySelector(':scope > .name').textContent.includes('KYC approved')),
      { timeout: 8000 }, CUSTOMER).then(() => true, () => false));
    });
    await step('price, fault, Bitwarden seats', async () => {
      await pick(page, '#price-asset', 'BTC');
      await setValue(page, '#price-usd', '65000');
      const price = await action(page, '#price-form', 'USD');
      check('the BTC price is set', price.said.includes('ofctbtc is now 65000 USD'), price.said);
      await setValue(page, '#fault-path', '/api/v2/user/me');
      await setValue(page, '#fault-status', '503');
      const fault = await action(page, '#fault-form', 'added');
      check('a fault is added', fault.ok, fault.said);
      check('the fault is listed in words', await waitText(page, '#fault-list li', '/api/v2/user/me \u2192 503'));
      await clickNow(page, '#fault-list li button.clear-fault');
      check('and cleared', await waitText(page, '#fault-list li', 'none'));
      await setValue(page, '#bw-seats', '25');
      const seats = await action(page, '#bw-form', 'seats');
      check('Bitwarden seats are set', seats.said.includes('25 seats'), seats.said);
      check('the Bitwarden panel shows them', await waitText(page, '.bw-org', '/ 25'));
    });
    await step('a change made outside the page shows up', async () => {
      const login = await fetch(BASE + '/api/v2/user/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: SERVICE, password: PASSWORD, otp: '000000' }),
      }).then((r) => r.json());
      const account = await page.$eval(accountOf(page), (n) => n.dataset.id);
      await fetch(BASE + '/api/prime/trading/v1/accounts/' + account + '/orders', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + login.access_token },
        body: JSON.stringify({ clientOrderId: 'outside', product: 'BTC-USD', type: 'market', side: 'sell', quantity: '0.02', quantityCurrency: 'BTC' }),
      });
      check('the world panel refreshes from the journal\'s feed', await waitText(page, `${accountOf(page)} ul.orders li`, 'sell 0.02 BTC', 8000));
    });
    await step('journal bodies and copy as curl', async () => {
      await page.type('#journal-path', '*/tx/initiate');
      await waitText(page, '#journal-rows td.path', 'tx/initiate');
      // The row itself, clicked in the page (the table may be redrawn while the filter is typed).
      await page.$$eval('#journal-rows tr', (rows) => rows.find((r) => r.textContent.includes('/tx/initiate')).click());
      await waitText(page, '#journal-line', '/tx/initiate');
      const request = await text(page, '#journal-request');
      const response = await text(page, '#journal-response');
      check('the request body is shown pretty-printed', request.includes('"recipients": [') && request.includes('"otp": "[redacted]"'), request);
      // tx/initiate answers the pending approval itself (BitGo's PendingApproval).
      check('the response body is shown', response.includes('"state": "pendingVideoApproval"'), response.slice(0, 300));
      check('the token never shows', !request.includes(login_token_marker) && request.includes('authorization: [redacted]'), request);
      await page.click('#journal-curl');
      const curl = await page.$eval('#journal-curl', (n) => n.dataset.curl);
      check('copy as curl gives the command', curl.startsWith("curl -X POST '" + BASE) && curl.includes('--data-raw'), curl);
      await setValue(page, '#journal-path', '');
      await page.$eval('#journal-path', (n) => n.dispatchEvent(new Event('input', { bubbles: true })));
    });
    await step('outbox bodies', async () => {
      const mail = await page.$$eval('#outbox-list details.mail', (d) => d.map((n) => n.textContent));
      check('the outbox shows each message\'s body', mail.length > 0 && mail.every((m) => m.length > 20), mail.join(' | ').slice(0, 300));
    });
    const content = await page.evaluate(() => document.body.innerText);
    check('no markup shows as text on the page', !/<img|onerror|<script/i.test(content));
    check('no dialog opened and no script error', dialogs.length === 0 && pageErrors.length === 0, [...dialogs, ...pageErrors].join('; '));
    if (SCREENSHOT) {
      await page.setViewport({ width: 1400, height: 1000 });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
  } finally {
    await browser.close();
  }
  for (const [name, ms] of timings) console.log(`# ${name}: ${ms.toFixed(0)} ms`);
  console.log(`# demo script: ${timings.reduce((n, [, ms]) => n + ms, 0).toFixed(0)} ms in all`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const login_token_marker = 'v2x';

main().catch((e) => { console.log('not ok - demo crashed: ' + (e && e.stack || e)); process.exit(1); });
