import { describe, expect, it } from 'vitest';
import { chooseRequester, visibleParticipants, withoutPlus } from '../../src/domain/addresses.js';
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
