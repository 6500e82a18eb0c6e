/**
 * Built-in services and unavailability phrases for incident detection, in English, German and
 * Swedish (the languages of the evaluation storms, test/eval/incidents.ts). Patterns are rule
 * patterns (src/domain/patterns.ts): case-insensitive, whole words.
 */

export const defaultServices = [
  {
    name: 'network',
    label: 'Wi-Fi and network',
    local: true,
    patterns: ['wi-?fi', 'wlan', 'wireless', 'internet', 'network', 'netzwerk', 'netz', 'nätverk(et)?', 'nät(et)?', 'ethernet', 'lan', 'ssid', 'hotspots?', 'tether(ing)?', 'uppkoppling(en)?'],
  },
  {
    name: 'email',
    label: 'email',
    patterns: ['outlook', 'exchange', 'e-?mails?', 'mails?', 'mailbox', 'postfach', 'mejl(en|et)?', 'e-?post(en)?', 'inbox'],
  },
  {
    name: 'vpn',
    label: 'VPN',
    // Working from home and not reaching what is inside: that is the way in, whatever it names.
    patterns: ['vpn', 'globalprotect', 'anyconnect', 'forticlient', 'remote access', 'from home', 'home ?office', 'hemifrån', 'von zu ?hause', 'im homeoffice'],
  },
  { name: 'erp', label: 'the ERP system', patterns: ['sap', 'erp', 'navision', 'dynamics', 'affärssystem(et)?', 'warenwirtschaft'] },
  { name: 'teams', label: 'Teams', patterns: ['teams', 'zoom', 'video ?calls?', 'videokonferenz'] },
  { name: 'phones', label: 'phones', local: true, patterns: ['phones?', 'telephon(e|y)', 'telefon(e|en|erna)?', 'softphone', 'switchboard', 'växel(n)?'] },
  { name: 'files', label: 'file shares', patterns: ['file ?shares?', 'shared drive', 'network drive', 'laufwerk', 'netzlaufwerk', 'filserver(n)?', 'file ?server', 'sharepoint', 'onedrive'] },
  { name: 'printing', label: 'printing', local: true, patterns: ['printers?', 'printing', 'print server', 'drucker', 'drucken', 'skrivare(n)?', 'utskrift(er)?'] },
  { name: 'sign-in', label: 'signing in', patterns: ['sso', 'single sign-?on', 'log ?in', 'sign ?in', 'anmeld(ung|en)', 'inloggning(en)?', 'logga in', 'okta', 'entra', 'azure ad'] },
];

export const defaultSymptoms = [
  // English ("slowing me down" is not an outage)
  '(?<!slow(s|ing)? (me|it|us|things|everything) )down',
  'outage',
  'offline',
  'dead',
  'gone',
  "(is|are|'s|'re)n't working|(is|are) not working|not working( at all)?|stopped working|doesn't work|does not work|won't (work|connect|load|open)",
  "(can't|cant|cannot|can not|unable to|couldn't) (connect|get (on ?line|online|in|on|through)|reach|access|load|open|send|receive|print|log ?in|sign ?in)",
  "(not|n't|nt) (receiving|getting) (any )?(e-?mails?|mails?|calls?)|no (new )?(e-?mails?|mails?) (are )?(coming in|arriving)|(nothing|no e-?mails?) (has|have|seems to have) (arrived|come in)",
  '(keeps|kept) asking for (my|the) password|rings out|no dial ?tone|registration failed',
  'no (connection|connectivity|signal|internet|network|wi-?fi|access|service)',
  '(keeps|kept) (dropping|disconnecting|crashing|failing)',
  'disconnected',
  '(not|un)reachable',
  'times? out|timing out|timed out',
  "tethering|(on|using) (my|our|the) (phone|phone's|mobile|mobile's) hotspots?",
  // German
  'geht nicht|gehen nicht|geht gar nichts|funktioniert nicht|funktionieren nicht|funzt nicht',
  'ausgefallen|ausfall|störung|gestört',
  'keine (verbindung|internetverbindung|netzwerkverbindung|anmeldung)|kein (internet|netz|wlan|empfang|zugriff)',
  'nicht (erreichbar|verbunden|möglich)|getrennt',
  'druck(t|en) nicht|kann (nix|nichts) (aus)?drucken|keine ausdrucke|kommt nichts (mehr )?raus|(kommt|kommen) nicht an',
  'keine (neuen )?(e-?)?mails|komme nicht (ins|in das|auf das|an)|fragt (ständig|immer wieder|dauernd) nach (meinem|dem) passwort',
  // Swedish
  'fungerar inte|funkar inte|fungerar ej|går inte',
  'nere|ligger nere|avbrott|strul',
  'ingen (anslutning|uppkoppling|täckning|åtkomst)|inget (internet|nätverk|nät|wifi|wi-fi)',
  'kommer inte (in|åt|ut)|inga (nya )?mejl|står still|tappat (nätet|uppkopplingen|anslutningen)|hänger (sig|bara)',
  "(sitter|är) på (mobilens|telefonens|mobil)? ?hotspot",
  'frånkopplad|bortkopplad|ur funktion',
];

/** Phrases saying the problem is the writer's own: such a report is not of an outage. */
export const defaultOnlyMe = [
  "(only|just) (me|mine|my (laptop|pc|computer|machine|account|phone))",
  "(my )?(phone|mobile|colleagues?|co-?workers?|others|everyone else|the rest of (the|my) team)('s| is| are| seems?)? (fine|ok|okay|working|unaffected)",
  "(works|is working|is fine) (for|on) (my )?(colleagues?|everyone else|others|my phone)",
  'nur (bei )?mir|nur mein(e|en)? (laptop|rechner|pc|konto)',
  '(bei )?(den )?(kollegen|anderen) (geht|funktioniert|klappt) (es|alles)',
  'bara (jag|för mig|min (dator|laptop|telefon))',
  // The writer's own line at home: their provider's fault, not ours.
  'my (home )?(broadband|router)|mein(en)? (router|heimanschluss)|min router|mitt bredband',
  '(kollegorna|de andra|alla andra) (har inga problem|fungerar|funkar)',
];
