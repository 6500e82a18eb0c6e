import { describe, expect, it } from 'vitest';
import { chooseRequester, isMailSystemAddress, isNoReplyAddress, looksNoReply, visibleParticipants, withoutPlus } from '../../src/domain/addresses.js';
import { box, message, northwind } from '../support/message.js';

describe('chooseRequester', () => {
  it('uses From for ordinary mail', () => {
    expect(chooseRequester(message(), northwind, true)?.requester.address).toBe('maria.garcia@northwind.example');
  });

  it('takes the person from Reply-To when a contact form sends from no-reply', () => {
    const msg = message({ from: box('no-reply@forms.northwind.example'), replyTo: [box('sam@fabrikam.example', 'Sam Okafor')] });
    const choice = chooseRequester(msg, northwind, true)!;
    expect(choice.requester).toEqual({ address: 'sam@fabrikam.example', name: 'Sam Okafor' });
    expect(choice.reason).toBe('requester sam@fabrikam.example taken from Reply-To (From no-reply@forms.northwind.example is a no-reply address)');
  });

  it('ignores a Reply-To that points back at us', () => {
    const msg = message({ replyTo: [box('support@northwind.example')] });
    expect(chooseRequester(msg, northwind, true)?.requester.address).toBe('maria.garcia@northwind.example');
  });

  it('answers From, not a different Reply-To, when the mail is not authenticated', () => {
    const msg = message({ replyTo: [box('mallory@evil.test')] });
    const choice = chooseRequester(msg, northwind, false)!;
    expect(choice.requester.address).toBe('maria.garcia@northwind.example');
    expect(choice.reason).toContain('Reply-To mallory@evil.test not used: the mail is not authenticated');
  });

  it('returns null when there is no one to answer', () => {
    expect(chooseRequester(message({ from: null }), northwind, true)).toBeNull();
  });
});

describe('participants', () => {
  it('lists everyone visible except our own addresses, plus-addressed or not', () => {
    const msg = message({
      to: [box('support@northwind.example'), box('helpdesk+tkt-2@northwind.example')],
      cc: [box('tom.becker@northwind.example'), box('it-team@northwind.example')],
    });
    expect(visibleParticipants(msg, northwind)).toEqual(['maria.garcia@northwind.example', 'tom.becker@northwind.example']);
  });
  it('strips plus tags', () => {
    expect(withoutPlus('support+tkt-9@northwind.example')).toBe('support@northwind.example');
  });
});

describe('senders that take no reply (one list for the auto-reply guard and machine-mail)', () => {
  it('a mail system, a no-reply name or a contact form takes no reply; a person does', () => {
    for (const address of ['mailer-daemon@x.example', 'postmaster@x.example', 'noreply@x.example', 'no_reply+42@x.example', 'do-not-reply@x.example', 'bounces-7@x.example', 'notifications@x.example', 'forms@x.example']) {
      expect(looksNoReply(address), address).toBe(true);
    }
    expect(looksNoReply('sam@x.example')).toBe(false);
  });

  it('tells its kinds apart for machine-mail: a form is no notification, a mail system is one by its exact name', () => {
    expect(isNoReplyAddress('no-reply@x.example')).toBe(true);
    expect(isNoReplyAddress('forms@x.example')).toBe(false);
    expect(isNoReplyAddress('postmaster@x.example')).toBe(false);
    expect(isMailSystemAddress('postmaster@x.example')).toBe(true);
    expect(isMailSystemAddress('postmaster-team@x.example')).toBe(false);
  });
});
