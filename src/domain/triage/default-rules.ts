/**
 * The built-in triage rules (what `triage: {}` in the config parses to), tuned on
 * fixtures/triage/expected*.json. A config that sets `triage.categories` or `triage.signals`
 * replaces that list: start from these. No I/O.
 */
import type { CategoryRuleInput, SignalRuleInput } from './schema.js';

// Weights: 3 names the thing, 2 points at it, 1 is a hint that other words must confirm.
export const defaultCategories: CategoryRuleInput[] = [
  {
    name: 'security',
    keywords: {
      phishing: 5,
      ransomware: 5,
      'malware|virus(es)?|trojan': 4,
      'hacked|compromised|breach(ed)?': 4,
      'data (loss|leak)': 4,
      'suspicious|scam|spoof(ed|ing)?|fraud(ulent)?': 4,
      "block (the |this )?sender|unknown sender|(don't|do not) know (this|the) (sender|supplier)": 2,
      'stolen|lost (my|the|a|her|his) laptop': 3,
      'fake (login|sign-in|invoice|page)': 2,
    },
  },
  {
    name: 'network',
    keywords: {
      'vpn|globalprotect|anyconnect|wireguard': 3,
      'wi-?fi|wlan|wireless|ssid|hotspot': 3,
      'internet|ethernet|lan|dns|dhcp|proxy|gateway|file server|network drive|shared drive': 2,
      'network|router|access point|switch port|bandwidth|latency|packet loss': 1,
      'ping|ip address|connection|connect(ed|ing|s)?|offline|online': 1,
    },
  },
  {
    name: 'hardware',
    keywords: {
      'laptops?|notebooks?|macbook|desktop pc|pc|workstation|thinkpad|latitude': 2,
      'monitors?|docking stations?|docks?|keyboards?|mouse|mice|headsets?|chargers?|batter(y|ies)': 3,
      'projectors?|speakers?|adapters?|dongles?|hdmi|usb-?c?|displays?|screens?': 2,
      'fan|overheat(s|ing)?|boot(s|ing)?|bios|bitlocker|hard ?drive|ssd|ram': 2,
      'asset tag|asset list|NW-(LT|MB|PC|DT|MN)-\\d+|equipment|hardware': 2,
      'cracked|broken|spilled|panel|camera|webcam|iphone|phone|tablet|ipad': 1,
    },
  },
  {
    name: 'printing',
    keywords: {
      'print(s|ed|er|ers|ing)?|copier|toner|cartridges?|paper jam|scan(s|ned|ner|ning)?': 3,
      'PRN-[A-Z0-9-]+|tray|paper|follow-?me': 2,
      'drucker|druck(t|en)|imprimante|プリンター?|印刷': 3,
    },
  },
  {
    name: 'email',
    keywords: {
      'outlook|mailbox(es)?|shared mailbox|calendars?|inbox|distribution list|owa': 3,
      'out of office|auto-?reply|exchange|spam|junk|mail rules?|signature': 2,
      'e-?mails?|mails?|attachments?|meeting invites?': 1,
    },
  },
  {
    name: 'access',
    keywords: {
      'locked out|account (is |has been |was )?(locked|disabled|expired?)|(password|account) (reset|expir(es|ed|y))|reset (my |the |her |his )?password': 3,
      'mfa|2fa|two-factor|multi-factor|authenticator|temporary access pass|sso|badge': 3,
      'new (starter|joiner|colleague|hire)|onboarding': 3,
      'access|permissions?|rights|accounts?|log ?in|login|sign(ed)?[- ]?in|sharing|read-only|read/write': 2,
      'password|portal|guests?|shares?': 1,
      'ログイン|アカウント|ロック': 3,
      'パスワード|アクセス': 2,
    },
  },
  {
    name: 'software',
    keywords: {
      'excel|word|powerpoint|teams|visio|zoom|sap|adobe|acrobat|docker|chrome|firefox|edge browser': 3,
      'licen[cs]es?|install(ed|ing|ation)?|update|upgrade|backup|crash(es|ed|ing)?|application|app|software|program': 3,
      'onedrive|sharepoint|workbook|spreadsheet|plugin|add-in|driver': 1,
      'ソフト|アプリ': 2,
    },
  },
];

/** Sentence words that make "today" a deadline: need it, due, starts, a meeting... */
const DEADLINE_CONTEXT = [
  'need(s|ed)?',
  'due',
  'deadline',
  'must',
  '(have|has) to',
  'before',
  'starts?',
  'expir(e|es|ing)',
  'close|closing',
  'run',
  'meeting',
  'call',
  'present(ing|ation)?',
  'demo',
  'interview',
  'submit',
  'finish',
  'go-live|launch',
  'flight',
];

export const defaultSignals: SignalRuleInput[] = [
  {
    id: 'security-incident',
    priority: 'P1',
    label: 'security incident',
    category: 'security',
    patterns: [
      'ransomware',
      'phishing',
      "clicked (on )?(a|the|this|that|an) (\\w+ )?(link|attachment)",
      'entered my (password|credentials)',
      'data (loss|leak|breach)',
      'breach(ed)?',
      'compromised|hacked',
      'malware',
      '(files|documents) (are|were|got|have been) encrypted',
    ],
    // Asking about phishing training or a test campaign is not an incident.
    unlessSameSentence: ['training|awareness|simulation|course|webinar'],
  },
  {
    id: 'outage',
    priority: 'P1',
    label: 'outage affecting many people',
    patterns: [
      'outage',
      'down for (everyone|everybody|all( of us)?|the whole \\w+)',
      "(whole|entire) (floor|office|building|site|team|department|company|branch|warehouse) (is |are )?(now )?(down|offline|affected|without|can't|cannot|unable)",
      '(everyone|everybody|all (users|staff|employees|of us)) (here |in the office |on (the|our|this) floor )?(is |are )?(down|offline|locked out|blocked)',
      "(nobody|no one|none of us)[^.!?\\n]{0,40}(can|is able to|are able to) (work|log ?in|sign ?in|connect|get online|get any work done|access|open|send|receive|call|reach|use)",
      '(the |our )?(file |mail |print )?(server|servers|network|intranet|website|erp|crm|sap) (is|are|went|has gone|have gone) down',
      '(all|the) (systems|servers) (are )?down',
      // Many people affected, said without "outage": everyone around has the problem or has given up on the office network.
      "(the |our )?(whole|entire) (team|department|office|floor|building|site|branch|company) (is |are |has been |have been |seems )?(affected|impacted|hit|in the same boat)",
      "(everyone|everybody|all of us|all my colleagues|the whole team)( around me| here| in the office| on (this|my|our|the) floor)? (has|have|is having|are having|gets|get|sees|see) (the same|this) (problem|issue|error)",
      "(we|we've|we're|we are|we have|everyone|everybody|all of us)( all)? (moved to|switched to|using|working (off|from|on)|on|tethering to|tethered to|tethering from) (our |their |my )?(own )?(phones?|mobiles?|phone hotspots?|mobile hotspots?|hotspots?)",
      "we('re| are) all tethering",
      // German
      '(alle|sämtliche) (kollegen|kolleginnen|mitarbeiter|mitarbeitenden|leute)( hier| im büro| auf (der|unserer) etage| im team| in der abteilung)? (haben|sind) (das gleiche|dasselbe|das selbe) problem|(alle|sämtliche) (kollegen|kolleginnen|mitarbeiter|mitarbeitenden)[^.!?\\n]{0,30}(betroffen|offline)',
      '(das ganze|die ganze|der ganze|die gesamte|das gesamte) (team|büro|abteilung|etage|stockwerk|haus|standort|firma)[^.!?\\n]{0,20}(betroffen|offline|ohne (netz|internet|netzwerk)|kann nicht)',
      '(keiner|niemand) (von uns|hier|im büro|auf der etage|in der abteilung)[^.!?\\n]{0,40}(kann|kommt)',
      // Swedish
      'hela (avdelningen|kontoret|våningen|teamet|företaget|gruppen)[^.!?\\n]{0,20}(drabbad|drabbat|drabbade|påverkad|påverkat|utan|nere|sitter utan)',
      'ingen (av oss|här|på kontoret|på våningen|på avdelningen)[^.!?\\n]{0,40}(kan|kommer)',
      'alla (här|på kontoret|på våningen|på avdelningen|i teamet) (har samma (problem|fel)|sitter (på|med) (mobilen|telefonen))',
      // Dutch and French
      'niemand (op de afdeling|hier|op kantoor|op de verdieping)[^.!?\\n]{0,40}kan|de hele (afdeling|verdieping|vloer|kantoor|team)[^.!?\\n]{0,20}(getroffen|plat|offline|kan niet)',
      "personne (ici|au bureau|dans l'équipe|dans le service|à l'étage)[^.!?\\n]{0,40}ne peut|tout (le monde|le service|le bureau|l'étage)[^.!?\\n]{0,20}(est )?(touché|impacté|bloqué|concerné)",
    ],
  },
  {
    id: 'cannot-work',
    priority: 'P2',
    label: 'work is blocked',
    patterns: [
      "(can't|cannot|can not|unable to) (work(?! out)|do (my|any|our) (job|work))",
      "(won't|doesn't|does not|will not|didn't|did not) (boot|start up|turn on|power on|switch on)",
      "(am|is|are|'m|'re) (completely )?blocked",
      'blocked (from|by)',
      '(nobody|no one|none of us)[^.!?\\n]{0,40}(can|is able to|are able to)',
      '(laptop|pc|computer|machine) (is|went) dead',
    ],
  },
  {
    id: 'urgent',
    priority: 'P2',
    label: 'the sender asks for it urgently',
    patterns: [
      'urgent(ly)?',
      'asap',
      'as soon as possible',
      'emergency',
      'high priority',
      '至急',
      '緊急',
      '急ぎ',
      'dringend',
      'urgente',
      'urgence',
      'brådskande',
      'spoed',
    ],
  },
  {
    id: 'deadline-today',
    priority: 'P2',
    label: 'deadline today',
    patterns: ['today', 'tonight', 'this (afternoon|evening)', '{today}', '本日|今日'],
    sameSentence: DEADLINE_CONTEXT,
  },
  {
    id: 'deadline-by',
    priority: 'P2',
    label: 'deadline today',
    patterns: [
      '(by|before) (noon|midday|lunch(time)?|eod|cob|end of (the )?(day|business)|close of business|tonight|today|this (afternoon|evening)|\\d{1,2}([:.]\\d{2})?( ?(am|pm|h|o\'clock))?(?![\\d%]|[:./-]\\d)(?! ?(%|percent|people|users|pages|min|mins|minutes|hours|days|weeks|laptops|devices|gb|mb|tb)\\b))',
      'eod|cob',
    ],
  },
  {
    id: 'deadline-time',
    priority: 'P2',
    label: 'deadline today',
    // A time of day next to a meeting or a need, on a mail that names no other day.
    patterns: ["at \\d{1,2}([:.]\\d{2})?( ?(am|pm|h|o'clock))?(?![\\d%]|[:./-]\\d)(?! ?(%|percent|people|users|pages|min|mins|minutes|hours|days)\\b)"],
    sameSentence: ['meetings?', 'call', 'present(ing|ation)?', 'demo', 'interview', 'workshop', 'training', 'kick-?off', 'webinar', 'appointment', 'flight', 'need(s|ed)?'],
    unlessSameSentence: ['tomorrow', 'next (week|month)', '(on|next) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)'],
  },
  {
    id: 'not-urgent',
    priority: 'P4',
    label: 'the sender says it is not urgent',
    patterns: [
      'not (really |that |too |very |super )?urgent',
      'nothing urgent',
      'no (rush|hurry|urgency)',
      'not in a (rush|hurry)',
      'nice to have',
      'not (time[- ])?critical',
      'low priority',
      'not a priority',
      'whenever (you|it|convenient|is convenient)',
      'when(ever)? you (have|get) (a )?(chance|moment|minute|time)',
      'in your own time',
      'at your (earliest )?convenience',
      '急ぎません',
      'nicht dringend',
      'geen haast',
    ],
  },
];
