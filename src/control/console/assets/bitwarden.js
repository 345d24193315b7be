// orgbox console: the Bitwarden panel. Each organization with its members, collections, groups
// and policies (`GET /sandbox/console/bitwarden`), and actions on members taken as an admin of
// the organization through the real Bitwarden routes (`/api/organizations/{orgId}/users/...`),
// so the server's rules answer as they would answer that admin's own web vault. The acting
// admin's access token comes from `POST /sandbox/console/bitwarden/token`, minted as the
// identity server mints one (the user's real organization claims). Uses app.js's helpers.
'use strict';

/** The server's `OrganizationUserType`s a role can be changed to (Manager, 3, is gone). */
const BW_ROLES = [['Owner', 0], ['Admin', 1], ['User', 2], ['Custom', 4]];

/** The admin the panel acts as: {token, email, memberId, organizationId, type}, or null. */
const bw = { actor: null, orgs: [], picked: new Map() }; // picked: member id -> role chosen, not yet set

/** Says how a Bitwarden action went, under the panel's acting form. */
function bwTold(text, ok) {
  const out = $('bw-result');
  out.className = ok ? 'ok' : 'refused';
  out.textContent = text;
}

/** The words of a Bitwarden refusal: its `message` with its validation errors, else the status. */
function bwMessage(r) {
  const j = r.json || {};
  const errors = j.validationErrors && typeof j.validationErrors === 'object'
    ? Object.values(j.validationErrors).flat().join(' ') : '';
  const words = [j.message, errors].filter(Boolean).join(' ');
  return words || (r.status === 403 ? 'Forbidden' : r.status === 404 ? 'Not found' : 'no message');
}

/** A collection's name as the server holds it: a client encrypts it under the organization's
 * key, which the server never sees, so an encrypted name is shown shortened (whole on hover). */
function bwName(name) {
  return /^\d\.[A-Za-z0-9+/=|]+$/.test(name) && name.length > 24 ? 'encrypted ' + name.slice(0, 14) + '\u2026' : name;
}

function bwRoleName(n) { return (BW_ROLES.find((r) => r[1] === n) || ['type ' + n])[0]; }

/** The members the panel may act as: confirmed owners, admins and custom members. */
function bwActors(orgs) {
  const out = [];
  for (const o of orgs) {
    for (const m of o.members) {
      if (m.status === 'Confirmed' && ['Owner', 'Admin', 'Custom'].includes(m.type)) out.push({ org: o, m });
    }
  }
  return out;
}

async function loadBitwarden() {
  const data = await control('/sandbox/console/bitwarden');
  const orgs = data.organizations || [];
  bw.orgs = orgs;
  fill($('bw-tree'), orgs.length ? orgs.map(bwOrgNode) : el('p', { className: 'muted' }, 'no organizations'));
  const select = $('bw-actor');
  const kept = select.value;
  fill(select, bwActors(orgs).map(({ org, m }) => el('option', { value: org.id + '/' + m.id },
    m.email + ' (' + m.type + ', ' + org.name + ')')));
  if (kept && [...select.options].some((o) => o.value === kept)) select.value = kept;
  if (typeof bitwardenPicker === 'function') bitwardenPicker(orgs);
}

function bwOrgNode(o) {
  return el('div', { className: 'org bw-org', 'data-id': o.id },
    el('div', { className: 'name' }, 'organization ', el('span', { className: 'bw-org-name' }, o.name),
      tag(o.plan), tag('seats ' + o.occupiedSeats + ' / ' + (o.seats === null ? 'unlimited' : o.seats)),
      o.enabled ? null : tag('disabled', 'pending')),
    el('h3', {}, 'members'),
    el('ul', { className: 'bw-members' }, o.members.map((m) => bwMemberNode(o, m))),
    el('h3', {}, 'collections'),
    el('ul', { className: 'bw-collections' }, (o.collections || []).length ? o.collections.map((c) =>
      el('li', { 'data-name': c.name, title: c.name }, bwName(c.name),
        c.externalId ? el('span', { className: 'muted' }, ' externalId ' + c.externalId) : null,
        tag(c.users + (c.users === 1 ? ' member' : ' members')), tag(c.groups + (c.groups === 1 ? ' group' : ' groups'))))
      : el('li', { className: 'muted' }, 'none')),
    el('h3', {}, 'groups'),
    el('ul', { className: 'bw-groups' }, (o.groups || []).length ? o.groups.map((g) =>
      el('li', { 'data-name': g.name }, g.name,
        g.externalId ? el('span', { className: 'muted' }, ' externalId ' + g.externalId) : null,
        el('span', { className: 'muted' }, ': ' + (g.members.length ? g.members.join(', ') : 'no members'))))
      : el('li', { className: 'muted' }, 'none')),
    el('h3', {}, 'policies'),
    el('ul', { className: 'bw-policies' }, (o.policies || []).length ? o.policies.map((p) =>
      el('li', { 'data-type': p.type }, p.name || 'type ' + p.type,
        tag(p.enabled ? 'enabled' : 'disabled', p.enabled ? 'yes' : 'no')))
      : el('li', { className: 'muted' }, 'none')));
}

function bwMemberNode(o, m) {
  const role = el('select', { className: 'bw-role', 'aria-label': 'role of ' + (m.email || m.id) },
    BW_ROLES.map(([name, n]) => el('option', { value: String(n) }, name)));
  // A role picked but not yet set survives the redraws a new journal entry brings.
  role.value = bw.picked.has(m.id) ? bw.picked.get(m.id) : String(m.typeNumber);
  role.addEventListener('change', () => bw.picked.set(m.id, role.value));
  const revoked = m.status === 'Revoked';
  return el('li', { 'data-email': m.email || '', 'data-id': m.id },
    m.email || '(no email)', ' ', el('span', { className: 'muted' }, m.name || ''),
    tag(m.type, m.type === 'Owner' || m.type === 'Admin' ? 'admin' : ''), tag(m.status),
    el('span', { className: 'bw-member-actions' },
      revoked
        ? el('button', { type: 'button', className: 'bw-restore', onclick: () => bwMemberAction(o, m, 'restore') }, 'restore')
        : el('button', { type: 'button', className: 'bw-revoke', onclick: () => bwMemberAction(o, m, 'revoke') }, 'revoke'),
      el('button', { type: 'button', className: 'bw-remove', onclick: () => bwMemberAction(o, m, 'remove') }, 'remove'),
      role,
      el('button', { type: 'button', className: 'bw-set-role', onclick: () => bwSetRole(o, m, Number(role.value)) }, 'set role')));
}

/** Stops acting (another sandbox, a reset). */
function bwForget(why) {
  bw.actor = null;
  bw.picked.clear();
  fill($('bw-acting'), why || 'not acting');
}

/** Takes the picked member's token (`POST /sandbox/console/bitwarden/token`). */
async function bwActAs(ev) {
  ev.preventDefault();
  const [organizationId, memberId] = ($('bw-actor').value || '/').split('/');
  try {
    const t = await control('/sandbox/console/bitwarden/token', { method: 'POST', body: { organizationId, memberId } });
    bw.actor = { token: t.accessToken, email: t.email, memberId: t.memberId, organizationId: t.organizationId, type: t.type };
    fill($('bw-acting'), 'acting as ', el('strong', { id: 'bw-actor-name' }, t.email), ' (' + bwRoleName(t.type) + ')');
    bwTold('acting as ' + t.email, true);
  } catch (e) {
    bwForget();
    bwTold('act as: ' + e.message, false);
  }
}

/** The acting admin's token, or a note to pick one first. */
function bwToken(what) {
  if (bw.actor) return bw.actor.token;
  bwTold(what + ': pick an admin to act as first', false);
  return null;
}

/** Says what the Bitwarden route answered; a 401 means the acting token ran out. */
function bwAnswered(what, r) {
  if (r.status >= 200 && r.status < 300) { bwTold(bw.actor.email + ' ' + what + ': done', true); return; }
  const who = bw.actor.email + ' ';
  if (r.status === 401) bwForget('not acting (the token expired; pick again)');
  bwTold(who + what + ' refused (' + r.status + '): ' + bwMessage(r), false);
}

function bwMemberPath(o, m, tail) {
  return '/api/organizations/' + encodeURIComponent(o.id) + '/users/' + encodeURIComponent(m.id) + (tail || '');
}

/** Revoke (`PUT .../revoke`), restore (`PUT .../restore`) or remove (`DELETE .../users/{id}`). */
async function bwMemberAction(o, m, action) {
  const what = { revoke: 'revokes', restore: 'restores', remove: 'removes' }[action] + ' ' + (m.email || m.id);
  const token = bwToken(what);
  if (!token) return;
  try {
    const r = action === 'remove'
      ? await vendor(bwMemberPath(o, m), { method: 'DELETE', token })
      : await vendor(bwMemberPath(o, m, '/' + action), { method: 'PUT', token });
    bwAnswered(what, r);
  } catch (e) { bwTold(what + ': ' + e.message, false); }
  await refreshPanels();
}

/** Changes a member's role as the web vault does: reads the member's details (`GET
 * .../users/{id}?includeGroups=true`) and puts them back with the new type (`PUT .../users/{id}`),
 * so its collections, groups and permissions stay as they were. */
async function bwSetRole(o, m, type) {
  bw.picked.delete(m.id);
  const what = 'sets ' + (m.email || m.id) + ' to ' + bwRoleName(type);
  const token = bwToken(what);
  if (!token) return;
  try {
    const read = await vendor(bwMemberPath(o, m, '?includeGroups=true'), { token });
    if (read.status !== 200) { bwAnswered(what, read); await refreshPanels(); return; }
    const d = read.json;
    const r = await vendor(bwMemberPath(o, m), {
      method: 'PUT', token,
      body: {
        type,
        permissions: d.permissions || {},
        collections: (d.collections || []).map((c) => ({ id: c.id, readOnly: c.readOnly, hidePasswords: c.hidePasswords, manage: c.manage })),
        groups: d.groups || [],
        accessSecretsManager: !!d.accessSecretsManager,
      },
    });
    bwAnswered(what, r);
  } catch (e) { bwTold(what + ': ' + e.message, false); }
  await refreshPanels();
}

document.addEventListener('DOMContentLoaded', () => {
  $('bw-act-form').addEventListener('submit', bwActAs);
});
