import { describe, expect, it } from 'vitest';
import { isOnlyThanks, thanksVerdict } from '../../src/domain/thanks.js';

/** Replies to a resolved ticket that say nothing new: recorded, not reopened. */
const onlyThanks = [
  'Thanks!',
  'Thank you so much, works now 👍',
  'thx',
  'Great, cheers',
  'ok thanks',
  'Perfect, thank you Priya!',
  'Danke!',
  'Vielen Dank',
  'Tack!',
  'Merci',
  'ありがとうございます',
  '👍',
  'ok',
  'OK 👍🏽',
  'Got it, thanks',
  'Thanks Alex!\n\nMaria',
  'Thanks again!',
  'Cheers Alex, all good now 🙏',
  'Thanks, that did the trick.\n- Sam',
  'Hi Priya,\n\nthat fixed it, thanks a lot!\n\nBest regards,\nMaria Garcia',
  'Thank you for the quick help, everything works perfectly now ❤️',
  'Danke, funktioniert wieder 👍\n\nViele Grüße\nJonas',
  'Perfekt, vielen herzlichen Dank für die schnelle Hilfe!',
  'Merci beaucoup, ça marche !',
  'Parfait, merci Julien',
  'Muchas gracias, ya funciona',
  'Grazie mille!',
  'Obrigado, funcionou!',
  'Bedankt, werkt weer!',
  'Tack så mycket, nu fungerar det!',
  'Kiitos paljon!',
  'Dziękuję bardzo',
  'Спасибо большое!',
  '감사합니다',
  '谢谢！',
  '田中さん、ご対応ありがとうございました。',
  '本当に助かりました！ありがとうございます。',
  'Thank you Jean-Luc O’Brien!',
];

/** Replies that carry a new problem or a question: they must reach a technician. */
const moreThanThanks: Array<[text: string, reason: string]> = [
  ['Thanks, but it broke again', '"but" says there is more to it'],
  ['thanks - one more thing: my VPN token expired', '"more" says there is more to it'],
  ['Thank you. Could you also install Visio?', 'it asks a question'],
  ['it broke again', '"broke" says there is more to it'],
  ['Thanks, it doesn’t work', '"doesn\'t" says there is more to it'],
  ['Thanks, not fixed', '"not" says there is more to it'],
  ['Thanks. Printer still jammed', '"still" says there is more to it'],
  ['Great, thanks. When will the new laptop arrive?', 'it asks a question'],
  ['Thanks! Also my monitor flickers', '"Also" says there is more to it'],
  ['Outlook crashed again. Thanks', '"crashed" says there is more to it'],
  ['Thanks. The printer on floor 3 jams', '"printer" is more than thanks'],
  ['Thanks in advance', '"in" is more than thanks'],
  ['Please reopen, thanks', '"Please" is more than thanks'],
  ['Thanks, see attached log', '"see" is more than thanks'],
  ['Thanks! 😞', '"😞" is more than thanks'],
  ['Hi Alex, the VPN works now but Outlook keeps asking for my password. Thanks, Maria', '"but" says there is more to it'],
  ['Danke, aber es geht immer noch nicht', '"aber" says there is more to it'],
  ['Danke, leider wieder kaputt', '"leider" says there is more to it'],
  ['Merci, mais l’imprimante ne marche pas', '"mais" says there is more to it'],
  ['Gracias, pero sigue sin funcionar', '"pero" says there is more to it'],
  ['Tack, men det fungerar inte', '"men" says there is more to it'],
  ['Bedankt, maar het werkt nog niet', '"maar" says there is more to it'],
  ['ありがとうございます。でも、まだエラーが出ます。', '"でも" says there is more to it'],
  ['ありがとうございます。プリンターが動きません。', '"ません" says there is more to it'],
  ['谢谢，但是还是不行', '"但" says there is more to it'],
];

describe('isOnlyThanks: thanks and acknowledgements', () => {
  it.each(onlyThanks)('%j', (text) => {
    expect(thanksVerdict(text)).toMatchObject({ onlyThanks: true, reason: expect.stringMatching(/^only thanks or an acknowledgement \(".+"\)$/) });
    expect(isOnlyThanks(text)).toBe(true);
  });
});

describe('isOnlyThanks: more than thanks', () => {
  it.each(moreThanThanks)('%j', (text, reason) => {
    expect(thanksVerdict(text)).toEqual({ onlyThanks: false, reason });
    expect(isOnlyThanks(text)).toBe(false);
  });

  it('says nothing is not thanks', () => {
    expect(thanksVerdict('')).toEqual({ onlyThanks: false, reason: 'the reply is empty' });
    expect(thanksVerdict(' \n\n ')).toEqual({ onlyThanks: false, reason: 'the reply is empty' });
  });

  it('needs a word of thanks or acknowledgement', () => {
    expect(thanksVerdict('Hi Alex,\n\nMaria')).toEqual({ onlyThanks: false, reason: 'no word of thanks or acknowledgement' });
    expect(thanksVerdict('so much')).toEqual({ onlyThanks: false, reason: 'no word of thanks or acknowledgement' });
  });

  it('caps the length: a long text is more than thanks even in friendly words', () => {
    const long = Array.from({ length: 13 }, () => 'thanks so').join(' ');
    expect(thanksVerdict(long)).toEqual({ onlyThanks: false, reason: '26 words: more than thanks' });
    expect(thanksVerdict(`Thanks ${'👍'.repeat(200)}`)).toEqual({ onlyThanks: false, reason: 'longer than 200 characters: more than thanks' });
  });

  it('takes a capitalised word for a name only next to thanks or a greeting', () => {
    expect(isOnlyThanks('Thanks Alex')).toBe(true);
    expect(isOnlyThanks('Alex, thanks')).toBe(true);
    expect(thanksVerdict('Thanks. Projector Broken')).toEqual({ onlyThanks: false, reason: '"Broken" says there is more to it' });
    expect(thanksVerdict('Thanks! Monitor flickering')).toEqual({ onlyThanks: false, reason: '"flickering" is more than thanks' });
    expect(thanksVerdict('Thanks!\n\nThe Printer Again Jammed Today')).toEqual({ onlyThanks: false, reason: '"Printer" is more than thanks' });
    expect(thanksVerdict('Thanks Maria Garcia Lopez Finance')).toEqual({ onlyThanks: false, reason: '"Finance" is more than thanks' });
  });

  it('takes only a short last line of capitalised words for the sender’s name', () => {
    expect(isOnlyThanks('Thanks!\n\nMaria Garcia')).toBe(true);
    expect(isOnlyThanks('Thanks!\n\nMaria Garcia Lopez Finance')).toBe(false);
  });

  it('needs a Japanese run to split wholly into known phrases', () => {
    expect(thanksVerdict('ありがとうございます。新しいパソコンが届きました')).toEqual({ onlyThanks: false, reason: '"新しいパソコンが届きました" is more than thanks' });
  });
});
