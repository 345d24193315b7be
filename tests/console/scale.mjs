// The console with a large world, in headless Chromium: 1,000 enterprises (10 organizations of
// a parent and 49 children, 500 in no organization) and 10,000 journal entries. Pages through
// the world and the journal, finds an enterprise, filters the journal by a principal's email,
// and prints the times it saw as `figure` lines (reported, never asserted: bench/console.py
// runs this same script for the figures in docs/performance.md). Prints `ok` / `not ok` lines and a
// `N passed, M failed` summary. Needs ORGBOX_URL and CHROME; the server's journal must hold
// 10,000 entries (config `journal_capacity`). With SCALE_PRESEEDED=1 the world and journal
// are taken as they are.
import puppeteer from 'puppeteer-core';

const BASE = process.env.ORGBOX_URL;
const BRENNAN = 'brennan@prestige-worldwide.test';
const JOURNAL = 10000;
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed += 1; console.log('ok - ' + name); } else { failed += 1; console.log('not ok - ' + name + (detail ? ': ' + detail : '')); }
}
function figure(name, ms) { console.log(`figure ${name} ${ms.toFixed(1)} ms`); }

async function post(path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** The large world: 10 organizations × (1 parent + 49 children) and 500 standalone. */
function scaleFixture() {
  const organizations = [];
  const enterprises = [];
  for (let o = 0; o < 10; o += 1) {
    const org = 'o' + o;
    organizations.push({ key: org, name: 'Scale Org ' + String(o).padStart(2, '0') });
    enterprises.push({ key: org + 'p', name: 'Scale Org ' + String(o).padStart(2, '0'), organization: org, business_model: 'cryptoAsAServiceParent' });
    for (let c = 0; c < 49; c += 1) {
      enterprises.push({ key: `${org}c${c}`, name: `scale child ${o}-${String(c).padStart(2, '0')}`, organization: org, business_model: 'cryptoAsAServiceChild' });
    }
  }
  for (let s = 0; s < 500; s += 1) enterprises.push({ key: 's' + s, name: 'standalone ' + String(s).padStart(3, '0') });
  return { organizations, enterprises };
}

/** Fills the journal: 10,000 requests, 500 of them Brennan's, 32 at a time. */
async function fillJournal() {
  const login = await post('/api/v2/user/login', { email: BRENNAN, password: 'Prestige-Worldwide-2026', otp: '000000' });
  const token = login.json.access_token;
  let next = 0;
  async function worker() {
    while (next < JOURNAL) {
      const i = next;
      next += 1;
      const headers = i % 20 === 0 ? { Authorization: 'Bearer ' + token } : {};
      const res = await fetch(BASE + '/api/v2/user/me?n=' + i, { headers });
      await res.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** Sets a field at once (one input event, as a paste), so the time measured is the console's. */
async function setInput(page, selector, value) {
  await page.$eval(selector, (n, v) => { n.value = v; n.dispatchEvent(new Event('input', { bubbles: true })); }, value);
}

async function timed(fn) {
  const t0 = performance.now();
  const ok = await fn();
  return [ok, performance.now() - t0];
}

async function main() {
  if (process.env.SCALE_PRESEEDED !== '1') {
    const seeded = await post('/sandbox/seed', scaleFixture());
    check('1,000 enterprises are seeded', seeded.status === 200, JSON.stringify(seeded.json).slice(0, 300));
    await fillJournal();
  }
  const held = await (await fetch(BASE + '/sandbox/journal/count')).json();
  check('the journal holds 10,000 entries or more', held.count >= JOURNAL, JSON.stringify(held));

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewport({ width: 1500, height: 1100 });
    const [, load] = await timed(async () => {
      await page.goto(BASE + '/console/', { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('body[data-loaded]', { timeout: 20000 });
    });
    figure('console-load', load);
    const loadedAt = await page.$eval('body', (n) => n.dataset.loaded);
    const [, reload] = await timed(async () => {
      await page.reload({ waitUntil: 'domcontentloaded' });
      await page.waitForFunction((t) => document.body.dataset.loaded && document.body.dataset.loaded !== t,
        { timeout: 20000, polling: 'mutation' }, loadedAt);
    });
    figure('console-reload', reload);
    const pageText = () => page.$eval('#world-page', (n) => n.textContent);
    const total = (await pageText()).match(/of (\d+)/);
    check('the world says how many enterprises there are', total && Number(total[1]) >= 1000, await pageText());
    const drawn = await page.$$eval('.ent', (n) => n.length);
    check('one page of enterprises is drawn, not all of them', drawn > 0 && drawn <= 25, String(drawn));

    const first = await page.$eval('.ent-name', (n) => n.textContent);
    const [moved, next] = await timed(async () => {
      await page.click('#world-next');
      return page.waitForFunction(() => /^enterprises 26\u201350 /.test(document.getElementById('world-page').textContent),
        { timeout: 10000, polling: 'mutation' }).then(() => true, () => false);
    });
    figure('world-next-page', next);
    check('next shows enterprises 26 to 50', moved, await pageText());
    check('with other enterprises', (await page.$eval('.ent-name', (n) => n.textContent)) !== first);

    const [found, search] = await timed(async () => {
      await setInput(page, '#world-q', 'standalone 377');
      return page.waitForFunction(() => document.getElementById('world-page').textContent === 'enterprises 1\u20131 of 1',
        { timeout: 10000, polling: 'mutation' }).then(() => true, () => false);
    });
    figure('world-search', search - 250); // the box waits 250 ms after the last key
    check('search finds one enterprise among 1,000', found && (await page.$eval('.ent-name', (n) => n.textContent)) === 'standalone 377');
    check('it is drawn as in no organization', await page.$eval('.org.none .name', (n) => n.textContent)
      .then((t) => t.includes('no organization'), () => false));

    const firstSeq = Number(await page.$eval('#journal-rows tr', (n) => n.dataset.seq));
    const [paged, older] = await timed(async () => {
      await page.click('#journal-older');
      return page.waitForFunction((s) => Number(document.querySelector('#journal-rows tr').dataset.seq) < s - 49,
        { timeout: 10000, polling: 'mutation' }, firstSeq).then(() => true, () => false);
    });
    figure('journal-older-page', older);
    check('the journal pages back through 10,000 entries', paged);
    check('it says how many are older', /older/.test(await page.$eval('#journal-info', (n) => n.textContent)));
    await page.click('#journal-newest');
    await page.waitForFunction((s) => Number(document.querySelector('#journal-rows tr').dataset.seq) >= s,
      { timeout: 10000 }, firstSeq).catch(() => {});
    const [filtered, who] = await timed(async () => {
      await setInput(page, '#journal-who', BRENNAN);
      return page.waitForFunction((w) => {
        const cells = [...document.querySelectorAll('#journal-rows td.who')].map((n) => n.textContent);
        return cells.length === 50 && cells.every((c) => c === w);
      }, { timeout: 10000, polling: 'mutation' }, BRENNAN).then(() => true, () => false);
    });
    figure('journal-principal-filter', who);
    check('filtering 10,000 entries by email shows that user\'s page', filtered);
    check('no script error', errors.length === 0, errors.join('; '));
  } finally {
    await browser.close();
  }
}

main().then(
  () => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  (e) => { console.log('not ok - the run died: ' + (e && e.stack || e)); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); },
);
