import type { Language } from './language.js';

/** Hungarian. */
export const hu: Language = {
  code: 'hu',
  // Thunderbird: "2026. 01. 05. 10:01 keltezéssel, Name írta:"; Apple Mail: "… időpontban Name <a@b> írta:".
  wrote: ['írta'],
  // Gmail: "Name <a@b> ezt írta (időpont: 2026. jan. 5., H, 10:01):", the verb before the date.
  wroteBeforeName: ['írta'],
  originalMessage: ['eredeti üzenet'],
  forwardSeparator: ['továbbított üzenet'],
  forwardIntro: ['továbbított üzenet kezdete'],
  headerFields: {
    from: ['feladó'],
    date: ['elküldve', 'dátum', 'küldve'],
    to: ['címzett'],
    subject: ['tárgy'],
    cc: ['másolatot kap', 'másolat'],
  },
  mobileSignatures: [
    // "Az iPhone-omról küldve", "Samsung Galaxy okostelefonról küldve", "Elküldve az iPhone-omról".
    /^.{1,40}r[óő]l küldve$/iu,
    /^elküldve (?:az?|egy) .{1,40}r[óő]l$/iu,
    /^(?:az )?outlook (?:for )?(?:ios|android)\S* (?:beszerzése|letöltése)/iu,
  ],
  externalSenderBanners: ['szervezeten kívülről érkezett', 'szervezetén kívülről érkezett', 'szervezeten kívülről származik'],
  // Written with a colon as often as a comma ("Üdvözlettel:"): the colon is for the sign-off rule to
  // accept, not a word of its own.
  signOffs: [
    'üdvözlettel', 'tisztelettel', 'köszönettel', 'baráti üdvözlettel', 'szívélyes üdvözlettel', 'üdv', 'köszönöm',
    'köszönöm szépen', 'előre is köszönöm', 'köszi', 'szép napot', 'további szép napot',
  ],
  // Outlook writes "V:" (válasz) and "Továbbítás:"; not the bare "V", which a subject may start
  // with as a drive letter ("V: drive full").
  replyPrefixes: ['válasz'],
  forwardPrefixes: ['továbbítás', 'tov'],
};
