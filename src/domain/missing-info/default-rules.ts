/**
 * The built-in missing-information rules (what `missingInfo: {}` in the config parses to): the
 * details we may ask for, and which categories need which. A config that sets one of these
 * parts replaces it: start from these. No I/O.
 */
import type { DetailRuleInput } from './schema.js';

// A product name or a hostname: what people write when they name the thing that is broken.
const HOSTNAME = '[a-z0-9-]+(\\.[a-z0-9-]+)*\\.(example|com|net|org|local|corp|io|nl|de|se|jp)';
const EMAIL_ADDRESS = '[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}';
const APPLICATIONS =
  'excel|word|powerpoint|outlook|teams|onedrive|sharepoint|visio|project|zoom|webex|slack|sap|salesforce|jira|confluence|adobe|acrobat|photoshop|chrome|firefox|edge|safari|docker|vs ?code|visual studio|git(hub|lab)?|citrix|globalprotect|anyconnect|windows update|intune|company portal' +
  // Business applications: payroll, ERP, CRM, BI and design tools.
  '|visma|datev|business central|dynamics|navision|hubspot|workday|power ?bi|tableau|sketchup|autocad|crm|erp';
// Other languages' words for "my": "mijn account", "mon accès".
const MY = '(mijn|onze|mein(e|en)?|unser(e|en)?|min|mitt|mina|vår|vårt|mon|ma|mes|notre|nos)';
/** Everyone at once: a team's own accounts, many people in one place. */
const MANY =
  "everyone|everybody|nobody|no one|whole (floor|office|building|team)|all of us|none of us|\\d+ of us|servers?|iedereen|niemand|ingen av oss|alla (här|på)|hela (kontoret|våningen|avdelningen)|keiner|alle kollegen|personne|tout le monde|toute l['’]équipe|\\d+ (man|mensen|people|leute|personer|personnes|users|agents)";

export const defaultDetails: DetailRuleInput[] = [
  {
    id: 'description',
    ask: 'a few sentences about what happens, since when, and what you were doing when it started',
    minWords: 6,
  },
  {
    id: 'asset',
    ask: 'the asset tag (the sticker on the underside, like NW-LT-0217) or the make and model of the device',
    present: [
      'NW-([A-Z]{2}-)?\\d{3,6}',
      'asset( tag| number| no\\.?)?',
      'serial( number| no\\.?)?|s/n',
      'model|make and model',
      'dell|hp|lenovo|thinkpad|latitude|elitebook|surface|macbook|imac|ipad|iphone|samsung|logitech|jabra|poly|plantronics|eizo|brother|ricoh|canon|epson',
      '[a-z]{1,4}-?\\d{2,5}[a-z]{0,4}\\d*', // a model number such as WD22TB4, P2422H, X1
      'purchase order|PO-?\\d+',
      '(meeting )?room [a-z0-9]|boardroom|booking (display|panel)', // a room's screen or panel is identified by the room
    ],
  },
  {
    id: 'location',
    ask: 'where you are: the office and floor (for example Amsterdam, 2nd floor), or home',
    present: [
      'office|floor|building|room|desk|reception|warehouse|site|branch|canteen|kitchen|lobby',
      'home|remote(ly)?|hotel|travel(l)?ing|on the road',
      'amsterdam|rotterdam|hamburg|stockholm|tokyo|london|berlin|paris',
      '\\d+(st|nd|rd|th) floor|ground floor',
      // The same in the offices' languages: "4. OG", "2e verdieping", "3e étage", "våning 4".
      'büro|etage|stock(werk)?|og|eg|besprechungsr(a|ä)um(e|en)?|kantoor|verdieping|vloer|vergaderruimte|magazijn|hal|kontor(et)?|våning(en)?|lager(et)?|bureau|étage|salle|accueil|entrepôt',
      'malmö|lyon|göteborg|münchen|frankfurt|utrecht|antwerpen|bruxelles|brussel',
    ],
    // A VPN gateway is the same from everywhere: where the user sits does not change the fix.
    unless: ['vpn|globalprotect|anyconnect|remote access'],
  },
  {
    id: 'connection',
    ask: 'whether you are on Wi-Fi (which network name) or plugged in with a cable',
    present: [
      'wi-?fi|wlan|wireless|ssid|hotspot|tether(ing)?|mobile data|4g|5g',
      'wired|cable|ethernet|lan|dock(ing station)?|network port|plugged in',
      'guest network|eduroam|NW-Corp|NW-Guest',
    ],
    // The way in matters for one person's local network only: over the VPN it is the tunnel
    // that fails, and when many people or a server are down, one person's cable changes nothing.
    unless: ['vpn|globalprotect|anyconnect|remote access', MANY],
  },
  {
    id: 'system',
    ask: 'which system or service it is about, for example the expense system, a shared drive or SharePoint site',
    present: [
      HOSTNAME,
      'https?://\\S+',
      '\\\\\\\\[a-z0-9.-]+\\\\', // a share path: \\fs01\...
      '[a-z]:\\\\', // a drive path: S:\Finance
      'portail|portaal|système|systeem|systemet|dossier|map|ordner|mapp(en)?|laufwerk|schijf|lecteur|enhet(en)?|webseite',
      APPLICATIONS,
      '(system|portal|share|shared (drive|folder|mailbox)|drive|folder|site|server|database|channel|mailbox|calendar|application|app|tool|vpn|wi-?fi)',
      'password|mfa|2fa|authenticator|temporary access pass', // the main Northwind sign-in itself
      'badge|building|(meeting )?room [a-z0-9]|resource',
      'システム|アカウント|パスワード|ログイン',
    ],
  },
  {
    id: 'account',
    ask: 'whose account it is: the person’s full name or email address',
    present: [
      EMAIL_ADDRESS,
      "(my|our|his|her|their) ([\\w.-]+ ){0,2}(account|accounts|login|log-?in|password|mfa|user ?name|user id|badge|sign-?in|access|mailbox)",
      "I('m| am)?[^.!?\\n]{0,30}(log|sign)(ged)?[- ]?(in|on)|I('m| am) locked out",
      'for (me|him|her|them)|(give|grant|add) me',
      "I('d| would)?[^.!?\\n]{0,15}(need|want|like|require|request)[^.!?\\n]{0,20}access",
      // "Could I get read access", "ich bräuchte Leserechte", "jag behöver åtkomst": the sender's own.
      "(could|can|may) I (get|have|be given)[^.!?\\n]{0,20}(access|rights|permissions)|(ich|ik|jag|je|yo)[^.!?\\n]{0,80}(bräuchte|brauche|benötige|nodig|behöver|besoin|necesito|necesitaría)|j['’]ai besoin",
      'user ?name|user id|employee (id|number)|badge (no|number)|account (name|is)',
      'new (starter|joiner|colleague|hire) [a-z]+',
      'set (me|him|her|them) up',
      // Many at once: their own accounts, all of them.
      MANY,
      "(my|our) ([\\w.-]+ ){0,2}(permissions|rights)|(we|wij|wir|vi|nous) (can't|cannot|get|have|krijgen|hebben|kunnen|bekommen|haben|können|får|har|kan|avons|pouvons|n['’]avons)",
      `${MY} ([\\w.-]+ ){0,2}(account|konto(t)?|compte|login|inlog|wachtwoord|passwort|kennwort|lösenord(et)?|mot de passe|toegang|zugang|zugriff|accès|åtkomst|behörighet)`,
      "(jag|ik|ich|je|j['’])[^.!?\\n]{0,30}(loggar in|logga in|log in|inlog\\w*|anmelde|einlogge|me connecte|connecter)",
      'アカウント|パスワード|ログイン', // Japanese drops the "my": a login problem is the sender's own
    ],
  },
  {
    id: 'application',
    ask: 'which application it is (for example Excel, Teams or the expense system) and its version if you know it',
    present: [
      APPLICATIONS,
      '(the|my|our) ([\\w-]+ ){1,2}(app|application|program|software|client|tool|agent|plugin|add-in)',
      '\\w+\\.exe',
      'licen[cs]e for',
      // A name with its version, "LohnPro 24.3", is an application; "at 10.30" is a time.
      '(?!(at|um|om|kl|vers|ab|bis|from|till|until|before|by|after|since|seit|sinds|sedan|depuis|around|about|ca|gegen|to|and|or|und|en|och|et|tot|von|van|de|du)\\s)\\p{L}[\\p{L}-]*\\p{L} v?\\d{1,2}\\.\\d{1,2}(?![.:\\d])',
    ],
  },
  {
    id: 'error',
    ask: 'the exact error message, word for word, or a screenshot of it',
    present: [
      '"[^"\\n]{6,}"', // a quoted message
      '[«„“][^«»„“”\\n]{6,}[»“”]', // the same in French or German quotes
      '(error|code|exception)[ :#]*[a-z]?[0-9x][0-9a-fx-]{2,}',
      // A message pasted on its own indented line, an HTTP status, an exception's name.
      '\\n {3,}\\S',
      'http (error )?[45]\\d\\d',
      '\\w{1,40}exception',
      '0x[0-9a-f]{4,}',
      'screenshot|screen shot|attached|see below|photo',
      'no (error|message)|without (an|any) (error|message)|nothing happens|doesn\'t say anything',
    ],
    // Only a failure has an error to quote; a request for a licence or an install has none.
    onlyIf: [
      "error|fail(s|ed|ing|ure)?|crash(es|ed|ing)?|freez(e|es|ing)|hangs?|broken|stopped|not working|doesn't work|won't|can't|cannot|don't get|no longer|anymore|greyed|problem|issue|slow",
      // A program that closes by itself or throws the user out.
      "(just |simply )?closes|shuts down|quits|(kicks|throws) (me|us) out|raus|rausgeworfen|schließt sich|eruit|sluit (af|zich)|kastar ut|stängs( ner)?|se ferme|se cierra",
      "crasht|crashen|loopt vast|bevriest|werkt niet|foutmelding|fout|fehler|stürzt ab|bricht ab|hängt|funktioniert nicht|kraschar|hänger sig|fungerar inte|fel|plante|ne (se )?(lance|démarre|marche|fonctionne|s['’]ouvre) plus|erreur|bloqué",
    ],
    unless: ['licen[cs]e|subscription|(please|could you|can you) install'],
  },
  {
    id: 'printer',
    ask: 'which printer: the name on its label (like PRN-AMS-2F-03) or where it stands',
    present: [
      'PRN-[a-z0-9-]+',
      'printers? (on|in|at|next to|near|by)',
      '(all|any|every)( of)? (the )?printers',
      'floor|room|office|kitchen|reception|amsterdam|rotterdam|hamburg|stockholm|tokyo',
      'büro|etage|og|küche|kantoor|verdieping|keuken|kontor(et)?|våning(en)?|köket|bureau|étage|cuisine|accueil|malmö|lyon|london',
      'hp|ricoh|canon|brother|kyocera|xerox|konica|lexmark|epson',
    ],
  },
];

/** Details each category needs, in the order we ask. */
export const defaultCategoryDetails: Record<string, string[]> = {
  hardware: ['asset'],
  network: ['location', 'connection'],
  access: ['system', 'account'],
  software: ['application', 'error'],
  printing: ['printer'],
};

/** Details every category needs, asked after the category's own. */
export const defaultEveryCategory: string[] = ['description'];
