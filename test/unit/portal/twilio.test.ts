// POST /webhooks/twilio/whatsapp: Twilio's signature algorithm (checked against Twilio's own
// published examples), messages as tasks stored once per MessageSid, forged or oversized refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twilioSignature } from '../../../src/portal/twilio';
import { inPortal, portalWorld } from '../../support/portal/portalKit';

test("the signature algorithm gives the values of Twilio's published examples (auth token 12345)", () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const call = (caller: string) => ({
    CallSid: 'CA1234567890ABCDE',
    Caller: caller,
    Digits: '1234',
    From: caller,
    To: '+18005551212',
  });
  assert.equal(twilioSignature('12345', url, call('+14158675309')), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  assert.equal(twilioSignature('12345', url, call('+14158675310')), 'GvWf1cFY/Q7PnoempGyD5oXAezc=');
  // Parameter order on the wire does not matter: they are sorted by name.
  assert.equal(
    twilioSignature(
      '12345',
      url,
      new URLSearchParams([
        ['To', '+18005551212'],
        ['From', '+14158675309'],
        ['Digits', '1234'],
        ['Caller', '+14158675309'],
        ['CallSid', 'CA1234567890ABCDE'],
      ]),
    ),
    'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
  );
});

const TOKEN = 'twilio-auth-token-test';
const message = (sid: string, body: string) =>
  new URLSearchParams({
    MessageSid: sid,
    AccountSid: 'AC0000',
    From: 'whatsapp:+15550001111',
    To: 'whatsapp:+15559990000',
    Body: body,
    NumMedia: '0',
  });

test("a signed WhatsApp message becomes a task (source whatsapp, the sender as requester); Twilio's retry is stored once", async () => {
  await inPortal({ twilioAuthToken: TOKEN }, async (world) => {
    const url = `http://127.0.0.1:${world.port}/webhooks/twilio/whatsapp`;
    const params = message('SM1', 'The checkout button is grey\nOn the cart page, since today.');
    const send = () =>
      world.http('POST', '/webhooks/twilio/whatsapp', {
        body: params.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(TOKEN, url, params),
        },
      });
    const first = await send();
    assert.equal(first.status, 200, first.text);
    assert.match(String(first.headers['content-type']), /^text\/xml/);
    assert.equal((await send()).status, 200);
    const tasks = await world.queue.listTasks();
    assert.deepEqual(
      tasks.map((t) => [t.title, t.source, t.requester, t.description]),
      [
        [
          'The checkout button is grey',
          'whatsapp',
          'whatsapp:+15550001111',
          'The checkout button is grey\nOn the cart page, since today.',
        ],
      ],
    );
  });
});

test('behind a proxy the signature is over serve.publicUrl + path; forged, unsigned, oversized or unconfigured: refused, nothing stored', async () => {
  await inPortal({ twilioAuthToken: TOKEN, publicUrl: 'https://queue.example.com/' }, async (world) => {
    const params = message('SM2', 'hello');
    const post = (signature: string | undefined, body = params.toString()) =>
      world.http('POST', '/webhooks/twilio/whatsapp', {
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature ? { 'x-twilio-signature': signature } : {}),
        },
      });
    assert.equal((await post(undefined)).status, 401);
    assert.equal(
      (await post(twilioSignature('another-token', 'https://queue.example.com/webhooks/twilio/whatsapp', params)))
        .status,
      403,
    );
    assert.equal(
      (await post(twilioSignature(TOKEN, `http://127.0.0.1:${world.port}/webhooks/twilio/whatsapp`, params))).status,
      403,
      'the received URL is not the public one',
    );
    const tampered = new URLSearchParams(params);
    tampered.set('Body', 'something else');
    assert.equal(
      (
        await post(
          twilioSignature(TOKEN, 'https://queue.example.com/webhooks/twilio/whatsapp', params),
          tampered.toString(),
        )
      ).status,
      403,
    );
    const huge = message('SM3', 'x'.repeat(100_000));
    assert.equal(
      (await post(twilioSignature(TOKEN, 'https://queue.example.com/webhooks/twilio/whatsapp', huge), huge.toString()))
        .status,
      413,
    );
    assert.equal((await world.queue.listTasks()).length, 0);
    assert.equal(
      (await post(twilioSignature(TOKEN, 'https://queue.example.com/webhooks/twilio/whatsapp', params))).status,
      200,
    );
    assert.equal((await world.queue.listTasks()).length, 1);
  });
  const off = await portalWorld();
  try {
    assert.equal(
      (await off.http('POST', '/webhooks/twilio/whatsapp', { body: 'a=b', headers: { 'x-twilio-signature': 'x' } }))
        .status,
      503,
    );
  } finally {
    await off.close();
  }
});
