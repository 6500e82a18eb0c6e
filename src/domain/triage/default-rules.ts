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
      // The same in the offices' languages ("suspect" alone is also an English verb).
      "verdächtig(e|en|er|es)?|betrug|betrüger\\w*|verdacht(e)?|oplichting|oplichters?|misstänkt(a|e)?|bedrägeri|bedragare|frauduleu(x|se)|arnaque|hameçonnage|(mail|message|courriel|lien|appel) suspect|sospechos[oa]s?|estafa|fraude|mistænkelig(e)?|svindel": 4,
      "block (the |this )?sender|unknown sender|(don't|do not) know (this|the) (sender|supplier)": 2,
      'stolen|lost (my|the|a|her|his) laptop': 3,
      // "Is this mail real?": the sender doubts a mail before acting on it.
      '(is|ist|är|est|es) (this|that|deze|dit|die|diese|dieser|dieses|detta|det här|den här|ce|cette|este|esta) (\\S+ ){0,2}(mail|e-?mail|mejl(et)?|message|bericht|nachricht|meddelande(t)?|courriel|correo|link|lien|länk(en)?|invoice|factuur|rechnung|faktura|facture|factura|call|anruf|sms|text)( \\S+){0,4} (echt|real|genuine|legit(imate)?|authentic|äkta|seriös|légitime|authentique|legítimo|auténtico)': 4,
      "(don't|do not) recogni[sz]e (the|this) (sender|address)|ken (het|dit|de|die) (adres|afzender) niet|kenne (die|diese|den) (adresse|absender) nicht|känner inte igen (adressen|avsändaren)|ne connais pas (l['’]adresse|l['’]expéditeur)|no conozco (la dirección|el remitente)": 2,
      'fake (login|sign-in|invoice|page)': 2,
      // A tech-support scam page: "your computer has been blocked, call Microsoft Support on +1 …".
      '(computer|pc|laptop|windows)( \\S+){0,2} (has been|is|was) (blocked|locked|infected)|security warning|call (microsoft|apple|windows) support|scary pop-?up': 4,
      // A document from an unexpected mail that asked for its macros: how most infections start.
      'enable content|enabled? (the )?macros|macros? enabled|inhalt aktivieren|makros aktivier\\w*|aktivera innehåll|inhoud inschakelen|activer le contenu|habilitar contenido': 4,
      // CEO fraud asks for gift cards; invoice fraud for a new bank account: the words name the scam.
      'gift ?cards?|gift vouchers?|itunes cards?|cadeaukaart(en)?|cadeaubon(nen)?|geschenkkarten?|gutscheinkarten?|presentkort(et)?|cartes? cadeaux?': 4,
      'iban|bank (details|account details)|bankverbindung|rekeningnummer|kontonummer|coordonnées bancaires|rib': 2,
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
      'netwerk|netzwerk|nätverk(et)?|réseau|verbinding|verbindung|anslutning(en)?|uppkoppling(en)?|connexion|netværk(et)?|forbindelse(n)?|conexión': 1,
      'sin (internet|conexión|red)|ingen (forbindelse|internet)|intet (internet|netværk)': 3,
      // "No internet" names a network problem, whichever device it is seen on.
      'no (internet|network|connection|connectivity|signal|wi-?fi)|(lost|lose|loses|losing|drops?|dropping|dropped) (the |my |their |its )?(wi-?fi|connection|network|internet|signal)|geen (internet|verbinding|netwerk|wifi|bereik)|kein(e|en)? (internet|netz|netzwerk|verbindung|wlan)|inget (internet|nätverk|wifi)|ingen (anslutning|uppkoppling|täckning)|pas (de |d\'|d’)(internet|connexion|réseau)': 3,
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
      // A camera that does not work is a device problem, even in Teams; Teams not finding a working camera is not.
      "(camera|webcam)( (on|of|in) (my|the) \\w+)? (is not working|isn't working|not working|does not work|doesn't work|no longer works|stopped working|is broken|is black|shows (only )?(a )?black)": 3,
      // Warehouse handhelds scan barcodes: they are devices, not the printers' scanners.
      'hand-?helds?|handheld scanners?|hand-?scanners?|barcode scanners?|scan guns?|zebra': 3,
      'thin ?clients?|auriculares|cascos|headsets?': 3,
      'bildschirme?|dockingstation|tastatur|scherm(en)?|toetsenbord|skärm(en|ar)?|tangentbord|écrans?|clavier|souris|ordinateur( portable)?|datorn?': 2,
      'cracked|broken|spilled|panel|camera|webcam|iphone|phone|tablet|ipad': 1,
      'batteri(et|er|erne)?|akku|accu|batterie|batería|ladegerät|oplader|laddare(n)?|chargeur|cargador|portátil|pantalla|teclado|ratón|ordenador|skærm(en)?|bærbar(e|en)?': 2,
    },
  },
  {
    name: 'printing',
    keywords: {
      'print(s|ed|er|ers|ing)?|copier|toner|cartridges?|paper jam|scan(s|ned|ner|ning)?': 3,
      'PRN-[A-Z0-9-]+|tray|paper|follow-?me': 2,
      'drucker|druck(t|en)|imprimante|プリンター?|印刷': 3,
      'skrivar(e|en|na|ens)?|printer(en|ne)|impresoras?|imprim(ir|o|e)': 3,
    },
  },
  {
    name: 'email',
    keywords: {
      'outlook|mailbox(es)?|shared mailbox|calendars?|inbox|distribution list|owa': 3,
      'out of office|auto-?reply|exchange|spam|junk|mail rules?|signature': 2,
      'e-?mails?|mails?|attachments?|meeting invites?': 1,
      // Shared mailboxes and lists, as people write them in the offices' languages.
      'gedeelde mailbox|(gemeinsame[sn]?|funktions)postfach|postfach|(gemensamma?|delade?) (brevlåda(n)?|inkorg(en)?|låda(n)?)|brevlåda(n)?|inkorg(en)?|boîte (mail|de réception|aux lettres)( partagée)?|mailing lists?|listes? de diffusion|verteiler(liste)?|distributielijst(en)?|distributionslista(n)?': 3,
      // A list named by its address: "the list ventes-france@…".
      '(list|liste|lijst|lista(n)?) [a-z0-9._-]+@[a-z0-9-]+(\\.[a-z0-9-]+)+': 3,
      'mejl(en|et|a|ar)?|e-?post(en)?|courriels?|correos?': 1,
      'bandeja de entrada|buz[óo]n( compartido)?|postkasse(n)?|indbakke(n)?|fælles postkasse': 3,
    },
  },
  {
    name: 'access',
    keywords: {
      'locked out|account (is |has been |was )?(locked|disabled|expired?)|(password|account) (reset|expir(es|ed|y))|reset (my |the |her |his )?password': 3,
      'mfa|2fa|two-factor|multi-factor|authenticator|temporary access pass|sso|badge': 3,
      'new (starter|joiner|colleague|hire)|onboarding': 3,
      // The same in the offices' languages: locked out, a new starter.
      'utelåst|låst ute|utestängd|ausgesperrt|buitengesloten': 3,
      'nueva incorporación|nuev[oa] emplead[oa]|se incorpora|neue[rn]? (mitarbeiter(in)?|kollege|kollegin)|neueinstellung|nieuwe (medewerker|collega)|indiensttreding|nya? (medarbetare|anställd|kollega)|nyanställd|nouvel(le)? (arrivant(e)?|collaborat(eur|rice)|embauché(e)?)': 3,
      // Entra ID's sign-in errors: AADSTS50105 is a sign-in refused, whatever application it names.
      'AADSTS\\d+': 3,
      "(lese|schreib|zugriffs)rechte|leesrechten|schrijfrechten|(läs|skriv)rättigheter|droits (de lecture|d['’]écriture)|permisos": 3,
      "(écran|page|fenêtre) de connexion|anmeldeseite|anmeldemaske|inloggningssida(n)?|acceso|contraseña|usuario|iniciar sesión": 2,
      // An authorisation in an application is access to it: "sin autorización para ME21N", "keine Berechtigung für FB60".
      'sin autorización|no (tengo|tiene) (autorización|permiso)|keine berechtigung|ingen behörighet|geen (autorisatie|rechten)|pas (l[\'’])?autorisation|not authori[sz]ed|no authori[sz]ation': 3,
      'logge ind|logget ind|adgangskode(n)?|brugerkonto|konto(en)? er låst|adgang|accesso|dostęp(u)?|uprawnie(nia|ń)|cuentas?|konta?': 2,
      'access|permissions?|rights|accounts?|log ?in|login|sign(ed)?[- ]?in|sharing|read-only|read/write': 2,
      'password|portal|guests?|shares?': 1,
      // The same words in the offices' languages.
      'toegang|zugriff|zugang|åtkomst|accès|accéder|behörighet(er)?|berechtigung(en)?|machtiging(en)?|autorisation|rechten|rättigheter|droits d\'accès': 2,
      'benutzerkonto|konto(t)?|(mon|votre|son|le|du|un) compte|inloggen|ingelogd|inlogscherm|einloggen|eingeloggt|anmelden|anmeldung|logga in|loggar in|loggade in|inloggning(en)?|se connecter|me connecte|kommer inte in': 2,
      '(account|konto(t)?|compte|user|benutzer|gebruiker|användare)( \\w+)? (is |has been |was |ist |wurde |är |har blivit |est |a été )?(locked|disabled|deactivated|expired|gesperrt|deaktiviert|abgelaufen|låst|spärrat|inaktiverat|geblokkeerd|gedeactiveerd|verlopen|bloqué|désactivé|verrouillé|expiré)': 3,
      'wachtwoord|passwort|kennwort|lösenord(et)?|mot de passe|portail|portaal': 1,
      'ログイン|アカウント|ロック': 3,
      'パスワード|アクセス': 2,
    },
  },
  {
    name: 'software',
    keywords: {
      // "En visio" is French for a video call, not Microsoft Visio.
      'excel|word|powerpoint|teams|(?<!en )visio|zoom|sap|adobe|acrobat|docker|chrome|firefox|edge browser': 3,
      'licen[cs]es?|install(ed|ing|ation)?|update|upgrade|backup|crash(es|ed|ing)?|application|app|software|program': 3,
      'programm|programma|programmet|programme|logiciel|anwendung|applicatie|applikation(en)?|aplicación|programa': 3,
      // Install, update, licence and crash in the offices' languages.
      'installier(en|t|e)|installeer(t|d)?|installeren|geïnstalleerd|installera(t|d|de)?|installeras|instal(ar|ado|ación)|aktualisierung|bijwerken|uppdatering(en)?|mise à jour|actualización|opdatering(en)?|lizenz(en)?|licentie(s)?|licens(en|er)?|licencias?': 3,
      'abgestürzt|stürzt( \\S+)? ab|crasht|crashte|kraschar|kraschade|plante|se bloque|se cuelga|se cierra': 3,
      // Business applications: payroll, ERP, CRM and their licence servers are software, even when a login fails.
      'visma|datev|business central|dynamics( 365)?|navision|salesforce|hubspot|power ?bi|sketchup|autocad|tableau|docusign|workday|servicenow|jira|confluence|slack|citrix|webex|miro|figma|licen[cs]e ?server(n|s)?|licensserver(n)?|lizenzserver|licentieserver': 3,
      'crm|erp|payroll|lohnabrechnung|gehaltsabrechnung|abrechnungslauf|lönesystem(et)?|salarisadministratie': 2,
      'onedrive|sharepoint|workbook|spreadsheet|plugin|add-in|driver': 1,
      // A program's own failure text: "System.NullReferenceException", a stack trace.
      '\\w{1,40}exception|stack ?trace|object reference not set': 3,
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
  'audit|workshop|training|appointment|exam',
  // The same in the offices' languages: must, before, need to.
  // Swedish "ska" is also "will": only "ska ut", "ska vara klart" are a deadline.
  'muss|müssen|moet|moeten|uiterlijk|måste|senast|innan|ska (ut|in|iväg|vara (klar|klart|klara|färdig\\w*)|skickas|lämnas|betalas)|doit|dois|doivent|faut|avant',
];

/** "Today" said in the offices' languages. */
const TODAY_WORDS = ['heute( abend| nachmittag)?', 'vandaag|vanavond|vanmiddag', 'idag|i dag|ikväll|i kväll|i eftermiddag', "aujourd['’]hui|ce soir|cet après-midi"];

/** People, counted: "8 of us", "20 man", "14 agents". */
const PEOPLE =
  "of us|people|users|colleagues|agents|staff|employees|pickers|packers|drivers|mensen|man|collega['’]?s|medewerkers|personen|orderpickers|inpakkers|chauffeurs|leute|kollegen|mitarbeiter\\w*|personer|kollegor|personnes|collègues|personas|compañeros|empleados";

/** A small count of people, written out: "wir sechs", "vi är sex", "somos doce". */
const COUNT_WORDS =
  'three|four|five|six|seven|eight|nine|ten|eleven|twelve|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|drie|vijf|zes|zeven|negen|tien|twaalf|tre|fyra|fem|sex|sju|åtta|nio|tio|tolv|trois|quatre|cinq|sept|huit|neuf|dix|douze|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce';

/**
 * Words that make a sentence say something has stopped working, in the offices' languages: next to
 * "the whole team" or "8 of us" they say many people are affected, not only mentioned.
 */
const FAILING = [
  "can't|cannot|can not|unable|couldn't|could not|not working|isn't working|aren't working|doesn't work|don't work|stopped|down|offline|affected|impacted|without|no longer|lost|losing|gone|disappeared|stuck|blocked|idle|failing|fails|failed|broken|tethering|locked out|have no|has no|haven't|hasn't|not getting|not receiving",
  // Dropping out, or only a few devices left working; working on paper because the system is gone.
  'keeps (dropping|disconnecting|freezing|crashing)|(is|are|keep|kept) (dropping|disconnecting)|dropping (out|off|every|all the time|constantly)|disconnects|only (a )?(few|handful|couple)|(on|with|met|mit|auf|på|sur|en|con) (paper|papier|papieren|papper|papel)',
  'kan niet|kunnen niet|kan geen|kunnen geen|hebben geen|krijgen geen|werkt niet|werken niet|verdwenen|weg|geen|niet meer|plat|getroffen|staat stil|ligt stil|liggen stil',
  // German puts the verb last: "die ganze Frühschicht steht" is idle, "steht vor einem Umzug" is not.
  'kann nicht|können nicht|kann keine|können keine|geht nicht|gehen nicht|funktioniert nicht|funktionieren nicht|nicht mehr|kein|keine|keinen|betroffen|(steht|stehen)(?=[,.;!?]|$)|(steht|stehen) still|ausgefallen',
  'kan inte|kommer inte|har inte|har inga|får inte|får inga|fungerar inte|funkar inte|nere|drabbad|drabbat|drabbade|påverkad|påverkade|utan|inget|inga|sitter (\\S+ ){0,2}och väntar|står still',
  // Spanish
  'no (puede|pueden|podemos|funciona|funcionan|guarda|recibe|reciben|recibimos)|nadie|sin|error|caído|bloquead[oa]s?|afectad[oa]s?',
  "ne peut|ne peuvent|n['’]arrive|n['’]arrivent|ne fonctionne|ne marche|plus de|sans|bloqués?|touchés?|impactés?|en panne|hors service|ne reçoit|ne recevons",
];

/** A sign-in alert: "unusual sign-in activity", "ovanlig inloggning". */
const UNUSUAL_SIGN_IN = '(unusual|suspicious|unfamiliar|strange|unknown|odd|unrecognised|unrecognized) (sign-?in|log-?in|login)( activity| attempts?| alerts?)?|ovanlig(a)? inloggning\\w*|verdachte (aanmelding|inlog\\w*)|ungewöhnliche (anmeldung|anmeldeaktivität)|connexion (inhabituelle|suspecte)';

/** The sender says the flagged sign-in was their own. */
const SIGN_IN_WAS_MINE =
  "(that|this|it) (was|were) (actually |really |probably |just |only )?(me|mine|myself)|(assume|think|guess|pretty sure|sure) (that |it )?(was|were) (me|mine)|(war|das war) (ich|wohl ich|ich selbst|ich das)|(dat|het) was ik( zelf)?|det var (nog )?jag|c['’]était (bien )?moi|era yo";

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
      'data (loss|leak|breach)',
      'breach(ed)?',
      'compromised|hacked',
      'malware',
      '(files|documents) (are|were|got|have been) encrypted',
      // Someone else is using the account: mail the sender did not write, rules the sender did not make.
      "(mails?|e-?mails?|messages?) (that )?I (didn't|did not|never) (write|send|sent)|messages? que je n['’]ai pas (écrits?|envoyés?)|(mails?|nachrichten) die ich nicht (geschrieben|verschickt|gesendet)|(mejl|mail|meddelanden) som jag inte (har )?(skrivit|skickat)|(mails?|berichten) die ik niet (heb )?(geschreven|verstuurd)",
      "(mails?|e-?mails?|messages?|courriels?)[^.!?\\n]{0,40} (that I never (wrote|sent)|que je n['’]ai (pas|jamais) (écrits?|envoyés?)|die ich nie (geschrieben|verschickt|gesendet)|die ik nooit (heb )?(geschreven|verstuurd)|som jag aldrig (har )?(skrivit|skickat)|que (yo )?nunca (he|había) (escrito|enviado))",
      "(rules?|regel|regels|regeln|règles?) (that )?I (didn't|did not|never) (make|made|create|created|set up|add|added)|(didn't|did not|never) (set|make|create|add) (up )?(this|that|the|a|any) (\\w+ )?rules?",
      'forward(s|ing|ed)? (all |my |incoming )?(mails?|e-?mails?|messages?|invoices?) to (an? )?(unknown|external|strange|outside)',
      // A tech-support scam: a caller "from Microsoft" took over the computer.
      '(he|she|they|someone|somebody|the caller|the man|the woman) (was|were|is|are) (moving|controlling|taking over) my (mouse|cursor|screen|laptop|pc|computer)',
      '(took|taken|take|taking) (over|control of) my (laptop|pc|computer|screen|mouse)',
      "angeblich (von|vom|aus)( \\S+){0,3} (it|edv|microsoft|helpdesk|support|it-abteilung|it-support|servicedesk)|zogenaamd (van|namens)( \\S+){0,3} (it|ict|microsoft|helpdesk|servicedesk)|(påstod|utgav) sig (vara|för att vara) från|soi-disant (de|du|des)( \\S+){0,3} (it|informatique|microsoft|support)|(prétendait|prétendant) être (de|du)|supuestamente (de|del)( \\S+){0,3} (it|informática|microsoft|soporte)|dec[ií]a ser de",
      '(said|claimed|claiming)( that)? (he|she|they) (was|were|is|are) (from|calling from) (microsoft|apple|windows|it support|the it (department|team)|the helpdesk)|(claiming|pretending|pretended) to be (from )?(microsoft|apple|windows|it support|the it (department|team)|the helpdesk)',
      // A sign-in or an MFA approval the sender did not make.
      "(someone|somebody|nån|någon|iemand|jemand|quelqu['’]un)( \\w+){0,2} (signed|logged|loggat|ingelogd|angemeldet|eingeloggt|connecté)( in| into| on| sig)? (from|från|vanuit|aus|depuis)",
      // Mail rules the sender did not make, in Spanish, German, Swedish, Dutch and French too.
      "(regla|reglas)( [\\p{L}]+){0,5} (que )?(yo )?no (he )?(creado|creé|hice|configuré)|(regel|regeln)( [\\p{L}]+){0,5} (die )?ich nicht (angelegt|erstellt|eingerichtet)|(regel|regler)( [\\p{L}]+){0,5} (som )?jag inte (har )?(skapat|gjort)|(regel|regels)( [\\p{L}]+){0,5} (die )?ik niet (heb )?(gemaakt|aangemaakt|ingesteld)|(règle|règles)( [\\p{L}]+){0,5} (que )?je n['’]ai (pas|jamais) (créée?s?|faite?s?)",
      // A document from an unexpected mail asked for its macros, and the sender said yes.
      "(enabled?|activated?|clicked|allowed) (the )?[\"“]?(content|editing|macros)|inhalt aktivier\\w*|makros (aktiviert|zugelassen)|aktiverade (innehåll|makron)|(inhoud|macro's) (in)?geschakeld|activé (le contenu|les macros)|habilité (el contenido|las macros)",
      "approved (an? |the )?(\\w+ )?(mfa |authenticator |sign-?in |login )?(prompt|request|notification|push)( that)? I (didn't|did not|never)|(prompts?|requests?|notifications?|push(es)?) (that )?I (didn't|did not|never) (start|make|made|request|requested|initiate|initiated|trigger|triggered)",
    ],
    // Asking about phishing training or a test campaign is not an incident.
    unlessSameSentence: ['training|awareness|simulation|course|webinar'],
  },
  {
    id: 'unusual-sign-in',
    priority: 'P1',
    label: 'security incident',
    category: 'security',
    // A sign-in the sender did not make. One the sender says was their own ("that was me, in Madrid") is an alert to check.
    patterns: [UNUSUAL_SIGN_IN],
    unlessSameSentence: ['training|awareness|simulation|course|webinar'],
    unlessInMail: [SIGN_IN_WAS_MINE],
  },
  {
    id: 'sign-in-alert',
    priority: 'P3',
    label: 'a sign-in alert the sender explains',
    category: 'security',
    patterns: [UNUSUAL_SIGN_IN],
    sameSentence: [],
  },
  {
    id: 'credentials-given',
    priority: 'P1',
    label: 'a password typed into a page that may not be ours',
    category: 'security',
    patterns: [
      '(entered|entering|typed|typing|put|filled|gave|giving|submitted)( in| out)? (my|our|his|her|their) ([\\w-]+ )?(and |& )?(password|credentials|login details)',
      '(mot de passe|wachtwoord|passwort|kennwort|lösenord(et)?)[^.!?\\n]{0,40}(saisi(e|s|es)?|entré(e|s|es)?|tapé(e|s|es)?|ingevuld|ingevoerd|ingetypt|opgegeven|eingegeben|eingetippt|angegeben|skrev in|skrivit in|angav|angett|fyllde i)',
      "(saisi(e|s|es)?|entré(e|s|es)?|tapé(e|s|es)?|mis|ingevuld|ingevoerd|eingegeben|eingetippt|skrev in|angav|fyllde i)[^.!?\\n]{0,40}(mot de passe|wachtwoord|passwort|kennwort|lösenord(et)?)",
    ],
    // Only on a page reached from a link, a mail's button or a scanned code: typing a password into the usual sign-in screen is no incident.
    sameSentence: ['page|pagina|seite|webseite|sida(n)?|site|website|link|lien|länk(en)?|formul\\w*|qr|qr-code|pop-?up|scanned|gescand|gescannt|scannat|scanné'],
    // "I typed my password and it says wrong password" is a sign-in problem; "should I reset it?" is not.
    unlessSameSentence: [
      "wrong|incorrect|rejected|invalid|keeps (asking|rejecting)|not accept\\w*|(doesn't|does not|didn't|did not|won't) (work|accept|let)|fails|failed|locked|expired|training|simulation",
      'new password|nieuwe? wachtwoord|neue[sn]? passwort|nytt lösenord|nouveau mot de passe|falsch|fel|fout|onjuist|ongeldig|ungültig|erreur',
    ],
  },
  {
    id: 'password-posted',
    priority: 'P1',
    label: 'a password posted where others can read it',
    category: 'security',
    patterns: [
      '(posted|pasted|shared|gepostet|eingefügt|geteilt|geplakt|geplaatst|gedeeld|klistrade|klistrat|postade|delade|collé|publié|partagé)[^.!?\\n]{0,60}(channel|chat|group chat|kanal|kanaal|kanalen|canal|groepsapp|slack)',
      '(channel|chat|kanal|kanaal|kanalen|canal)[^.!?\\n]{0,60}(posted|pasted|gepostet|eingefügt|geteilt|geplakt|geplaatst|gedeeld|klistrade|klistrat|postade|delade|collé|publié|partagé)',
    ],
    sameSentence: ['password|passwort|kennwort|wachtwoord|lösenord(et)?|mot de passe|credentials|zugangsdaten|inloggegevens'],
  },
  {
    id: 'payment-fraud',
    priority: 'P1',
    label: 'changed bank details on a payment',
    category: 'security',
    // Invoice fraud: a "supplier" asks to pay to a new account. Money leaves with the next payment run.
    patterns: [
      '(new|changed|different|updated) (iban|bank (account|details)|account (number|details))|(moved|changed|switched) (to (a |an )?(new|different|other|another) )?banks?|(bank|payment) details (have )?changed',
      'nieuw(e)? (iban|rekeningnummer|bankrekening)|neue (iban|bankverbindung|kontonummer)|ny(tt)? (iban|kontonummer|bankkonto)|nouve(l|au) (iban|rib|compte bancaire)|changement de (rib|coordonnées bancaires)',
    ],
    // About paying someone: one's own new bank account for the salary is not IT's business, but not fraud either.
    // Or told in their mail or letter: "an email from them saying they moved to a new bank".
    sameSentence: ['invoices?|pay(ment|ing)?|supplier|vendor|factuur|rechnung|faktura|facture|betaling|zahlung|betalning|paiement|lieferant|leverancier|leverantör|fournisseur|saying|asking|letter|lettre|carta|brev(et)?'],
  },
  {
    id: 'lost-device',
    priority: 'P1',
    label: 'a lost or stolen device with company data',
    category: 'security',
    patterns: [
      // The sender's own: "she lost her phone, reset her MFA" is an access request.
      'lost (my|our) (work |company |business )?(phone|iphone|mobile|smartphone|laptop|macbook|tablet|ipad)(?! (charger|cable|case|bag|sleeve|stand|adapter|pen|battery|keyboard|screen))',
      'left (my|our) (work |company |business )?(phone|iphone|mobile|smartphone|laptop|macbook|tablet|ipad) (in|on|at) (a|the) (taxi|cab|uber|train|bus|tram|plane|airport|station|restaurant|bar|pub)',
      '(phone|iphone|mobile|laptop|macbook|tablet|ipad|bag|backpack) (was|has been|got|were|have been) stolen|stolen (phone|iphone|laptop|macbook|tablet|ipad)',
      '(telefoon|laptop|gsm|mobiel) (is )?(kwijt|gestolen|verloren)|(handy|laptop|telefon|smartphone) (verloren|gestohlen)|(tappat|förlorat) (min|mitt|den)( \\w+)? (telefon|mobil|laptop|dator)|(mobilen|telefonen|datorn) (är |har blivit )?(stulen|borta)|(perdu|volé) (mon|ma|le) (téléphone|portable|ordinateur|pc)',
      '(téléphone|portable|ordinateur|pc|sac)( \\S+){0,3} (a été |ont été )?(volé|volée|volés|dérobé)|(mi )?(portátil|móvil|teléfono|ordenador)( \\S+){0,2} (robado|perdido)|(me han robado|he perdido) (el|mi) (portátil|móvil|teléfono|ordenador)',
    ],
  },
  {
    id: 'unknown-mfa-prompts',
    priority: 'P1',
    label: 'sign-in requests the sender did not start',
    category: 'security',
    // Someone has the password and is trying the second factor: "konstiga notiser från Authenticator i natt".
    patterns: [
      '(strange|weird|odd|unexpected|unknown|random|konstiga|märkliga|okända|seltsame|komische|unbekannte|merkwürdige|rare|vreemde|onbekende|étranges|bizarres|inconnues|inattendues|extrañas|desconocidas)( \\S+){0,2} (notifications?|notiser|prompts?|requests?|förfrågningar|benachrichtigungen|anfragen|meldungen|meldingen|verzoeken|notificaciones|solicitudes)',
    ],
    sameSentence: ['authenticator|mfa|2fa|sign-?in|log-?in|inloggning(en|ar)?|logga in|anmeld\\w*|aanmeld\\w*|inlog\\w*|connexion|approve|godkänn\\w*|bestätig\\w*|goedkeur\\w*|approuver|aprobar'],
  },
  {
    id: 'sign-in-attacks',
    priority: 'P2',
    label: 'sign-in attempts by someone else',
    category: 'security',
    // An account locked by another's guesses is an attack on it, not a forgotten password.
    patterns: [
      '(fremde|unbekannte|ausländische) anmeldeversuche|anmeldeversuche (aus|von) (dem ausland|unbekannt\\w*|\\S+ (ländern|land))',
      'sign-?in attempts (from|by) (unknown|another|other|abroad|a different|an unknown)|(unknown|foreign|someone else\'s) (sign-?in|log-?in) attempts|(someone|somebody) (is |was |has been )?trying to (sign|log) ?in (to|as) my',
      "(failed|fehlgeschlagene|misslyckade|mislukte|échouées|fallidos)( \\S+){0,2} (sign-?ins?|anmeldungen|anmeldeversuche|inloggningar|inloggningsförsök|aanmeldingen|connexions|inicios de sesión)( \\S+){0,6} (ip|addresses|adressen|adresser|adresses|direcciones|countries|ländern|länder)|(ip-?adressen|ip addresses|ip-adresser|adresses ip|direcciones ip)(,)? (die ich nicht kenne|i (don't|do not) (know|recogni[sz]e)|(som )?jag inte känner igen|die ik niet ken|que je ne connais pas|que no conozco)",
      'inloggningsförsök (från|av) (okänd|utlandet|någon annan)|(okända|främmande) inloggningsförsök|aanmeldpogingen (vanuit|uit) (het buitenland|onbekend\\w*)|onbekende aanmeldpogingen|tentatives de connexion (depuis l[\'’]étranger|inconnues|étrangères|suspectes)|intentos de inicio de sesión (desde|desconocidos|sospechosos)',
    ],
  },
  {
    id: 'battery-hazard',
    priority: 'P2',
    label: 'a swollen battery, a fire risk',
    category: 'hardware',
    patterns: [
      '(swollen|swelling|bulging|puffed|aufgebläht\\w*|geschwollen\\w*|svullen|svullet|uppsvälld|opgezwollen|bol staand\\w*|gonflée?s?|hinchada)( \\S+){0,2} (battery|akku|batteri(et)?|accu|batterie|batería)',
      '(battery|akku|batteri(et)?|accu|batterie|batería)( \\S+){0,4} (swollen|swelling|bulging|aufgebläht|gebläht|geschwollen|svällt|svullnat|opgezwollen|opgezet|gonfl\\w+|hinchad\\w+)',
    ],
  },
  {
    id: 'access-request',
    priority: 'P3',
    label: 'a request for access, which is access',
    category: 'access',
    // "Proszę o dostęp do obszaru roboczego Power BI": the application is named, the request is for access to it.
    patterns: [
      "(request(ing)?|need|give me|grant( me)?|get) (read |write |edit |read/write |admin )?(access|permissions?|rights) (to|for|on)|(prośba|proszę) o dostęp|potrzebuję dostępu|(ho bisogno|chiedo|richiedo) (di |l['’])?accesso|(brauche|benötige|beantrage) (bitte )?(zugriff|zugang|berechtigungen?|rechte) (auf|für|zu)|(behöver|vill ha|ansöker om) (åtkomst|behörighet) (till|på)|(heb|heeft|hebben) (toegang|rechten) (nodig )?(tot|op)|(besoin|demande) (d['’]un |d['’])?(accès|droits) (à|au|aux|sur)|(necesito|solicito) (acceso|permisos) (a|al|en)",
    ],
  },
  {
    id: 'missing-authorisation',
    priority: 'P3',
    label: 'an authorisation missing in an application, which is access',
    category: 'access',
    // "No tiene autorización para la transacción ME21N": the application works, the role is missing.
    patterns: [
      "(no (tengo|tiene|tienes) (autorización|permiso)|keine berechtigung|ingen behörighet|geen (autorisatie|rechten|machtiging)|pas (l['’])?autorisation|(not|isn't|is not) authori[sz]ed|no authori[sz]ation|missing (authori[sz]ation|role)) (for|para|für|för|voor|pour|to)",
    ],
  },
  {
    id: 'data-exposure',
    priority: 'P2',
    label: 'company data sent to the wrong people',
    category: 'security',
    patterns: [
      '(sent|shared|forwarded|e-?mailed|mailed)[^.!?\\n]{0,40}to (the )?wrong (person|people|address|recipients?|customer|contact|inbox|e-?mail( address)?|company|party)',
      // Their general address is outside; "the shared inbox" alone may be ours.
      '(went|gone|was sent|got sent|were sent|ended up) to (the |an? )?wrong (\\S+ )?(address|inbox|recipients?|person|people|mailbox)|(went|was sent|got sent|ended up) to their (general|public|shared) (\\S+ )?(address|inbox|mailbox)',
      // A link anyone can open, shared outside by mistake: "Toute personne disposant du lien", "anyone with the link".
      "anyone with the link|toute personne disposant du lien|jeder mit dem link|alla med länken|iedereen met de koppeling|cualquier persona con el vínculo|(partagé|partagée|geteilt|delad|gedeeld|compartido|shared)( \\S+){0,6} (par erreur|aus versehen|av misstag|per ongeluk|por error|by mistake)",
      'naar de verkeerde (persoon|ontvanger|klant|adres|mensen)|an (den |die )?falschen? (empfänger|person|adresse|kunden)|till fel (person|mottagare|adress|kund)|(au|à la|à) mauvaise? (destinataire|personne|adresse|client)|a (quien no (era|debía)|la persona equivocada|un destinatario equivocado)',
    ],
  },
  {
    id: 'data-sent-by-mistake',
    priority: 'P2',
    label: 'company data sent to the wrong people',
    category: 'security',
    // "Sent by mistake", "accidentally forwarded": a mail that went where it should not.
    patterns: [
      '(sent|forwarded|e-?mailed|mailed)( \\S+){0,6} (by mistake|by accident)|(accidentally|mistakenly) (sent|forwarded|e-?mailed|mailed)|(enviado|mandado|reenviado)( \\S+){0,3} por (error|equivocación)|per ongeluk( \\S+){0,6} (gestuurd|verstuurd|doorgestuurd|gemaild)|versehentlich( \\S+){0,6} (geschickt|gesendet|verschickt|weitergeleitet)|(skickat|skickade|vidarebefordrat)( \\S+){0,6} av misstag|av misstag (skickat|skickade)|(envoyé|transféré)( \\S+){0,6} par erreur|par erreur (envoyé|transféré)',
    ],
    // A print job sent by mistake exposes nothing; a disclaimer ("if this mail was sent to you by mistake") is no report.
    unlessSameSentence: [
      'print(s|ed|er|ers|ing)?|print job|drucker|druckauftrag|skrivare(n)?|imprimante|impresora|printer',
      'received|reçu|recibido|erhalten|ontvangen|mottagit|if you|si vous|si usted|wenn sie|als u|om du|vous a été|le ha sido|ihnen|notify|delete|supprimer|eliminar|löschen|verwijder',
    ],
  },
  {
    id: 'fraud-attempt',
    priority: 'P3',
    label: 'a fraud attempt to check',
    category: 'security',
    // CEO fraud: "buy gift cards and send me the codes". Recognised in time it is a report, not an incident.
    patterns: ['gift ?cards?|gift vouchers?|itunes cards?|cadeaukaart(en)?|cadeaubon(nen)?|geschenkkarten?|gutscheinkarten?|presentkort(et)?|cartes? cadeaux?'],
    sameSentence: ['buy|purchase|kopen|kaufen|besorgen|köpa|acheter|codes?|scratch'],
  },
  {
    id: 'unknown-usb',
    priority: 'P3',
    label: 'a fraud attempt to check',
    category: 'security',
    // A USB stick nobody asked for, in the post or on the car park, is a known way in.
    patterns: ['usb[- ]?(sticks?|drives?|keys?|minnen?|minnet)|clé usb'],
    sameSentence: ['post|posted|envelope|parcel|package|kuvert(et)?|paket(et)?|umschlag|päckchen|envelop|pakket|enveloppe|colis|found|hittade|gevonden|gefunden|trouvé|car park|parking|unknown|unexpected|okänd|onbekend|unbekannt|inconnue?'],
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
      "(nobody|no one|none of us)[^.!?\\n]{0,40}(can|is able to|are able to) (work|log ?in|sign ?in|connect|get online|get any work done|access|open|send|receive|call|reach|use|save|load|join|start|launch|get in|get into)",
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
      // Nobody can, with the verb first as Swedish, Dutch and German put it ("kommer ingen av oss ut"), and French "plus personne ne peut".
      '(kan|kommer|får) ingen (av oss|här|på \\w+)|(kan|kann|kommt) (niemand|keiner) (hier|van ons|von uns|meer|mehr)',
      "(niemand|keiner)( \\S+){0,4} (kan|kunnen|kann|können|kommt|krijgt|bekommt)|(^|, )ingen (kan|kommer)",
      "(?<!(une|la|cette|chaque|seule|autre|quelle|de|par) )personne( \\S+){0,6} n(e |['’])(peut|peuvent|arrive|arrivent|marche|fonctionne|reçoit|a accès)",
      // Colleagues who have the same problem, or the people next to me.
      "(colleagues|team ?mates|people|others|everyone|everybody)( [^.!?\\n]{0,40})? (have|has|are having|see|get|report) (exactly )?the same( (problem|issue|error|thing|fault|message))?(?=[.,;:!?)]| since| here| too| now|$)",
      '(the )?same (for|with|here for) (the people|everyone|everybody|my colleagues|my team|the others|others|the rest of (the|my) team|all of us)',
      '(die|meine|unsere|alle|sämtliche) (kollegen|kolleginnen|mitarbeiter\\w*|leute)[^.!?\\n]{0,40} (haben|hat|sind) (auch )?(das gleiche|dasselbe|das selbe|den gleichen|denselben|betroffen)|(die|den) kollegen[^.!?\\n]{0,30}(?<!(läuft|funktioniert|klappt|geht) es) (ist es |geht es |haben es )?auch(?=[,.;!?)]|$| so)|(die|den) kollegen[^.!?\\n]{0,30} (geht|funktioniert|läuft) (es )?auch nicht|(wir|sie) haben alle (das gleiche|dasselbe|das selbe|den gleichen|denselben) (problem|fehler)',
      "(mijn|onze|de|alle) collega['’]?s[^.!?\\n]{0,40} (hebben|heeft) (ook )?(hetzelfde|het zelfde)|collega['’]?s[^.!?\\n]{0,30} (hebben|heeft) (het|dit|dat) ook(?=[,.;!?)]|$)",
      '(mina|våra|alla) kollegor[^.!?\\n]{0,40} (har|sitter) (också )?(samma|med samma)|kollegor[^.!?\\n]{0,30} har (det|problemet) också',
      "(mes|nos|les|tous les|toutes les) collègues[^.!?\\n]{0,60} (ont|a) (aussi |également )?(le même|la même|les mêmes)|collègues[^.!?\\n]{0,40} (ont|a) (aussi|également) (ce|le) (problème|souci)",
      // How many it concerns, said as a number: "het gaat om zo'n 20 man", "det gäller hela avdelningen".
      `(it|this|that) (affects|impacts|concerns) (about |around |roughly |some |at least |over )?\\d+ (${PEOPLE})|het gaat om (zo['’]n |ongeveer |ruim )?\\d+ (man|mensen|collega['’]?s|medewerkers|gebruikers)|es betrifft (etwa |ca\\.? |rund )?\\d+|det gäller (hela|alla|\\d+)|cela concerne \\d+`,
      '(at|on) (almost |nearly )?(every|each) desk|(an|auf) (fast |nahezu )?jedem (platz|arbeitsplatz|schreibtisch)|(bij|op) (bijna )?elke (plek|werkplek)|vid (nästan )?varje (plats|skrivbord)|(à|sur) (presque )?chaque (poste|bureau)',
      // "Aucun d'entre nous n'arrive", "ninguno de nosotros puede", "none of us are getting".
      "aucun(e)? (d['’]entre nous|de nous)[^.!?\\n]{0,60}n(e |['’])(peut|peuvent|arrive|arrivent|a accès|reçoit|reçoivent)|(ninguno de nosotros|nadie (aquí|en la oficina|del equipo|de la oficina))[^.!?\\n]{0,40}(puede|pueden|recibe|tiene)",
      "(none of us|nobody|no one)[^.!?\\n]{0,60} (is|are|has been|have been) (getting|receiving)",
      // "C'est pareil pour les 11 personnes du bureau": the same for a counted group.
      `(c['’]est )?(pareil|la même chose|le même problème) pour (les |tous les |toutes les )?(\\d+|tout le monde)|(the )?same (for|with) (all )?(the )?\\d+ (${PEOPLE})|(das gleiche|dasselbe|genauso) (bei|für) (allen |alle )?\\d+|hetzelfde (bij|voor) (alle )?\\d+|samma (sak )?för (alla )?\\d+|lo mismo (para|con) (los |las )?\\d+`,
      // None of the devices of a kind works.
      '(none of the|keine[rs]? der|geen van de|ingen av|aucune? des|ninguna de las|ninguno de los) (\\S+ ){0,3}(printers|drucker|skrivarna|imprimantes|impresoras|scanners?|skannrarna|handscanners|handhelds|devices|geräte|apparaten|enheterna|appareils|pcs|laptops|terminals|screens|phones|tills|kassen)[^.!?\\n]{0,60} (has|have|is|are|will|can|does|do|works?|printed|prints|funktioniert|geht|werkt|doet|fungerar|fonctionne|marche|funciona)',
      // Every device of a kind stopped at once.
      '(all|all the|every|alle|sämtliche|alla|tous les|toutes les) (\\w+ )?(scanners?|handscanner|handhelds?|printers?|drucker|devices|geräte|pcs|laptops|terminals|screens|monitors|phones|kassen|tills)[^.!?\\n]{0,60}(stopped|aufgehört|ausgefallen|are down|offline|not working|funktionieren nicht|gestopt|werken niet|slutat|fungerar inte|ne fonctionnent plus|ne marchent plus)',
    ],
  },
  {
    id: 'outage-team',
    priority: 'P1',
    label: 'outage affecting many people',
    // A group as the subject of a failure: "the whole sales floor is tethering", "8 of us are stuck",
    // "the call centre can't log in", "die ganze Frühschicht steht". Mentioning the team alone (a
    // training for the whole team) says nothing is broken.
    patterns: [
      '(my|our|the) (whole|entire) (\\w+ )?(team|department|office|floor|building|site|branch|shift|warehouse)',
      // "My office", "the 4th floor" are places; a team, a shift or a call centre are people.
      '(?<!rest of )(my|our) (\\w+ )?(team|department|shift)(?! (lead|leader|manager|head|member|mate|assistant|chat|channel|site|meeting|calendar|drive|folder))|(the|our) (call cent(re|er)|contact cent(re|er)|service desk|help ?desk|sales floor|shift)',
      // A count of people as the subject ("8 of us are stuck"), not as the audience ("send it to 40 people").
      `(\\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|a dozen|dozens|several|most|half|many) (${PEOPLE})( (here|all|still|also|now|today|(in|on|at) (the )?\\S+))? (are|were|have|can't|cannot|can not|sind|haben|können|zijn|hebben|kunnen|är|har|kan|sont|ont|ne)`,
      '(ons|onze|het|de) hele (team|afdeling|kantoor|verdieping|vloer|magazijn|ploeg|nachtploeg)',
      '(das ganze|die ganze|der ganze|die gesamte|das gesamte) (\\p{L}*schicht|team|büro|abteilung|etage|stockwerk|lager|standort)',
      'hela (avdelningen|kontoret|våningen|teamet|företaget|gruppen|lagret|skiftet)',
      "toute (l['’]équipe|la société|l['’]agence)|tout (le monde|le service|le bureau|l['’]étage|le plateau)",
      // "We at customer service have not received", in the offices' languages.
      '(vi|wij|wir) (på|op|in|bei|im) [^.!?\\n]{0,40}|we (on|in|at) (the )?\\S+ (floor|team|office|department)',
      // A counted group as the subject: "wir sechs", "vi är sex personer", "we are 16 people", "somos 12", "14 orderpickers die…".
      `(we|wir|wij|vi|nous)( are| sind| zijn| är| sommes)? (all |alle |alla |tous )?([3-9]|\\d{2,3}|${COUNT_WORDS})(?! (minutes|hours|days|weeks|months|minuten|stunden|tage|wochen|uur|dagen|weken|minuter|timmar|dagar|veckor|heures|jours|semaines)\\b)|(somos|éramos) ([3-9]|\\d{2,3}|${COUNT_WORDS})`,
      `(\\d{1,3}|${COUNT_WORDS}) (${PEOPLE}) (who|that|die|som|qui|que|welche)`,
      // "For the marketing team", "voor de hele afdeling": whom it fails for.
      "(for|affecting|bei|für|voor|bij|för|hos|pour|para) (the|our|my|het|de|das|die|den|der|unser(e|em)?|ons|onze|vårt|l['’]|le|la|el|nuestro|all the|alle|alla|tous les) ?(\\S+ )?(team|department|afdeling|abteilung|avdelning(en)?|équipe|equipo|service|shift|ploeg|schicht|people|mensen|leute|personer|personnes|personas)(?! (lead|leader|manager|head|member|mate|assistant|chat|channel|site|meeting|calendar|drive|folder|lunch|event|party|dinner|offsite|training|presentation|day)\\b)",
    ],
    sameSentence: FAILING,
    // "Het hele team heeft geen haast", "the whole team works without problems".
    unlessSameSentence: ['haast|stress|eile|eilig|brådska|bråttom|pressé|urgent|rush|hurry', 'no problems?|without (any )?(problems?|issues?)|inga problem|kein problem|geen probleem|sans (problème|souci)|pas de problème'],
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
      "(can't|cannot|can not|unable to) (really )?do (anything|much|any work|my (job|work))(?! about)",
      "(can't|cannot|can not) get into (outlook|teams|anything|my (work )?(account|laptop|computer|pc|mail|email|inbox))",
      '(kann|komme)( ich)?( so)? (an )?gar nichts( mehr)?( machen| ran| arbeiten| tun)?|ohne (anmeldung|passwort|laptop|zugang|rechner) kann ich (gar )?nichts',
      'non (riesco a |posso )?lavorare|non (parte|si avvia|si accende)( più)?|nie mogę pracować|nie (uruchamia|włącza) się|kan ikke arbejde|virker ikke',
      'kan inte (jobba|arbeta)|kan (nu )?niet (werken|verder)|(kann|können)( \\S+){0,3} nicht (arbeiten|weiterarbeiten)|ne (peux|peut|pouvons) (pas|plus) travailler|no (puedo|podemos) trabajar',
      // A device that will not switch on, in the offices' languages.
      "geht( \\S+){0,3} nicht (mehr )?an|lässt sich nicht (mehr )?einschalten|fährt( \\S+){0,2} nicht (mehr )?hoch|gaat( \\S+){0,2} niet (meer )?aan|går inte (att )?(slå|sätta) på|ne s['’]allume (pas|plus)|no (se )?enciende",
    ],
  },
  {
    id: 'none-of-a-group-can',
    priority: 'P1',
    label: 'outage affecting many people',
    // "Keiner der zehn Kollegen der Frühschicht kann …": a counted group, none of whom can work.
    patterns: [
      // "Wir sind sieben Leute im Team und bei allen ist es gleich."
      'bei (uns )?allen (ist es|ist das|sind sie)( \\S+){0,2} (gleich|dasselbe|genauso|so)|(it is|it\'s) the same for all of us|(het is )?bij iedereen( \\S+){0,2} hetzelfde|(det är )?likadant för alla|pareil pour tout le monde|(lo mismo|igual) (para|a) todos',
      'keine?r? (der|von den)( [\\p{L}\\p{N}-]+){1,5} (kann|können)|none of the( [\\p{L}\\p{N}-]+){1,5} (can|could|is able)|ingen av( [\\p{L}\\p{N}-]+){1,5} kan|geen van de( [\\p{L}\\p{N}-]+){1,5} kan|aucun(e)? des( [\\p{L}\\p{N}-]+){1,5} ne (peut|peuvent)|ninguno de los( [\\p{L}\\p{N}-]+){1,5} puede',
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
      // "As soon as possible" in the offices' languages.
      'så (fort|snart) som möjligt|snarast|zo (snel|spoedig) mogelijk|so schnell wie möglich|schnellstmöglich|dès que possible|au plus vite|le plus (vite|rapidement) possible',
    ],
  },
  {
    id: 'deadline-today',
    priority: 'P2',
    label: 'deadline today',
    patterns: ['today', 'tonight', 'this (afternoon|evening)', '{today}', '本日|今日', ...TODAY_WORDS],
    sameSentence: DEADLINE_CONTEXT,
    // "Today" that tells what happened, or one of two days, is not a deadline.
    unlessSameSentence: ['happened|happens|occurred', '(today|tonight) or (tomorrow|later)'],
  },
  {
    id: 'deadline-by',
    priority: 'P2',
    label: 'deadline today',
    patterns: [
      // "Come by today" is a visit, not a deadline.
      '(?<!(come|drop|pop|stop|swing) )(by|before) (noon|midday|lunch(time)?|eod|cob|end of (the )?(day|business)|close of business|tonight|today|this (afternoon|evening)|\\d{1,2}([:.]\\d{2})?( ?(am|pm|h|o\'clock))?(?![\\d%]|[:./-]\\d)(?! ?(%|percent|people|users|pages|min|mins|minutes|hours|days|weeks|laptops|devices|gb|mb|tb)\\b))',
      'eod|cob',
      // "Bis 14 Uhr", "avant 17h", "vóór 14:00", "senast kl 15": a time of day, not a date.
      '(bis|vor) (spätestens )?\\d{1,2}(:\\d{2})? ?uhr|(bis|vor) (spätestens )?\\d{1,2}:\\d{2}',
      'avant (midi|ce soir|\\d{1,2} ?h(\\d{2})?)|d[\'’]ici (midi|ce soir|\\d{1,2} ?h(\\d{2})?)',
      '(voor|vóór|uiterlijk) \\d{1,2}[:.]\\d{2}(?![.\\d])',
      '(före|innan|senast) (kl\\.? ?\\d{1,2}([:.]\\d{2})?|\\d{1,2}:\\d{2})',
    ],
    unlessSameSentence: ['(today|tonight) or (tomorrow|later)'],
  },
  {
    id: 'deadline-time',
    priority: 'P2',
    label: 'deadline today',
    // A time of day next to a meeting or a need, on a mail that names no other day.
    patterns: [
      "at \\d{1,2}([:.]\\d{2})?( ?(am|pm|h|o'clock))?(?![\\d%]|[:./-]\\d)(?! ?(%|percent|people|users|pages|min|mins|minutes|hours|days)\\b)",
      // "Kl 11", "um 10 (Uhr)", "om 11 uur", "à 14h", "a las 11".
      '(kl\\.?|klockan|um|om|à|a las) \\d{1,2}([:.]\\d{2})?( ?(uhr|uur|h))?(?![\\d%]|[:./-]\\d)(?! ?(%|prozent|procent|minuten|stunden|tage|wochen|minuter|timmar|dagar|veckor|weken|heures|jours|semaines|minutos|horas|días|semanas)\\b)',
    ],
    sameSentence: [
      'meetings?',
      'call',
      'present(ing|ation)?',
      'demo',
      'interview',
      'workshop',
      'training',
      'kick-?off',
      'webinar',
      'appointment',
      'flight',
      'need(s|ed)?',
      // The same in the offices' languages.
      '(kund|kunden|klant|client)?presentation(en)?|(kunden)?präsentation|(klant)?presentatie|présentation|presentación|möte(t)?|besprechung|termin|vergadering|afspraak|réunion|rendez-vous|reunión|llamada|flyg(et)?|flug|vlucht|vol|vuelo',
    ],
    unlessSameSentence: [
      'tomorrow',
      'next (week|month)',
      '(on|next) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)',
      '(?<!(heute|jeden|am|guten) )morgen|imorgon|i morgon|demain|mañana|(am|på|op|le|el) (montag|dienstag|mittwoch|donnerstag|freitag|måndag|tisdag|onsdag|torsdag|fredag|maandag|dinsdag|woensdag|donderdag|vrijdag|lundi|mardi|mercredi|jeudi|vendredi|lunes|martes|miércoles|jueves|viernes)',
      // A fallback the sender already has: "I can take the call from my phone if need be".
      'if (need|needs) be|if necessary|at a push|at a pinch|zur not|notfalls|im notfall|desnoods|zo nodig|i nödfall|vid behov|au besoin|à la rigueur|si hace falta',
    ],
  },
  {
    id: 'go-live',
    priority: 'P2',
    label: 'a go-live due today or tomorrow',
    // A go-live cannot move: what it needs must work before it, even when nobody is stopped yet.
    patterns: ['(go|goes|going|went) live|go-live|golive|live ?gang|livegang|inbetriebnahme|driftstart|mise en production|puesta en (marcha|producción)|cut-?over'],
    sameSentence: ['today|tonight|tomorrow|morgen|imorgon|i morgon|idag|i dag|demain|mañana|heute|vandaag|aujourd[\'’]hui|hoy|\\d{1,2}[:.]\\d{2}'],
    unlessSameSentence: ['next (week|month)|postponed|verschoben|uitgesteld|uppskjuten|reporté|aplazad[oa]'],
  },
  {
    id: 'not-urgent',
    priority: 'P4',
    label: 'the sender says it is not urgent',
    patterns: [
      'not (really |that |too |very |super )?urgent',
      'nothing urgent',
      // Italian, Portuguese and Polish: "non è urgente", "não é urgente", "nie jest pilne".
      "non (è|e['’]) (molto |così )?urgente|nessuna fretta|senza fretta|non c['’]è fretta|não é urgente|sem pressa|nie (jest )?pilne|bez pośpiechu",
      'no (rush|hurry|urgency)',
      'not in a (rush|hurry)',
      // "It would be nice to have it sorted" asks for a fix; "a nice-to-have" says it can wait.
      'nice[- ]to[- ]have(?! (it|this|that|them) )',
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
      // The same in the offices' languages: no stress, it has time, it can wait.
      'kein(e)? (stress|eile|hektik)|nicht eilig|eilt nicht|hat (noch )?zeit|kann warten',
      'geen (haast|spoed)|heeft geen haast|kan wachten|niet dringend',
      'ingen (brådska|stress)|inte bråttom|det är lugnt|det brådskar inte|inget akut|kan vänta',
      // Danish and Spanish; "when you have time" in the offices' languages.
      'haster ikke|ingen hast|ikke (noget der haster|travlt)|no es urgente|nada urgente|sin prisa|no (hay|corre) prisa',
      'når (du|i) har tid|när (du|ni) (har|hinner|får) tid|als (je|jullie|u) tijd (hebt|heeft|hebben)|wenn (du|ihr|sie) zeit (hast|habt|haben)|bei gelegenheit|quand (vous|tu) (aurez|auras|avez|as) (un moment|le temps|du temps)|cuando (puedas|podáis|pueda|puedan|tengas tiempo|tengáis tiempo)',
      "pas (du tout |très |si )?(pressé|urgent)|rien d['’]urgent|rien de (pressé|urgent)|aucune urgence|peut attendre|sans urgence",
      '(it|this|that) can wait',
      // A later date the sender says is fine: "next month is fine", "after the holidays is fine".
      '(next (week|month|quarter|year)|after (the )?(holidays|christmas|new year|easter|summer|break|weekend)|(in|by|before|until|after|from) (january|february|march|april|may|june|july|august|september|october|november|december|the new year)|the new year|january|february) (is|would be|will be) (absolutely |totally |perfectly |completely |also |really |more than )?(fine|ok|okay|early enough|soon enough|good|perfect)',
      "(don't|do not) need anything (right )?(now|yet)|nothing (is )?needed (right now|now|yet|before|until)|no action (is )?needed (yet|now)",
    ],
  },
  {
    id: 'weeks-away',
    priority: 'P4',
    label: 'it is for a date weeks away',
    // A start date or a deadline three weeks or more ahead ("El 11 de enero se incorpora"): it can be planned.
    patterns: ['{weeksAway}'],
    // Only as a start or a deadline: "the access can end on 31 January" or a scan's timestamp plans nothing.
    sameSentence: [
      'start(s|ing)?|join(s|ing)?|begin(s|ning)?|effective|due|deadline|before|by|go(es)? live|mov(e|es|ing)',
      "se incorpora|empieza|comienza|antes( del?)?|beginnt|fängt|anfangen|bis( zum)?|begint|vanaf|uiterlijk|vóór|börjar|från och med|senast|innan|starter|begynder|commence|à partir du|avant|d['’]ici",
    ],
  },
  {
    id: 'planning-request',
    priority: 'P3',
    label: 'a training, move or planning request, not a fault',
    category: 'other',
    // Asking IT to teach, to plan a move or to join a meeting is no fault in any one device or system,
    // whatever application it names. A broken thing in the same sentence is a fault after all.
    patterns: [
      // A training or a session for the team.
      '(give|run|hold|organi[sz]e|offer|arrange|do) (us |the team |my team |our team )?(a |an |some )?(short |quick |small |brief |little )?(\\S+ )?(training|session|course|workshop|introduction|walkthrough)(?! (room|laptop|account|licen[cs]e))',
      '(training|sessie|cursus|workshop|presentatie|uitleg)( \\S+){0,6} (willen |kunnen )?(geven|houden|organiseren|verzorgen)',
      '(schulung|einführung|einweisung|training|präsentation|workshop)( \\S+){0,6} (geben|halten|machen|anbieten|organisieren)',
      '(hålla|ge|ordna) (\\S+ ){0,3}(utbildning|genomgång|kurs|dragning|workshop)',
      '(faire|donner|organiser|animer) (\\S+ ){0,3}(formation|présentation|session|atelier|démonstration)',
      '(dar|hacer|organizar|impartir) (\\S+ ){0,3}(formación|capacitación|sesión|curso|taller|presentación)',
      '(idea|idee|idé|idée|suggestion|vorschlag|förslag|sugerencia)[^.!?\\n]{0,40}(training|schulung|cursus|utbildning|formation|session|sessie|workshop|formación)',
      // Someone from IT at a planning meeting.
      '(someone|somebody|one of you|anyone)( from (it|the it team|your team))? (to |could |can |would )?(join|attend|come to) (\\S+ ){0,3}(meeting|review)|walk (us|me|them|the team) through',
      // A move still to come: "we are moving to the 4th floor", "jag flyttar från rum 3.08", "verhuizing naar de 2e verdieping".
      '(verhuizing|umzug|flytten|flytt|déménagement|mudanza|office move|desk move)( \\S+){0,4} (naar|nach|in den|ins|till|vers|au|à|a|to|op|auf|på)( \\S+){0,4} (floor|verdieping|etage|stock|og|våning(en)?|étage|planta|kantoor|büro|kontor(et)?|bureau|oficina)',
      '(moving|will move|are going to move|is going to move|flyttar|ska flytta|verhuizen|verhuist|gaan verhuizen|ziehen|umziehen|déménageons|déménage|déménager|nos mudamos|se muda) (from|to|till|från|naar|van|nach|in|vers|à|de|a) (\\S+ ){0,5}(floor|room|desk|office|rum(met)?|våning(en)?|kontor(et)?|etage|stockwerk|büro|verdieping|kantoor|étage|bureau|planta|oficina)',
    ],
    unlessSameSentence: FAILING,
  },
  {
    id: 'door-badge',
    priority: 'P3',
    label: 'a door badge, which is building access',
    category: 'other',
    // A badge that opens doors is for facilities; a badge in an MFA or sign-in sentence is not.
    patterns: ['(badge|pasje|toegangspas|passerkort(et)?|ausweis|zutrittskarte|badge d[\'’]accès|tarjeta)( \\S+){0,5} (doors?|room|deur|tür|dörr(en)?|porte|puerta|reader|lezer|leser|läsare(n)?|lecteur|lector)'],
    unlessSameSentence: ['mfa|2fa|sign-?in|log-?in|password|wachtwoord|passwort|lösenord|mot de passe|laptop|pc|computer|printer|print|imprimante|impressions?|drucker|skrivare(n)?|afdrukken|impresora'],
  },
];
