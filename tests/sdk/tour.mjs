// The BitGo SDK tour (docs/bitgo-sdk.md shows this file verbatim; `cargo test --test sdk` runs it
// twice against one server). Run it yourself from tests/sdk (npm ci there first):
//   ORGBOX_URL=http://127.0.0.1:3080 node tour.mjs
import { BitGoAPI } from '@bitgo/sdk-api';
import { coins } from '@bitgo/sdk-core';

const bitgo = new BitGoAPI({ env: 'custom', customRootURI: process.env.ORGBOX_URL || 'http://127.0.0.1:3080' });
// The usual coin registration: a Go Account is an `ofc` wallet, each asset an `ofc` token.
bitgo.register('ofc', coins.Ofc.createInstance);
for (const [coin, decimalPlaces, backingCoin] of [['ofctusd', 2, 'tusd'], ['ofctbtc', 8, 'tbtc']]) {
  const isFiat = coin === 'ofctusd';
  bitgo.register(coin, coins.OfcToken.createTokenConstructor({ coin, type: coin, name: coin, decimalPlaces, backingCoin, isFiat }));
}

// Log in as the organization's service user, who trades and withdraws for its end users.
await bitgo.authenticate({ username: 'service@prestige-worldwide.test', password: 'Prestige-Worldwide-2026', otp: '000000' });

// The demo child enterprise's Go Account, found by its label.
const { wallets } = await bitgo.coin('ofc').wallets().list();
const account = wallets.find((w) => w.label() === 'chazz@prestige-worldwide.test Go Account');
const usd = await bitgo.coin('ofctusd').wallets().get({ id: account.id() });
console.log('Go Account', account.id(), 'holds', usd.balanceString(), 'USD cents');

// Withdraw 100 USD: the SDK builds the withdrawal, decrypts the account's user key with the
// wallet passphrase (the demo password), signs the payload and sends it.
const sent = await usd.send({ address: 'external-bank', amount: '10000', walletPassphrase: 'Prestige-Worldwide-2026' });
console.log('withdrawal', sent.transfer.id, sent.transfer.state);

// 5 BTC is 300,000 USD at the sandbox price, above the video-approval threshold: held.
const btc = await bitgo.coin('ofctbtc').wallets().get({ id: account.id() });
const big = await btc.send({ address: 'tb1q-outside', amount: '500000000', walletPassphrase: 'Prestige-Worldwide-2026' });
console.log('large withdrawal', big.pendingApproval.id, big.pendingApproval.state);

// The end user, the child's video approver, would approve it (approval.approve({ otp })); here
// its initiator cancels it, and the 5 BTC are free again.
const approval = await bitgo.coin('ofctbtc').pendingApprovals().get({ id: big.pendingApproval.id });
await approval.cancel({ otp: '000000' });
const after = await bitgo.coin('ofctbtc').wallets().get({ id: account.id() });
console.log('cancelled; spendable', after.spendableBalanceString(), 'satoshi');
await bitgo.logout();
