// The asynchronous half of a Go Account through the SDK's own Wallet class: `wallet.addWebhook`,
// `listWebhooks`, `simulateWebhook`, `removeWebhook`, `createAddress`, `getAddress` and
// `getTransfer`, with a Node receiver that checks each delivery's `X-Signature-SHA256` the way
// BitGo tells partners to (HMAC-SHA256 of the raw body under the enterprise's webhook secret,
// compared in constant time). The organization admin watches the webhooks but creates no
// address and moves no money.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

/** The webhook secret made for each enterprise during this run. */
const SECRETS = new Map();

/** A loopback HTTP receiver: keeps every delivery (path, headers, raw body); answers `statuses`
 * in turn (then 200). `waitFor(n)` resolves with the first `n` deliveries. */
function receiver(statuses = []) {
  const got = [];
  const waiting = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statuses.shift() ?? 200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      for (const w of waiting.splice(0)) w();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = (path) => `http://127.0.0.1:${server.address().port}${path}`;
      const waitFor = async (n, ms = 10_000) => {
        const deadline = Date.now() + ms;
        while (got.length < n) {
          if (Date.now() > deadline) throw new Error(`receiver holds ${got.length} deliveries, expected ${n}`);
          await new Promise((r) => {
            waiting.push(r);
            setTimeout(r, 50);
          });
        }
        return got.slice(0, n);
      };
      resolve({ url, waitFor, got, close: () => server.close() });
    });
  });
}

/** Polls `probe` until it returns something truthy (10 s at most); returns it. */
async function until(probe, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The partner's check: HMAC-SHA256 of the exact bytes received, hex, compared in constant time. */
export function verifyBitgoSignature(rawBody, header, secret) {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('hex'), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Runs the webhook steps for auth version `v`. `t` carries the suite's helpers: step, check,
 * need, rejects, clip, ofcSdk, BASE, FETCH_TIMEOUT_MS, PASSWORD, OTP, SERVICE_USER,
 * ORG_ADMIN, CHILD_NAME, ID_RE.
 */
export async function webhookSuite(v, t) {
  const { step, check, need, rejects, clip } = t;
  const p = `v${v} webhooks:`;
  const bitgo = t.ofcSdk(v);
  const control = async (path, body) => {
    const res = await fetch(`${t.BASE}${path}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body), signal: AbortSignal.timeout(t.FETCH_TIMEOUT_MS),
    });
    check(res.status === 200, `${path} answered ${res.status}`);
    return res.json();
  };
  const hook = await receiver([500]);
  const ctx = await step(`${p} the service user makes a Go Account and its enterprise's webhook secret`, async () => {
    await bitgo.authenticate({ username: t.SERVICE_USER, password: t.PASSWORD, otp: t.OTP });
    const list = await bitgo.get(bitgo.url('/enterprise', 2)).result();
    const child = list.enterprises.find((e) => e.name === t.CHILD_NAME).id;
    const made = await bitgo.coin('ofc').wallets().generateWallet({
      label: `SDK webhooks v${v}`, passphrase: 'go-account-passphrase', enterprise: child,
      passcodeEncryptionCode: 'recovery-code', type: 'trading',
    });
    // BitGo rotates a secret at most every 5 minutes: the second auth version keeps the first's.
    if (!SECRETS.has(child)) {
      const { secret } = await bitgo.post(bitgo.url('/webhook/secret', 2)).send({ enterpriseId: child }).result();
      check(typeof secret === 'string' && secret.length >= 32, `secret ${clip(String(secret))}`);
      SECRETS.set(child, secret);
    }
    return { child, walletId: made.wallet.id(), secret: SECRETS.get(child) };
  });
  const wallet = async (coin = 'ofctusd', sdk = bitgo) => sdk.coin(coin).wallets().get({ id: need(ctx, 'the Go Account').walletId });
  const added = await step(`${p} wallet.addWebhook({type: 'transfer'}) then listWebhooks() shows it`, async () => {
    const w = await wallet();
    const url = hook.url('/transfers');
    const h = await w.addWebhook({ type: 'transfer', url, label: 'sdk', numConfirmations: 1 });
    check(t.ID_RE.test(h.id) && h.type === 'transfer' && h.url === url, `webhook ${clip(JSON.stringify(h))}`);
    check(h.numConfirmations === 1 && h.label === 'sdk', `webhook ${clip(JSON.stringify(h))}`);
    const dup = await rejects(w.addWebhook({ type: 'transfer', url, numConfirmations: 1 }), 'the same webhook twice');
    check(dup.status === 400, `duplicate answered ${dup.status}`);
    const bad = await rejects(w.addWebhook({ type: 'transfer', url: 'ftp://127.0.0.1/x' }), 'an ftp url');
    check(bad.status === 400 && typeof bad.result?.error === 'string', `ftp url ${bad.status} ${clip(JSON.stringify(bad.result))}`);
    const { webhooks } = await w.listWebhooks();
    check(webhooks.length === 1 && webhooks[0].id === h.id, `listed ${clip(JSON.stringify(webhooks))}`);
    return h;
  });
  const deposit = await step(`${p} a deposit is told unconfirmed (a 500 first, retried on the clock), signed`, async () => {
    need(added, 'the webhook');
    const { secret } = need(ctx, 'the Go Account');
    const funded = await control(`/sandbox/wallets/${ctx.walletId}/faucet`, { asset: 'ofctusd', amount: '5000' });
    const [first] = await hook.waitFor(1);
    check(verifyBitgoSignature(first.body, first.headers['x-signature-sha256'], secret), 'first attempt: bad signature');
    // The backoff runs from the failed attempt as recorded (after the 500 came back): wait for
    // it in the notification history, then move the clock past it.
    const w = await wallet();
    const failedOnce = await until(async () => {
      const { webhookNotifications: list } = await bitgo.get(w.url('/webhooks/notifications')).result();
      const n = list.find((x) => x.transfer === funded.transferId && JSON.parse(x.payload).state === 'unconfirmed');
      return n && n.attempts.length === 1 && n.attempts[0].status === 500 ? n : null;
    }, 'the first attempt recorded as a 500');
    check(failedOnce.state !== 'processed', `state ${failedOnce.state}`);
    await control('/sandbox/clock', { advanceMs: 31_000 });
    const [, retried] = await hook.waitFor(2);
    check(retried.body.equals(first.body), 'the retry carries other bytes than the first attempt');
    check(retried.headers['x-signature-sha256'] === first.headers['x-signature-sha256'], 'the retry is signed differently');
    const body = JSON.parse(retried.body.toString('utf8'));
    check(body.type === 'transfer' && body.state === 'unconfirmed' && body.transfer === funded.transferId,
      `delivered ${clip(retried.body.toString('utf8'))}`);
    check(body.wallet === ctx.walletId && body.coin === 'ofctusd' && body.valueString === '5000', `delivered ${clip(JSON.stringify(body))}`);
    return funded.transferId;
  });
  await step(`${p} the clock confirms it: told confirmed once, and wallet.getTransfer() agrees`, async () => {
    const id = need(deposit, 'the deposit');
    const w = await wallet();
    const before = await w.getTransfer({ id });
    check(before.id === id && before.state === 'unconfirmed', `transfer ${clip(JSON.stringify(before))}`);
    await control('/sandbox/clock', { advanceMs: 120_000 });
    const got = await hook.waitFor(3);
    const body = JSON.parse(got[2].body.toString('utf8'));
    check(body.state === 'confirmed' && body.transfer === id, `delivered ${clip(JSON.stringify(body))}`);
    check(verifyBitgoSignature(got[2].body, got[2].headers['x-signature-sha256'], ctx.secret), 'confirmed: bad signature');
    const after = await w.getTransfer({ id });
    check(after.state === 'confirmed' && after.valueString === '5000', `transfer ${clip(JSON.stringify(after))}`);
    await new Promise((r) => setTimeout(r, 300));
    check(hook.got.length === 3, `${hook.got.length} deliveries, expected 3`);
  });
  await step(`${p} wallet.simulateWebhook({transferId}) delivers a simulation; /webhook/{id}/verify checks it`, async () => {
    const h = need(added, 'the webhook');
    const w = await wallet();
    const sim = await w.simulateWebhook({ webhookId: h.id, transferId: need(deposit, 'the deposit') });
    check(Array.isArray(sim.webhookNotifications) && sim.webhookNotifications.length === 1, `answer ${clip(JSON.stringify(sim))}`);
    const got = await hook.waitFor(4);
    const raw = got[3].body.toString('utf8');
    const signature = got[3].headers['x-signature-sha256'];
    check(verifyBitgoSignature(got[3].body, signature, ctx.secret), 'simulation: bad signature');
    const verify = (s) => bitgo.post(bitgo.url(`/webhook/${h.id}/verify`, 2)).send({ signature: s, notificationPayload: raw }).result();
    const ok = await verify(signature);
    check(ok.isValid === true, `verify ${clip(JSON.stringify(ok))}`);
    const forged = await verify(signature.replace(/^./, (c) => (c === '0' ? '1' : '0')));
    check(forged.isValid === false, `verify of a forged signature ${clip(JSON.stringify(forged))}`);
  });
  const address = await step(`${p} wallet.createAddress({onToken}) and getAddress() read it back`, async () => {
    const w = await wallet('ofc');
    const a = await w.createAddress({ onToken: 'ofctbtc', label: 'sdk deposits' });
    check(typeof a.address === 'string' && a.address.length > 10, `address ${clip(JSON.stringify(a))}`);
    check(Number.isInteger(a.chain) && Number.isInteger(a.index) && a.coinSpecific && a.label === 'sdk deposits',
      `address ${clip(JSON.stringify(a))}`);
    const back = await w.getAddress({ address: a.address });
    check(back.id === a.id && back.address === a.address, `read back ${clip(JSON.stringify(back))}`);
    const missing = await rejects(w.createAddress({ onToken: 'ofcnosuch' }), 'an address for an unknown token');
    check(missing.status === 400 || missing.status === 404, `unknown token answered ${missing.status}`);
    return a.address;
  });
  await step(`${p} the organization admin watches (listWebhooks) but creates no address and cannot send`, async () => {
    const admin = t.ofcSdk(v);
    await admin.authenticate({ username: t.ORG_ADMIN, password: t.PASSWORD, otp: t.OTP });
    const w = await wallet('ofctusd', admin);
    const { webhooks } = await w.listWebhooks();
    check(webhooks.length === 1 && webhooks[0].id === need(added, 'the webhook').id, `listed ${clip(JSON.stringify(webhooks))}`);
    const ofc = await wallet('ofc', admin);
    const refused = await rejects(ofc.createAddress({ onToken: 'ofctbtc' }), 'createAddress by the organization admin');
    check(refused.status === 403, `createAddress answered ${refused.status} ${clip(JSON.stringify(refused.result))}`);
    const send = await rejects(w.prebuildTransaction({ recipients: [{ address: need(address, 'the address'), amount: '1' }] }),
      'tx/build by the organization admin');
    check(send.status === 403 && send.result?.name === 'OrganizationAdminCannotTransact', `tx/build ${clip(JSON.stringify(send.result))}`);
    await admin.logout();
  });
  await step(`${p} wallet.removeWebhook({type, url}) removes it; the list is empty`, async () => {
    const h = need(added, 'the webhook');
    const w = await wallet();
    const removed = await w.removeWebhook({ type: 'transfer', url: h.url });
    check(removed.removed === 1, `answer ${clip(JSON.stringify(removed))}`);
    const { webhooks } = await w.listWebhooks();
    check(webhooks.length === 0, `listed ${clip(JSON.stringify(webhooks))}`);
    await bitgo.logout();
  });
  hook.close();
}
