// Checks that a value holds no secret, without ever printing the secret (assertion messages
// name only where it was found).
import assert from 'node:assert/strict';

/** Every 8-character piece of `secret` (a shorter match could be chance). */
function pieces(secret) {
  const out = [];
  for (let i = 0; i + 8 <= secret.length; i += 1) out.push(secret.slice(i, i + 8));
  return out.length ? out : [secret];
}

/** Fails, naming `where`, when `text` holds the secret or any 8-character piece of it. */
export function assertNoSecret(text, secret, where) {
  const s = typeof text === 'string' ? text : JSON.stringify(text);
  const found = pieces(secret).some((p) => s.includes(p));
  assert.ok(!found, `${where}: holds (a piece of) the secret`);
}

/** The secret of an account (its first product environment). */
export const secretOf = (account) => account.product_environments[0].api_secret;

/** Verifies the account's e-mail through the emulator's outbox and verify form. */
export async function verify(emu, email, password = 'a-long-password') {
  const base = typeof emu === 'string' ? emu : emu.url;
  const list = await (await fetch(`${base}/_emulator/outbox?to=${encodeURIComponent(email)}`)).json();
  const mail = list.filter((m) => m.to === email).pop();
  assert.ok(mail, `no verification e-mail to ${email}`);
  const res = await fetch(mail.verify_url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ password }).toString(),
    redirect: 'manual',
  });
  assert.ok(res.status < 400, `verify answered ${res.status}`);
}
