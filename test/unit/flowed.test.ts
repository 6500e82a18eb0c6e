import { describe, expect, it } from 'vitest';
import { decodeFlowed } from '../../src/mail/flowed.js';

describe('format=flowed decoding (RFC 3676)', () => {
  it('joins soft-broken lines of one paragraph, and keeps hard breaks', () => {
    expect(decodeFlowed('The printer on floor 2 prints \nblank pages since the toner \nchange.\nThanks,\nMehmet')).toBe('The printer on floor 2 prints blank pages since the toner change.\nThanks,\nMehmet');
  });

  it('joins quoted lines of one depth without repeating the quote marks inside the paragraph', () => {
    expect(decodeFlowed('> Does the Wi-Fi still drop now that the access point was replaced? If it \n> does, please send the times it happened. \n>> older \n>> text')).toBe(
      '> Does the Wi-Fi still drop now that the access point was replaced? If it does, please send the times it happened. \n>> older text',
    );
  });

  it('never joins across quote depths: a reply right under a soft-broken quote stays the reply (§4.5)', () => {
    const text = ['On 09/11/2026 16:05, Alex Kim wrote:', '> If it ', '> does, please send the times it happened. ', 'Yes, it dropped twice this morning, at 08:12 and at 09:40, both times in ', 'meeting room Fjord.', '', 'Lars'].join('\r\n');
    expect(decodeFlowed(text).split('\n')).toEqual([
      'On 09/11/2026 16:05, Alex Kim wrote:',
      '> If it does, please send the times it happened. ',
      'Yes, it dropped twice this morning, at 08:12 and at 09:40, both times in meeting room Fjord.',
      '',
      'Lars',
    ]);
  });

  it('removes space-stuffing, keeps the signature separator a hard break, and drops DelSp spaces', () => {
    expect(decodeFlowed('  From the start\n-- \nMehmet')).toBe(' From the start\n-- \nMehmet');
    expect(decodeFlowed('Wi-Fi is ba \nck.', true)).toBe('Wi-Fi is back.');
  });
});
