// The console's webhook panel: an enterprise webhook pointed at a capture inbox that fails the
// first delivery, an event fired by the sandbox trigger, and the panel showing the delivery with
// both attempts (the 500, then the 200 once the clock reaches the backoff); a hostile label is
// drawn as text. Prints `ok` / `not ok` lines and a `N passed, M failed` summary. Needs
// ORGBOX_URL and CHROME.
import puppeteer from 'puppeteer-core';

const BASE = process.env.ORGBOX_URL;
const XSS = '<img src=x onerror=alert(1)>';
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed += 1; console.log('ok - ' + name); } else { failed += 1; console.log('not ok - ' + name + (detail ? ': ' + detail : '')); }
}

async function api(path, { method = 'GET', body, token } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function inboxHolds(n) {
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    const got = await api('/sandbox/webhooks/inbox/console');
    if (got.deliveries.length >= n) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Waits until the webhooks hold `n` recorded attempts (the backoff runs from the record). */
async function attemptsRecorded(n) {
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    const { webhooks } = await api('/sandbox/webhooks');
    const total = webhooks.flatMap((w) => w.notifications).reduce((sum, x) => sum + x.attempts.length, 0);
    if (total >= n) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function main() {
  const login = await api('/api/v2/user/login', {
    method: 'POST', body: { email: 'brennan@prestige-worldwide.test', password: 'Prestige-Worldwide-2026', otp: '000000' },
  });
  const token = login.access_token;
  const enterprise = (await api('/api/v2/enterprise', { token })).enterprises[0].id;
  const url = `${BASE}/sandbox/webhooks/inbox/console?fail=1`;
  await api(`/api/v2/enterprise/${enterprise}/webhooks`, {
    method: 'POST', token, body: { type: 'policyBalanceChange', url, label: XSS },
  });
  await api('/sandbox/webhooks/trigger', { method: 'POST', body: { type: 'policyBalanceChange', enterpriseId: enterprise } });
  check('the first delivery reached the inbox (and was answered 500)', await inboxHolds(1));
  check('the failed attempt is recorded', await attemptsRecorded(1));
  await api('/sandbox/clock', { method: 'POST', body: { advanceMs: 31_000 } });
  check('the retry reached it once the clock passed the backoff', await inboxHolds(2));

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    let alerted = false;
    page.on('dialog', async (d) => { alerted = true; await d.dismiss(); });
    await page.goto(BASE + '/console/', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]', { timeout: 10000 });
    const hook = await page.$eval('#webhook-list .webhook h3', (n) => n.textContent).catch(() => '');
    check('the webhook is listed with its type and URL', hook.includes('policyBalanceChange') && hook.includes(url), hook);
    check('its hostile label is text', hook.includes(XSS) && (await page.$$('#webhook-list img')).length === 0 && !alerted, hook);
    const row = await page.$eval('#webhook-list tr.delivery', (n) => n.textContent).catch(() => '');
    const attempts = await page.$eval('#webhook-list tr.delivery td.attempts', (n) => n.textContent).catch(() => '');
    check('its delivery is processed', row.includes('processed'), row);
    check('with both attempts: the 500, then the 200', attempts.startsWith('#1 500') && attempts.includes('#2 200'), attempts);
  } finally {
    await browser.close();
  }
}

main().then(
  () => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  (e) => { console.log('not ok - the run died: ' + (e && e.stack || e)); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); },
);
