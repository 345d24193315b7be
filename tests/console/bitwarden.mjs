// The console's Bitwarden panel: the demo organization's collections, groups and policies, and
// actions on members taken as an admin through the real Bitwarden routes. George (Admin) revokes
// and restores Kramer and makes him an Admin, each change read back through the Bitwarden API
// and found in the journal as the real route, called with George's token; George removing Art
// (Owner) is refused with the server's words and changes nothing. Prints `ok` / `not ok` lines
// and a `N passed, M failed` summary. Needs ORGBOX_URL and CHROME.
import { randomBytes } from 'node:crypto';
import puppeteer from 'puppeteer-core';

const BASE = process.env.ORGBOX_URL;
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) { passed += 1; console.log('ok - ' + name); } else { failed += 1; console.log('not ok - ' + name + (detail ? ': ' + detail : '')); }
}

/** Calls orgbox as a client that is not a browser; returns {status, json}. */
async function call(path, { method = 'GET', body, token } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
  return { status: res.status, json };
}

async function ok(path, options) {
  const r = await call(path, options);
  if (r.status !== 200) throw new Error(`${(options && options.method) || 'GET'} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** A well-formed type-2 encrypted string, as a client sends a collection name. */
function encString() {
  const b64 = (n) => randomBytes(n).toString('base64');
  return `2.${b64(16)}|${b64(32)}|${b64(32)}`;
}

async function waitText(page, selector, text, timeout = 6000) {
  try {
    await page.waitForFunction((s, t) => [...document.querySelectorAll(s)].some((n) => n.textContent.includes(t)),
      { timeout }, selector, text);
    return true;
  } catch (_) { return false; }
}

/** Clicks `selector` in the page: the panels redraw whenever the journal shows a new entry, so
 * the node is found and clicked in one step. */
async function click(page, selector) {
  await page.waitForSelector(selector);
  await page.$eval(selector, (n) => n.click());
}

async function main() {
  const { organizations } = await ok('/sandbox/console/bitwarden');
  const org = organizations.find((o) => o.name === 'Vandelay Industries');
  const member = (email) => org.members.find((m) => m.email === email);
  const [art, george, kramer] = ['art@vandelay.test', 'george@vandelay.test', 'kramer@vandelay.test'].map(member);
  // The owner's token sets the scene through the Bitwarden API: a collection Kramer can reach,
  // a policy, and a group if this build serves the group routes.
  const owner = (await ok('/sandbox/console/bitwarden/token', { method: 'POST', body: { organizationId: org.id, memberId: art.id } })).accessToken;
  const orgPath = '/api/organizations/' + org.id;
  const sales = await ok(orgPath + '/collections', {
    method: 'POST', token: owner,
    body: { name: encString(), externalId: 'sales', users: [{ id: kramer.id, readOnly: true, hidePasswords: false, manage: false }], groups: [] },
  });
  await ok(orgPath + '/policies/6', { method: 'PUT', token: owner, body: { type: 6, enabled: true, data: null } });
  const group = await call(orgPath + '/groups', { method: 'POST', token: owner, body: { name: 'Accounting', externalId: 'acct', collections: [], users: [kramer.id] } });
  const groups = group.status === 200;
  if (!groups) console.log(`# the group routes answer ${group.status} here: groups are checked as "none"`);

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(BASE + '/console/', { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-loaded]', { timeout: 10000 });
    const orgNode = `#bw-tree .bw-org[data-id="${org.id}"]`;
    const col = await page.$eval(`${orgNode} .bw-collections li`, (n) => n.textContent).catch(() => '');
    check('the panel shows the collection: its (encrypted) name, externalId and access counts',
      col.startsWith('encrypted 2.') && col.includes('externalId sales') && col.includes('1 member') && col.includes('0 groups'), col);
    const pol = await page.$eval(`${orgNode} .bw-policies li[data-type="6"]`, (n) => n.textContent).catch(() => '');
    check('the panel shows the policy by its name, enabled', pol.includes('Remove Send') && pol.includes('enabled'), pol);
    const grp = await page.$eval(`${orgNode} .bw-groups li`, (n) => n.textContent).catch(() => '');
    check('the panel shows the groups with their members',
      groups ? grp.includes('Accounting') && grp.includes('kramer@vandelay.test') : grp === 'none', grp);

    // George, an Admin, is the acting admin.
    await page.select('#bw-actor', `${org.id}/${george.id}`);
    await click(page, '#bw-act-form button[type=submit]');
    check('the page acts as the admin picked', await waitText(page, '#bw-acting', 'george@vandelay.test (Admin)'));
    const kramerNode = `${orgNode} li[data-email="kramer@vandelay.test"]`;

    await click(page, `${kramerNode} button.bw-revoke`);
    check('revoke is done', await waitText(page, '#bw-result', 'george@vandelay.test revokes kramer@vandelay.test: done'));
    let read = await ok(`${orgPath}/users/${kramer.id}`, { token: owner });
    check('the Bitwarden API reads Kramer revoked', read.status === -1, JSON.stringify(read.status));
    check('the panel shows him revoked, with restore', await waitText(page, kramerNode, 'Revoked') && !!(await page.$(`${kramerNode} button.bw-restore`)));
    const revokes = (await ok(`/sandbox/journal?path=${encodeURIComponent(orgPath + '/users/*/revoke')}`)).requests;
    check('the journal shows the real revoke route, called as George',
      revokes.some((e) => e.method === 'PUT' && e.status === 200 && e.userId === george.userId && e.path.endsWith(kramer.id + '/revoke')),
      JSON.stringify(revokes.map((e) => [e.method, e.path, e.status, e.userId])));

    await click(page, `${kramerNode} button.bw-restore`);
    check('restore is done', await waitText(page, '#bw-result', 'george@vandelay.test restores kramer@vandelay.test: done'));
    read = await ok(`${orgPath}/users/${kramer.id}`, { token: owner });
    check('the Bitwarden API reads Kramer confirmed again', read.status === 2, JSON.stringify(read.status));
    const restores = (await ok(`/sandbox/journal?path=${encodeURIComponent(orgPath + '/users/*/restore')}`)).requests;
    check('the journal shows the real restore route', restores.some((e) => e.method === 'PUT' && e.status === 200 && e.userId === george.userId));

    // The restore's own redraw (Kramer's row offers revoke again) lands before the role is
    // picked, and picking and clicking happen in one turn of the page, so no redraw that a new
    // journal entry brings can fall between them.
    await page.waitForSelector(`${kramerNode} button.bw-revoke`);
    await page.$eval(kramerNode, (row) => {
      const role = row.querySelector('select.bw-role');
      role.value = '1';
      role.dispatchEvent(new Event('change', { bubbles: true }));
      row.querySelector('button.bw-set-role').click();
    });
    check('the role change is done', await waitText(page, '#bw-result', 'george@vandelay.test sets kramer@vandelay.test to Admin: done'));
    read = await ok(`${orgPath}/users/${kramer.id}`, { token: owner });
    check('the Bitwarden API reads Kramer as an Admin (type 1)', read.type === 1, JSON.stringify(read.type));
    check('his collection access stayed as it was',
      JSON.stringify(read.collections) === JSON.stringify([{ id: sales.id, readOnly: true, hidePasswords: false, manage: false }]),
      JSON.stringify(read.collections));
    const puts = (await ok(`/sandbox/journal?method=PUT&path=${encodeURIComponent(orgPath + '/users/' + kramer.id)}`)).requests;
    check('the journal shows the real role-change route', puts.some((e) => e.status === 200 && e.userId === george.userId));

    // An Admin may not remove an Owner: the server's words, and nothing changes.
    const before = await ok('/sandbox/console/bitwarden');
    const artBefore = await ok(`${orgPath}/users/${art.id}?includeGroups=true`, { token: owner });
    await click(page, `${orgNode} li[data-email="art@vandelay.test"] button.bw-remove`);
    check('the refusal shows the server\'s message',
      await waitText(page, '#bw-result', 'george@vandelay.test removes art@vandelay.test refused (400): Only owners can remove other owners.'));
    const refused = await page.$eval('#bw-result', (n) => n.className);
    check('the refusal is marked as one', refused === 'refused', refused);
    const after = await ok('/sandbox/console/bitwarden');
    const artAfter = await ok(`${orgPath}/users/${art.id}?includeGroups=true`, { token: owner });
    check('the refusal changed nothing', JSON.stringify(after) === JSON.stringify(before) &&
      JSON.stringify(artAfter) === JSON.stringify(artBefore), JSON.stringify(artAfter));
    const removes = (await ok(`/sandbox/journal?method=DELETE&path=${encodeURIComponent(orgPath + '/users/' + art.id)}`)).requests;
    check('the journal shows the real remove route refused', removes.some((e) => e.status === 400 && e.userId === george.userId));
  } finally {
    await browser.close();
  }
}

main().then(
  () => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  (e) => { console.log('not ok - the run died: ' + (e && e.stack || e)); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); },
);
