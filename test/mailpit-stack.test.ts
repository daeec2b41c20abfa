/**
 * The test stack's Mailpit: mail sent over SMTP_URL (with nodemailer, as the app sends) can be read back
 * through MAILPIT_URL, subject, addresses, both bodies and every header, by the helpers other tests use.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import nodemailer from 'nodemailer';
import { getHeaders, getMessage, getRaw, waitForMessagesTo } from './helpers/mailpit.js';

const smtpUrl = process.env.SMTP_URL;
if (!smtpUrl) throw new Error('SMTP_URL is not set: run the tests with npm test');
const transport = nodemailer.createTransport(smtpUrl);
after(() => transport.close());

test('when a mail is sent over SMTP to the stack’s Mailpit, then its API shows it with its headers, text and html', async () => {
  const to = `bidder-${randomUUID()}@example.test`;
  const unsubscribe = `<https://gavel.example/v1/unsubscribe/${randomUUID()}>, <mailto:unsubscribe@gavel.example>`;
  const subject = 'You have been outbid on “Brass telescope”';
  const sent = await transport.sendMail({
    from: 'Gavel <notifications@gavel.localhost>',
    to: `Ada Bidder <${to}>`,
    subject,
    text: 'Someone bid 120.00 EUR. Bid again: https://gavel.example/auctions/1',
    html: '<p>Someone bid <b>120.00 EUR</b>. <a href="https://gavel.example/auctions/1">Bid again</a></p>',
    headers: { 'List-Unsubscribe': unsubscribe, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
  assert.deepEqual(sent.accepted, [to]);

  const [summary, ...more] = await waitForMessagesTo(to);
  assert.ok(summary);
  assert.equal(more.length, 0);
  assert.equal(summary.Subject, subject);
  assert.equal(`<${summary.MessageID}>`, sent.messageId);

  const message = await getMessage(summary.ID);
  assert.equal(message.Subject, subject);
  assert.deepEqual(message.From, { Name: 'Gavel', Address: 'notifications@gavel.localhost' });
  assert.deepEqual(message.To, [{ Name: 'Ada Bidder', Address: to }]);
  assert.equal(message.Text.trim(), 'Someone bid 120.00 EUR. Bid again: https://gavel.example/auctions/1');
  assert.equal(
    message.HTML.trim(),
    '<p>Someone bid <b>120.00 EUR</b>. <a href="https://gavel.example/auctions/1">Bid again</a></p>',
  );
  // Mailpit's own reading of the header: both links found, nothing wrong with it.
  assert.equal(message.ListUnsubscribe.Header, unsubscribe);
  assert.equal(message.ListUnsubscribe.HeaderPost, 'List-Unsubscribe=One-Click');
  assert.equal(message.ListUnsubscribe.Errors, '');

  const headers = await getHeaders(summary.ID);
  assert.deepEqual(headers['List-Unsubscribe'], [unsubscribe]);
  assert.deepEqual(headers['List-Unsubscribe-Post'], ['List-Unsubscribe=One-Click']);
  assert.deepEqual(headers['Message-Id'], [sent.messageId]); // names in Go's canonical case
  assert.match((await getRaw(summary.ID)).replace(/\r\n/g, '\n'), /^Content-Type: multipart\/alternative;/m);
});
