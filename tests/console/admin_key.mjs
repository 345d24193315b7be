// With an admin key configured the console's page loads but holds no data until the key is
// given; a wrong key is refused; the right one shows the world. Prints `ok` / `not ok` lines and
// a `N passed, M failed` summary. Needs ORGBOX_URL, CHROME and ADMIN_KEY.
import puppeteer from 'puppeteer-core';

const BASE = process.env.ORGBOX_URL;
const KEY = process.env.ADMIN_KEY;
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed += 1; console.log('ok - ' + name); } else { failed += 1; console.log('not ok - ' + name + (detail ? ': ' + detail : '')); }
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(BASE + '/console/', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]', { timeout: 10000 });
    check('the page asks for the admin key', await page.$eval('#key-form', (n) => !n.hidden));
    check('no world without it', (await page.$$('.org-name')).length === 0);
    const world = await fetch(BASE + '/sandbox/console/world');
    check('the data route refuses a call without the key', world.status === 401);

    await page.type('#key-input', 'wrong-key');
    await page.click('#key-form button[type=submit]');
    await page.waitForFunction(() => document.body.dataset.loaded && !document.getElementById('key-form').hidden,
      { timeout: 5000 }).catch(() => {});
    check('a wrong key shows no world and asks again', (await page.$$('.org-name')).length === 0 &&
      await page.$eval('#key-form', (n) => !n.hidden));

    await page.$eval('#key-input', (n) => { n.value = ''; });
    await page.type('#key-input', KEY);
    await page.click('#key-form button[type=submit]');
    const shown = await page.waitForFunction(
      () => [...document.querySelectorAll('.org-name')].some((n) => n.textContent === 'Prestige Worldwide'),
      { timeout: 8000 }).then(() => true, () => false);
    check('the right key shows the world', shown);
    check('the key form is hidden again', await page.$eval('#key-form', (n) => n.hidden));
  } finally {
    await browser.close();
  }
}

main().then(
  () => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  (e) => { console.log('not ok - the run died: ' + (e && e.stack || e)); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); },
);
