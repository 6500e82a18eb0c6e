/**
 * Built-in services and unavailability phrases for incident detection, in English, German,
 * Swedish, Dutch and French (the languages of Northwind's offices: Hamburg, Malmö, Stockholm,
 * London, Amsterdam, Lyon and the Rotterdam warehouse; see test/eval/incidents.ts). Patterns are
 * rule patterns (src/domain/patterns.ts): case-insensitive, whole words.
 *
 * `local` says whose a service is: a floor's (printers and desk phones stand on a floor), a
 * site's (one Wi-Fi controller and line out, one badge controller, one file server, one
 * warehouse system per site: its floors don't split it), or nobody's (Teams, email, sign-in are
 * down for everyone alike).
 */

/**
 * The working week's days, for "since Tuesday" (a problem that has lasted days is no fresh
 * outage). Not the weekend: "since Saturday", written on a Monday, is a change made over the
 * weekend that everyone meets at once.
 */
const WORKDAYS = {
  en: 'monday|tuesday|wednesday|thursday|friday',
  de: 'montag|dienstag|mittwoch|donnerstag|freitag',
  sv: 'måndag(en|s)?|tisdag(en|s)?|onsdag(en|s)?|torsdag(en|s)?|fredag(en|s)?',
  nl: 'maandag|dinsdag|woensdag|donderdag|vrijdag',
  fr: 'lundi|mardi|mercredi|jeudi|vendredi',
};
/** The week's days, for "last Saturday" (a past outage). */
const DAYS = {
  en: 'monday|tuesday|wednesday|thursday|friday|saturday|sunday',
  de: 'montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag',
  sv: 'måndag(en|s)?|tisdag(en|s)?|onsdag(en|s)?|torsdag(en|s)?|fredag(en|s)?|lördag(en|s)?|söndag(en|s)?',
  nl: 'maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag',
  fr: 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche',
};
/** A few words in between, within one clause (no punctuation): "since my laptop was reimaged on Tuesday". */
const FEW_WORDS = "( [\\p{L}\\p{N}'-]+){0,5}";

/** A service as the config gives it (rules.ts). */
interface ServiceDefault {
  name: string;
  label: string;
  local?: boolean | 'site' | 'floor';
  patterns: string[];
}

export const defaultServices: ServiceDefault[] = [
  {
    name: 'network',
    label: 'Wi-Fi and network',
    // The site's: one Wi-Fi controller and one line out serve its floors, and reports from
    // several floors of one office at once are one outage far more often than two.
    local: 'site',
    patterns: [
      'wi-?fi', 'wlan', 'wireless', 'draadloos', 'drahtlos', 'trådlös(t|a)?', 'sans[- ]fil', 'internet', 'network', 'netzwerk', 'netz', 'nätverk(et)?', 'nät(et)?', 'ethernet', 'lan', 'ssid', 'hotspots?', 'tether(ing)?', 'uppkoppling(en)?',
      // The wired network of a floor: sockets, cables, a switch, no address (169.254.x.x).
      'wired', 'lan[- ]?(ports?|cables?|kabel)', 'network (sockets?|ports?|cables?|outlets?|points?)', 'netzwerk(dose|dosen|kabel|anschluss|buchse)', 'kabel(netz|verbindung)',
      'nätverks(uttag(et|en)?|kabel(n)?)', 'netwerk', 'netwerk(aansluiting(en)?|kabel(s)?)', 'réseau', 'câbles? réseau', 'réseau par câble', 'filaires?', 'prises? réseau',
      'ip[- ]?(address|adresse|adres)', 'adresse ip', '169\\.254(\\.[\\dx]+){0,2}', 'switch(es)?',
      // Going out to the internet: browsing, reaching out ("Stockholmskontoret når inte ut").
      'surfa|surfen|surfer', 'når inte ut',
    ],
  },
  {
    name: 'email',
    label: 'email',
    patterns: [
      'outlook', 'exchange', 'e-?mails?', 'mails?', 'mailbox', 'postfach', 'mejl(en|et)?', 'e-?post(en)?', 'inbox', 'messagerie', 'courriels?',
      'posteingang', 'inkorg(en)?', 'postvak( in)?', 'boîte de réception', 'messages? (reçus?|entrants?)',
    ],
  },
  {
    name: 'vpn',
    label: 'VPN',
    // Working from home and not reaching what is inside: that is the way in, whatever it names.
    patterns: ['vpn', 'globalprotect', 'anyconnect', 'forticlient', 'remote access', 'from home', 'home ?office', 'hemifrån', 'von zu ?hause', 'im homeoffice', 'thuiswerken', 'vanuit huis', 'télétravail', 'de chez moi'],
  },
  {
    name: 'sign-in',
    label: 'signing in (single sign-on)',
    patterns: [
      'sso', 'single sign-?on', 'log ?in', 'sign ?in', 'anmeld(ung|en)', 'inloggning(en)?', 'logga in', 'okta', 'entra', 'azure ad',
      'anmeldeseite', 'login-?seite', 'inloggningssida(n)?', 'inloggen', 'aanmelden', 'se connecter', 'me connecter', '(page|écran) de connexion', 'connexion impossible', 'identifiant',
    ],
  },  {
    name: 'erp',
    label: 'the ERP system',
    // SAP's well-known transactions name it too ("MIGO duurt eeuwig", "Sanduhr bei VA01").
    patterns: ['sap', 'erp', 'navision', 'dynamics', 'affärssystem(et)?', 'warenwirtschaft', 'migo|miro|me2[1-3]n|va0[1-3]|vl0[1-3]n|vl06[a-z]?|fb0[1-3]|fb[56]0|mm0[1-3]|su01|se16n?'],
  },
  {
    name: 'teams',
    label: 'Teams calls and meetings',
    patterns: ['teams', 'zoom', 'webex', 'video ?calls?', 'videokonferenz(en)?', 'videosamtal(et)?', 'videogesprek(ken)?', 'visioconférence'],
  },
  {
    // A site's door access: one controller opens every door of the building, so it is the site's.
    name: 'door-access',
    label: 'door access (badge readers)',
    local: 'site',
    patterns: [
      'badges?', 'badge ?readers?', 'card ?readers?', 'door ?readers?', 'turnstiles?', 'access control', 'door access', 'doors?',
      // "pass" only as a pass: "my pass", "building pass" (not "pass on").
      "(?<=(my|the|building|access|door|security|staff|id|his|her|our|their) )pass(es)?",
      'ausweis(e|es)?', 'mitarbeiterausweis', 'zutritt(skarte|skontrolle|ssystem)?', 'kartenleser', 'drehkreuz(e)?', 'türöffner', 'tür(en)?',
      'passerkort(et|en)?', 'passersystem(et)?', 'kortläsare(n|na)?', 'dörr(en|arna|ar)?',
      // Dutch "pas" is also "only"/"not until": only as a card ("mijn pas", "met pas").
      "(?<=(mijn|m'n|zijn|haar|je|met|de) )pas", 'pasje(s)?', 'toegangspas(sen)?', 'paslezers?', 'kaartlezers?', 'lezers?', 'toegangssysteem', 'draaipoort(jes|en)?', 'deur(en)?',
      'lecteurs? de badges?', 'tourniquets?', "contrôle d'accès", 'portes?',
    ],
  },
  {
    name: 'phones',
    label: 'phones',
    local: true,
    patterns: [
      'phones?', 'telephon(e|y)', 'telefon(e|en|erna)?', 'softphone', 'switchboard', 'växel(n)?', 'direct line', 'phone calls?', 'desk ?phones?',
      'tischtelefon(e)?', 'festnetz', 'anrufe?', 'bordstelefon(en)?', 'fast telefon', 'samtal(en)?', 'vaste (telefoon|lijn)', 'bureautelefoon',
      'téléphones?', '(ligne|téléphone|poste)s? fixes?', 'mon fixe', 'appels?', 'combinés?', 'standard téléphonique',
    ],
  },
  {
    // Remote desktops: the session freezes for everyone on it, wherever they sit.
    name: 'remote-desktop',
    label: 'the remote desktop (Citrix)',
    patterns: [
      'citrix', 'virtual desktops?', 'remote desktops?', 'remote screen', 'rdp', 'azure virtual desktop', 'avd',
      'virtuelle[nr]? (desktop|arbeitsplatz)', 'externe werkplek', 'virtuele werkplek', 'fjärrskrivbord(et)?', 'citrix-skrivbord(et)?', 'bureau virtuel', 'bureau à distance',
    ],
  },
  {
    name: 'wiki',
    label: 'the wiki and intranet',
    patterns: ['wiki(n|s)?', 'confluence', 'intranet(t|et)?', 'kennisbank', 'intranät(et)?', 'teamsida(n)?', 'handleidingen op het intranet'],
  },
  {
    // The self-service page where people set a new password: when it fails, expired passwords pile up.
    name: 'password-reset',
    label: 'the self-service password reset',
    patterns: [
      'self-?service (password )?reset', 'sspr(_\\d+)?', 'password reset (page|portal|site|link)', 'reset (page|link) for (my|the) password', '(page|link) (for|to set) a new password',
      'self-?service[- ]wachtwoordreset', 'wachtwoordreset', 'kennwort-?zurücksetzung', 'passwort-?zurücksetzung', 'återställning av lösenord(et)?', 'lösenordsåterställning(en)?', 'réinitialisation (du|de) (mot de passe|mdp)',
    ],
  },
  {
    // Clock-in terminals hang off one site's time-recording server.
    name: 'time-clock',
    label: 'the clock-in terminals',
    local: 'site',
    patterns: [
      'pointeuses?', 'badgeuses?', 'pointages?', 'boîtier( gris)? (à|de) l[\'’]entrée', 'zeiterfassung(sterminal)?', 'stempeluhr(en)?', 'stempelterminal', 'tidsstämpling(en)?', 'stämpelklocka(n)?', 'prikklok(ken)?', 'tijdregistratie',
      'clock-?in (terminals?|machines?|clocks?)', 'time ?clocks?', 'time[- ]recording( terminals?)?',
    ],
  },
  {
    name: 'expenses',
    label: 'the expenses system',
    patterns: [
      'expenses?( (site|portal|system|tool|app|reports?|claims?))?', 'spesen\\p{L}*', 'reisekosten\\p{L}*', 'declaratie(s|systeem|portaal)?', 'reseräkning\\p{L}*', 'utlägg(en)?', 'notes? de frais',
    ],
  },
  {
    // A network drive is a site's file server (ham-fs01): its floors don't split it.
    name: 'files',
    label: 'file shares',
    local: 'site',
    patterns: [
      'file ?shares?', 'shared (drives?|folders?)', 'network ?drives?', 'file ?servers?', 'fileserver', 'filserver(n)?',
      '\\p{L}*laufwerk(e|en)?', 'netzwerkpfad', '(abteilungs|gruppen|team|projekt)ordner', 'nätverksenhet(en)?', 'delade? mapp(en|ar)?', 'gemensamma (mappen|mappar|enheten)',
      'netwerkschijf', 'gedeelde (map|mappen|schijf)', 'lecteurs? réseau', 'dossiers? partagés?', 'serveur de fichiers',
      // A drive letter or a path on a server: "S:\\Vertrieb", "\\\\ham-fs01\\gruppen", "smb://ham-fs01".
      '[a-z]:\\\\[\\p{L}\\p{N}_.-]*', '\\\\\\\\[\\p{L}\\p{N}_.-]+', 'smb://[\\p{L}\\p{N}_.-]+',
      '(drive|laufwerk|disk(en)?|schijf|lecteur|enhet(en)?|on|auf|an|på|op|sur) [a-z]:', '[a-z]: ?(drive|laufwerk|disk(en)?|schijf)',
    ],
  },
  { name: 'cloud-files', label: 'SharePoint and OneDrive', patterns: ['sharepoint', 'onedrive'] },
  {
    // A warehouse's handheld scanners talk to its own warehouse system (WMS): the site's.
    name: 'scanners',
    label: 'handheld scanners',
    local: 'site',
    patterns: ['hand ?scanners?', 'handscanner(s|n)?', 'handhelds?', 'rf[- ]?(guns?|scanners?|terminals?)', 'barcode ?scanners?', 'scanners?', 'scannern?', 'skanner(n|na)?', 'streckkodsläsare(n|na)?', 'scanettes?', 'douchettes?', 'wms'],
  },
  { name: 'printing', label: 'printing', local: true, patterns: ['printers?', 'printing', 'print server', 'drucker', 'drucken', 'skrivare(n)?', 'utskrift(er)?', 'kopierer', 'copiers?', 'scan-to-mail', 'multifunction', 'afdrukken', 'printen', 'imprimantes?', 'imprimer', 'impressions?'] },

];

export const defaultSymptoms = [
  // English ("slowing me down", "shut down last night", a "drop-down" are not an outage)
  '(?<!(slow(s|ing)? (me|it|us|things|everything)|shut|shuts|shutting|turn|turned|write|wrote|sit|sat|calm|count|upside|let|scroll|scrolled|scrolling) )(?<!(drop|pull)-)down',
  'outage',
  'offline',
  'dead',
  // ("gone through the steps", "gone home" are not)
  'gone(?! (through|over|ahead|home|into|to|for|well|fine))',
  "(is|are|'s|'re)n't working|(is|are) not working|not working( at all)?|stopped working|doesn't work|does not work|won't (work|connect|load|open)",
  "(can't|cant|cannot|can not|unable to|couldn't) (connect|get (on ?line|online|in|on|through|into)|reach|access|load|open|send|receive|print|log ?in|sign ?in|save|scan|join)",
  "(not|n't|nt) (receiving|getting) (any )?(e-?mails?|mails?|calls?)|no (new )?(e-?mails?|mails?) (are )?(coming in|arriving)|(nothing|no e-?mails?) (has|have|seems to have) (arrived|come in)",
  '(keeps|kept) asking for (my|the) password|rings out|no dial ?tone|registration failed',
  'no (connection|connectivity|signal|internet|network|wi-?fi|access|service|ip( address)?)',
  '(keeps|kept) (dropping|disconnecting|crashing|failing|reconnecting)',
  'disconnected',
  '(not|un)reachable',
  'times? out|timing out|timed out|time-?out',
  "tethering|(on|using) (my|our|the) (phone|phone's|mobile|mobile's) hotspots?",
  // Calls that drop, doors that don't open, a sign-in that goes round in a loop.
  '(calls?|meetings?|connection|sessions?)( [\\p{L}-]+){0,6} (drops?|dropped|dropping)|(dropped|thrown|kicked|booted) (out|off)|(throws?|threw|kicks?|kicked) (us|me|them|everyone|people) out|reconnecting',
  "(doesn't|does not|won't|will not|don't|do not|didn't|did not) (open|respond|react|accept|read)|(blinks?|blinking|flash(es)?|flashing|stays?|staying) (red|orange)",
  '(stuck|caught) in an? (endless |infinite |redirect )?loop|(an?|endless|infinite|redirect|login|log-?in|sign-?in|okta|same) loop|round and round|(goes|go|going|sends? me|comes?|coming)( straight| right)? back to the (sign-?in|log-?in|login) page',
  "file not found|(path|server) (was )?not found|nobody can|no ?one can|(e-?mails?|mails?|messages)( [\\p{L}\\p{N}'-]+){0,3} (are |is )?missing",
  '169\\.254(\\.[\\dx]+){0,2}',
  // A sign-in refused with the right password, an error page instead of the app, calls without sound.
  'something went wrong|(http )?error 500|(red|rouge) (screen|écran)|(screen|écran|bildschirm|skärm(en)?|scherm)( \\S+){0,2} (red|rouge|rot|rött|rood)|keeps stopping|stops? for (half a minute|a minute|\\d+ seconds)|(not|isn\'t|aren\'t) (being )?(sent|transmitted|synced|coming through)',
  'trying to connect|(sitting|stuck|stays?|staying|remains?) in (the|my) outbox|stuck (on|at)|(never|didn\'t|did not) (join|joined|appear|appeared|show up|showed up)|(goes|go|going|went|kept going|keeps going) back to the (start|home) ?screen',
  '(authentication|login|log-?in|sign-?in) (failed|failure|error)|(http )?error 50[234]|service (is )?unavailable|bad gateway|error page|(white|blank) page|no (sound|audio|voice)|(can\'t|cannot|can not) hear|(just|only) silence',
  // German
  'geht nicht|gehen nicht|geht gar nichts|funktioniert nicht|funktionieren nicht|funzt nicht',
  'ausgefallen|ausfall|störung|gestört',
  'keine (verbindung|internetverbindung|netzwerkverbindung|anmeldung|ip(-adresse)?)|kein (internet|netz|wlan|empfang|zugriff)',
  'nicht (mehr )?(erreichbar|verbunden|möglich|gefunden)|getrennt|unterbrochen',
  'druck(t|en) nicht|kann (nix|nichts) (aus)?drucken|keine ausdrucke|kommt nichts (mehr )?raus|(kommt|kommen) nicht an',
  'keine (neuen )?(e-?)?mails|komme nicht (ins|in das|auf das|an)|fragt (ständig|immer wieder|dauernd) nach (meinem|dem) passwort',
  '(bricht|brechen)( [\\p{L}-]+){0,3} ab|abgebrochen|(fliege|fliegen|fliegt)( [\\p{L}-]+){0,8} raus|rausgeworfen|rausgeflogen|verbindung wird wiederhergestellt',
  '(ist|sind) weg|kann nicht zugegriffen werden|(kommt|kommen) (keiner|niemand)|(keiner|niemand) kommt|kann( [\\p{L}-]+){0,2} nicht (speichern|öffnen|zugreifen|verbinden)|nicht gespeichert',
  '(bleibt|bleiben)( \\S+){0,4} (immer wieder )?stehen|etwas ist schiefgelaufen|fehler 500|keine buchungen|nicht übertragen',
  '(komme|kommen|kommt)( wir| ich| man)? nicht (mehr )?(in|ins|rein)|klappt( [\\p{L}-]+){0,4} nicht|nicht( mit [\\p{L}-]+){0,3} verbinden|zurück (zum|auf den) startbildschirm',
  '(anmeldung|authentifizierung|login) fehlgeschlagen|fehlerseite|(weiße|leere) seite|kein (ton|sound)|(höre|hört|hören) (nichts|mich nicht)',
  'schleife|nirgends (mehr )?anmelden|(wieder|zurück) auf der anmeldeseite|(geht|gehen) nicht (mehr )?auf|öffne[tn] (sich )?nicht|reagier(t|en) nicht|(bleibt|bleiben|blinkt|blinken) rot',
  // Swedish
  'fungerar inte|funkar inte|fungerar ej|går inte',
  'nere|ligger nere|avbrott|strul',
  'ingen (anslutning|uppkoppling|täckning|åtkomst|ip-adress)|inget (internet|nätverk|nät|wifi|wi-fi)',
  'kommer inte (in|åt|ut)|ingen kommer (in|åt)|inga (nya )?mejl|står still|tappat (nätet|uppkopplingen|anslutningen)|hänger (sig|bara)',
  'något gick fel|(står|stannar) (still|upp)|(fryser|frös)',
  '(autentisering(en)?|inloggning(en)?) misslyckades|felsida(n)?|(bara|helt) vit|inget ljud|hör (ingenting|inget|inte (mig|dem|något))',
  "(sitter|är) på (mobilens|telefonens|mobil)? ?hotspot",
  'frånkopplad|bortkopplad|ur funktion',
  'bryts|bröts|kopplas (ner|bort|ifrån)|(åker|slängs|kastas) ut|snurrar|loopar|(hamnar|kommer)( [\\p{L}-]+){0,3} (på|till) inloggningen igen|öppnas inte|reagerar inte|(lyser|blinkar) rött',
  // Dutch
  'loopt( \\S+){0,2} vast|er is iets (mis)?gegaan|bevriest|foutmelding|(geeft|gaf) (een )?(fout(code|melding)?|error)|(laadt|laden)( \\S+){0,3} (niks|niets)( meer)?|(is|zijn) (het )?(internet )?weg',
  '(aanmelden|inloggen|login|authenticatie) (is )?mislukt|foutpagina|(krijg|krijgen) (het|hem|\'m) niet (open|aan)|kom(en)? niet (op|bij) de|geen (geluid|verkeer)|(er )?komt (niets|niks) door|(hoor|hoort|horen) (niets|niks)|lukt( [\\p{L}-]+){0,2} niet',
  'werkt niet|werken niet|doet het niet|doen het niet|(doet|doen|boekt|boeken|gebeurt)( [\\p{L}-]+){0,2} (niks|niets)',
  '(gaat|gaan) niet (meer )?open|opent( [\\p{L}-]+){0,6} niet|wordt niet (meer )?(geaccepteerd|herkend|gelezen)|(reageert|reageren) niet|(blijft|blijven) rood|rood knipperen',
  'geen (verbinding|netwerk|internet|toegang|wifi|wi-fi)|niet (meer )?bereikbaar|(ligt|liggen) (er )?(uit|plat|stil)|storing|(valt|vallen)( steeds| telkens| continu| constant)? weg|eruit gegooid|kan niet (inloggen|verbinden)|kom(en)? niet (in|binnen)',
  // French
  "ne (marche|marchent|fonctionne|fonctionnent|répond|répondent|réagit|réagissent) (plus|pas)|ne s'ouvre(nt)? (plus|pas)|en panne|hors (service|ligne)|injoignables?|inaccessibles?",
  "(qui )?coupent|coupure(s)?|reconnexion|déconnecté(e|s|es)?|impossible de (me |se )?(connecter|tenir|joindre|accéder|ouvrir|imprimer)|connexion impossible|n'arrive (plus|pas) à (me |se )?(connecter|accéder|ouvrir)",
  "(se )?fige(nt)?|pages? d['’]erreur|(non|pas) transmis|une erreur s['’]est produite|trois bips",
  "ne (se )?synchronise(nt)? (plus|pas)|bloque(nt)?|échec de (l'authentification|la connexion)|refuse(nt)? (la )?connexion|connexion refusée|page (d'erreur|blanche)|(aucun|pas de|plus de) son|n'entend(s|ent)? (rien|pas)|ne m'entend(ent)? pas|muette?s?",
  "en boucle|tourne(nt)? en rond|(reviens|revient|retombe)( toujours)? (à|sur) la page|plus de (réseau|connexion|internet|wi-?fi)|pas de (réseau|connexion|internet)|pas d'accès|n'obtien(t|nent) (pas )?d'adresse ip|sans adresse ip|éteint(e|s|es)?",
  // Degraded, not down: slow, hanging, late, garbled. An outage is as often said this way ("SAP
  // really slow", "mails kommen mit Verzögerung an", "print-outs of random characters"); one
  // person's slow laptop is theirs (onlyMe).
  // English
  "slow|sluggish|crawling|(takes?|taking|took)( [\\p{L}-]+){0,2} (ages|forever|minutes|an eternity)|hangs|hanging|hung|frozen|freez(es|ing)|hourglass|time limit exceeded",
  "(arriv(e|es|ed|ing)|turn(s|ed|ing)? up|com(e|es|ing) in|came in|delivered)( [\\p{L}-]+){0,2} late|delayed|delays?|gibberish|garbage|nonsense|(random|strange|weird|odd) (symbols|characters|letters)|pcl( xl)? error|stuck in the (print )?queue",
  // German ("hängt davon ab" is "it depends")
  "langsam|lahm|(hängt|hängen)(?! (davon|damit|das|es) )( sich)?( auf)?|aufgehängt|sanduhr|dauert( [\\p{L}\\p{N}-]+){0,3} (ewig|ewigkeiten|minuten|lange)|verzögert|verzögerung(en)?|verspätet|verspätung|nicht angekommen|zeitüberschreitung|(seltsame|kryptische|komische|wirre) zeichen|zeichensalat|(lädt|laden)( [\\p{L}-]+){0,2} nicht(?! (mehr )?auf)",
  // Swedish ("sent" is only late after "kommer")
  "seg(t|a)?|jätteseg(t|a)?|långsam(t|ma)?|trög(t|a)?|krånglar|tar (flera|många|\\d+) minuter|tar (en )?evighet(er)?|blir aldrig klar|försenad(e)?|fördröjd(a)?|fördröjning(ar)?|kommer( in| fram)?( för)? sent|konstiga tecken",
  // Dutch ("hangt af van" is "it depends")
  "traag|trage|langzaam|(duurt|duren)( [\\p{L}-]+){0,3} (eeuwig|eeuwen|lang|minuten)|vertraagd|vertraging(en)?|(komen|komt|kwamen|kwam)( [\\p{L}-]+){0,4} (te )?laat( binnen)?|(blijft|blijven) hangen|hangt(?!( [\\p{L}-]+){0,4} af)|loopt vast|vastgelopen|(rare|vreemde) tekens|(inbox|postvak( in)?)( [\\p{L}-]+){0,5} stil",
  // French ("une rame de papier" is a ream)
  "lent(e|s|es)?|lenteurs?|rame(nt)?(?! de papier)|fig(e|ent|é|ée)|(en|avec (une heure de |du )?)retard|retardé(e|s|es)?|délai d'attente (dépassé|expiré)|met( [\\p{L}-]+){0,3} (une éternité|des minutes|plus d'une minute)|caractères (bizarres|étranges|incompréhensibles)|charabia",
];

/**
 * Phrases saying the problem is the writer's own, or no fresh outage: such a report is not of an
 * outage. What makes a problem one person's, in any language: others are fine ("my colleagues
 * can save as usual"); it is their own account, quota, battery, badge or socket ("my account is
 * locked", "not enough space", "the battery won't charge", "a new badge", "the socket of my
 * desk"); it is about their rights, not the service ("write access to S:\\Marketing"); or it
 * has lasted days ("since Tuesday"): an outage that many people report at once is fresh.
 */
export const defaultOnlyMe = [
  // (Asked, it says nothing: "Is it just me?", "Geht das nur mir so?", "Är det bara jag?")
  "(only|just) (me|mine|my (laptop|pc|computer|machine|account|phone))(?![^.!?\\n]{0,20}\\?)",
  "(my )?(phone|mobile|colleagues?|co-?workers?|others|everyone else|the rest of (the|my) team)('s| is| are| seems?)? (fine|ok|okay|working|unaffected)",
  "(works|is working|is fine) (for|on) (my )?(colleagues?|everyone else|others|my phone)",
  '(nur (bei )?mir|nur mein(e|en)? (laptop|rechner|pc|konto))(?![^.!?\\n]{0,20}\\?)',
  '(bei )?(den )?(kollegen|anderen) (geht|funktioniert|klappt) (es|alles)',
  'bara (jag|för mig|min (dator|laptop|telefon))(?![^.!?\\n]{0,20}\\?)',
  // The writer's own line at home: their provider's fault, not ours.
  'my (home )?(broadband|router)|mein(en)? (router|heimanschluss)|min router|mitt bredband',
  '(kollegorna|de andra|alla andra) (har inga problem|fungerar|funkar)',
  '(alleen (bij )?(mij|ik|mijn (laptop|pc|computer|account|telefoon))|(seulement|uniquement|juste) (moi|mon (pc|ordinateur|portable|compte))|que moi)(?![^.!?\\n]{0,20}\\?)',
  // Others around them are fine: "others in the same meeting can share fine", "Kollegorna runt mig kan spara som vanligt".
  `(others|colleagues|co-?workers|everyone else|my neighbou?rs?)${FEW_WORDS} (fine|normally|as usual|without (any )?problems?)`,
  `(kollegen|die anderen|alle anderen)${FEW_WORDS} (ganz )?(normal|problemlos|ohne probleme)`,
  `(kollegorna|kollegerna|de andra|alla andra)${FEW_WORDS} (som vanligt|utan problem)`,
  `(collega's|de anderen|iedereen anders)${FEW_WORDS} (gewoon|prima|zonder problemen)|bij (mijn )?(collega's|anderen|de buren|mijn buurman|mijn buurvrouw) (werkt|doet) het (wel|gewoon)`,
  "(mes collègues|les autres|ma voisine|mon voisin|mes voisins)(,)? (ça|cela|tout|il|elle|ils|elles) (marche|fonctionne)|(chez|pour) (mes collègues|les autres|ma voisine|mon voisin)(,)? (ça|cela|tout) (marche|fonctionne)",
  // Their own account: locked, forgotten password.
  '(my|mein|min|mitt|mijn|mon) (account|konto|compte|user|benutzer)( is| ist| är| est)? (locked|gesperrt|låst|geblokkeerd|verrouillé|bloqué)',
  '(account|konto(t)?|compte|benutzer|user)( [\\p{L}-]+){0,3} (is|ist|är|est) (locked|gesperrt|låst|geblokkeerd|verrouillé|bloqué)|(bin|ist) (jetzt )?gesperrt|locked out of my account|låsa upp (mitt )?kontot|forgot (my|the)( new)? password|passwort vergessen|wachtwoord vergeten|mot de passe oublié|glömt (mitt|det nya) lösenord',
  // Their own quota or mailbox full.
  '(over|exceeded|reached|full|überschritten|erreicht|överskriden|nådd|overschreden|dépassé|atteint)( (my|the|its|the mailbox|the storage))? (storage |mailbox |disk )?quota|(storage |mailbox |disk )?quota( [\\p{L}-]+){0,2} (exceeded|reached|full|überschritten|erreicht|överskriden|nådd|overschreden|dépassé|atteint)|(speicher|postfach)kontingent|kvot(en)? (är )?(full|nådd|slut)|not enough (disk )?space|(nicht genug|kein) speicherplatz|inte tillräckligt med utrymme|onvoldoende (schijf)?ruimte|espace (disque )?insuffisant|mailbox (is )?(almost |nearly )?full|postfach (ist )?(fast )?voll',
  // Their own device's battery, or a thing of theirs broken (washed, cracked).
  // ("laden", "ladda" are also "load": only charging with its particle or its battery.)
  "laadt( [\\p{L}-]+){0,2} op|lädt( sich)? nicht( mehr)? auf|(batteri(et)?|akku|accu|battery)( [\\p{L}-]+){0,3} (laddar|laddas|lädt|laadt) (inte|nicht|niet)|(won't|doesn't|does not|will not|isn't) charg(e|ing)|ne (se )?charge (plus|pas)|(battery|akku|accu|batteri(et)?|batterie) (is at|steht auf|staat op|står på|est à) 0",
  'washing machine|waschmaschine|wasmachine|tvättmaskin(en)?|machine à laver|(my|mein(e|en)?|min|mitt|mijn|mon|ma) (laptop |pc )?(camera|webcam|kamera)',
  // The writer's own connection away from the office: a hotel's or a train's line is not ours.
  "(at|in|from|on) the (hotel|train|airport)|(im|vom|aus dem) (hotel|zug)|am flughafen|på (hotellet|tåget|flygplatsen)|in (het|de) (hotel|trein)|(à|de) l'hôtel|dans le train",
  // Their own password expired, their own new device not recognised.
  'password (has )?expired|passwort (ist )?abgelaufen|lösenord(et)? (har )?gått ut|wachtwoord (is )?verlopen|mot de passe (a )?expiré',
  "(not|isn't|is not) (being )?recogni[sz]ed|wird nicht erkannt|känns inte igen|wordt niet herkend|n'est pas reconnu",
  // One printer's consumables: paper and toner are that printer's, not an outage.
  'toner|paper jam|out of paper|papierstau|kein papier|pappersstopp|slut på papper|papierstoring|papier op|bourrage|plus de papier',
  // A new one of theirs: a request, not an outage.
  '(new|nieuwe?|neue[nmrs]?|ny(tt|a)?|nouveau|nouvelle) (badge|pass|pasje|pas|toegangspas|ausweis|passerkort|card|karte|accu|akku|battery|batteri|batterie|charger|laddare|headset|laptop|mobil|telefon|phone|dator)',
  // Rights, not the service: "write access to S:\\Marketing", "could my access be added back".
  "(write|read|access) (rights|permissions?)|schreibrechte|leserechte|zugriffsrechte|berechtigung(en)?|behörighet(er)?|skrivrättigheter|toegangsrechten|schrijfrechten|droits d'(accès|écriture)",
  '(my )?access( [\\p{L}\\p{N}-]+){0,4} (be )?(added|restored|granted|given)|give me access|(bitte )?(um )?(zugriff|zugang) (für|auf)( [\\p{L}-]+){0,3} (freischalten|geben)',
  // One socket of theirs: "la prise réseau de mon bureau", "Nätverksuttaget i Riddarholmen".
  "(my|mein(e|er)?|min|mitt|mijn|mon|ma) (network |lan |ethernet )?(socket|port|outlet|netzwerkdose|dose|nätverksuttag|uttag|netwerkaansluiting|aansluiting|prise( réseau)?)|(prise|dose|socket|outlet|uttag(et)?|aansluiting)( réseau| de réseau)? (de|of|in|im|at|van) (mon|my|mein(em)?|mijn|the|dem|het) (bureau|desk|office|büro|platz|room|kantoor)|nätverksuttaget i",
  // It has lasted days: no fresh outage ("since Tuesday", "seit gestern", "depuis le passage des déménageurs mardi").
  `since${FEW_WORDS} (yesterday|last (night|week)|(on )?(${WORKDAYS.en}))|for (two|three|a few|several|\\d+) days`,
  `seit${FEW_WORDS} (gestern|vorgestern|letzter woche|(${WORKDAYS.de}))|seit (zwei|drei|ein paar|einigen|mehreren|\\d+) tagen`,
  `sedan${FEW_WORDS} (igår|i går|i förrgår|förra veckan|i (${WORKDAYS.sv})|${WORKDAYS.sv})|i (två|tre|flera|några|\\d+) dagar`,
  `sinds${FEW_WORDS} (gisteren|eergisteren|vorige week|(${WORKDAYS.nl}))|al (twee|drie|een paar|enkele|\\d+) dagen`,
  `depuis${FEW_WORDS} (hier|avant-hier|la semaine dernière|(${WORKDAYS.fr}))|depuis (deux|trois|quelques|plusieurs|\\d+) jours`,
  // Weeks: "for a few weeks", "al een paar weken", "seit Wochen".
  'for (a few |several |some |\\d+ )?weeks|seit (ein paar |einigen |mehreren |\\d+ )?wochen|i (några |flera |\\d+ )?veckor|al (een paar |enkele |\\d+ )?weken|depuis (quelques |plusieurs |\\d+ )?semaines',
  // A past day: "last Wednesday", "letzten Mittwoch", "förra veckan", "vorige week", "mercredi dernier".
  `(last|letzte[nmrs]?|förra|vorige|afgelopen) (week|woche|veckan|(${DAYS.en})|(${DAYS.de})|(${DAYS.sv})|(${DAYS.nl}))|(${DAYS.fr}) dernier`,
  // A past outage, already fixed: "yesterday's outage", "SAP-Ausfall gestern", "heute früh lief alles wieder normal".
  // (German and Dutch "hier" is "here": only French "d'hier" counts.)
  "(yesterday's|last night's|gestrige[nmrs]?|gårdagens) (outage|ausfall|störung|avbrott|storing|problems?)|(outage|ausfall|störung|avbrott|storing|storingen|panne|coupure)( [\\p{L}-]+){0,2} (yesterday|gestern|igår|i går|gisteren|d'hier|hier soir)",
  "(yesterday|gestern|igår|i går|gisteren)( [\\p{L}\\p{N}:-]+){0,8} (was|were|war|waren|var|låg|lag|lagen|était|étaient) (down|offline|out|nicht erreichbar|ausgefallen|nere|plat|eruit|en panne|hors service)",
  "(back to normal|working (normally|fine) again|works again|(lief|läuft|geht|funktioniert|klappt)( alles)? wieder( ganz)? normal|fungerar (som vanligt )?igen|funkar igen|werkt( alles)? weer( normaal)?|doet het weer|(?<!(ne|n') )(marche|fonctionne)(nt)? (à nouveau|de nouveau)|remarche|refonctionne)(?! (nicht|inte|niet|pas|not))",
  // Not a report at all: a question how to do something, a request to set up, add or grant.
  "(request(ing)?|need|apply for) (access|rights|permissions?|a licen[cs]e)|(ich )?(brauche|benötige|beantrage) (zugriff|zugang|rechte|eine lizenz)|(behöver|ansöker om) (åtkomst|behörighet|rättigheter|en licens)|(heb|hebben) (toegang|rechten)( [\\p{L}-]+){0,3} nodig|(besoin|demande) (d'(un )?accès|des droits|d'une licence)",
  "please (add|set up|setup|install|create|grant|give me|order|enable)|bitte( [\\p{L}-]+){0,3} (einrichten|anlegen|freischalten|installieren)|merci de (créer|ajouter|installer|donner)",
  "how (do|can|should|would) (i|we)|can (i|we) (get|have)|(could|can|would) you( please)? (add|set up|setup|install|give|grant|create|order|forward|unlock|reset|enable)|is it possible|would it be possible",
  "wie (kann|richte|stelle|mache|bekomme|erstelle|aktiviere) (ich|man)|kann man(?!( [\\p{L}\\p{N}.-]+){0,5} nicht)|ist es möglich|(könnt|könntet) ihr( [\\p{L}-]+){0,5} (installieren|einrichten|freischalten|hinzufügen|vergrößern|anlegen|zurücksetzen|entsperren)",
  "hur (gör|kan|ställer|får|lägger) (jag|vi|man)|går det att|är det möjligt|(kan|skulle) (ni|du)( [\\p{L}-]+){0,2} (låsa upp|lägga till|installera|ge mig|skicka|återställa)",
  "hoe (kan|moet|doe|stel|krijg|maak) (ik|je|we)|is het mogelijk|(kan|mag) ik( [\\p{L}-]+){0,4} krijgen|(kunnen|kun) jullie (mij|me)( [\\p{L}-]+){0,3} (toegang|rechten|geven|toevoegen|installeren)",
  "comment (est-ce qu'on|est-ce que je|puis-je|faire|je|mettre|programmer|configurer|activer)|(serait|est)-il possible|pourriez-vous( [\\p{L}'-]+){0,2} (installer|ajouter|créer|donner|activer)",
  // One person's own cause: a typo in an address (its bounce: "host unknown"), a missing
  // authorisation, a wrong or changed password, a locked user.
  "typo|tippfehler|vertippt|stavfel|skrivfel|tikfout|typfout|faute de frappe|host unknown|user unknown|domain name not found|(recipient|empfänger|mottagare|ontvanger|destinataire)( address| adresse| adress| adres)? (not found|unknown|unbekannt|okänd|onbekend|introuvable|inconnu)",
  "(no|keine|ingen|geen|pas d'|aucune) ?(authori[sz]ation|autorisation|autorisatie|behörighet|berechtigung|rechten|rights|permission)|not authori[sz]ed|nicht berechtigt|inte behörig|niet geautoriseerd|non autorisé",
  "(wrong|incorrect) password|falsche[ns]? (passwort|kennwort)|fel lösenord|(verkeerd|fout) wachtwoord|mauvais mot de passe|too many (attempts|times|tries)|zu oft|för många gånger|te vaak|trop de tentatives",
  "(changed|reset) my( windows)? password|password( [\\p{L}\\p{N}-]+){0,6} (expired|changed)|(passwort|kennwort)( [\\p{L}-]+){0,3} (geändert|gewechselt|abgelaufen)|(bytt|bytte|ändrade|ändrat) (mitt )?lösenord(et)?|wachtwoord( [\\p{L}-]+){0,3} (gewijzigd|veranderd|gewisseld|verlopen)|changé (mon )?mot de passe",
  "(användare(n)?|gebruiker|utilisateur|nutzer)( [\\p{L}-]+){0,3} (är|is|est|ist) (låst|geblokkeerd|bloqué|verrouillé|gesperrt)",
  // Their own file too large: "exceeds the maximum size of 5 MB", "zu groß", "för stor".
  '(exceeds|over) the (maximum|max\\.?) (file )?size|(file|datei|fil(en)?|bestand|fichier)( [\\p{L}-]+){0,3} (is )?(too large|too big|zu groß|för stor|te groot|trop (gros|volumineux))',
  // Others nearby don't have it: "die Kolleginnen im Einkauf haben das Problem nicht".
  `(colleagues|others|co-?workers)${FEW_WORDS} (don't|do not|haven't) (have|got) (this|the|that) (problem|issue)|(kollegen|kolleginnen|die anderen)${FEW_WORDS} haben (das|dieses) problem nicht|(kollegorna|de andra)${FEW_WORDS} har inte (det|samma) problem(et)?|(collega's|de anderen)${FEW_WORDS} hebben (dat|dit|het) (probleem )?niet|(mes collègues|les autres)${FEW_WORDS} n'ont pas (ce|le) problème`,
  // Their own headset, or a device of theirs lost or stolen.
  'headset(et|s)?|kopfhörer(n)?|hörlurar(na)?|casque|koptelefoon|(stolen|lost|gestohlen|verloren|stulen|borttappad|tappat|gestolen|kwijt|volé|perdu)( (my|mein(en)?|min|mitt|mijn|mon|ma))? (work )?(phone|laptop|handy|telefon|mobil|dator|telefoon|gsm|téléphone|portable)|(phone|laptop|handy|telefon|mobil|dator|telefoon|téléphone|portable)( [\\p{L}-]+){0,2} (stolen|lost|gestohlen|verloren|stulen|gestolen|kwijt|volé|perdu)',
  // One device of theirs slow: "my laptop is really slow".
  "(my|mein(e)?|min|mitt|mijn|mon|ma) (laptop|pc|computer|rechner|dator|ordinateur|portable)( [\\p{L}-]+){0,2} (is|ist|är|est) (so |very |really |sehr |extrem |jätte|erg |heel |très )?(slow|langsam|långsam|seg|traag|lent)",
  // The writer's own line at home: "mijn internet thuis", "my internet at home", "my provider".
  "(my|mein(en)?|min|mitt|mijn|mon) (home |eigen )?(internet|provider|isp|internetanbieter|anbieter|leverantör|bredband|fournisseur)( (thuis|at home|zu ?hause|hemma|à la maison))?",
  // A notice, not a report: a forwarded automatic message, a planned maintenance, a quarantine digest.
  "automatic(ally generated)? (message|mail|e-?mail|notice|alert|notification)|automatische([nrs])? (e-?mail|mail|nachricht|benachrichtigung|meldung)|automatiskt (meddelande|mejl|genererat)|automatisch (bericht|gegenereerd)|(message|notification|courriel) automatique",
  "(planned|scheduled) (maintenance|outage|downtime)|(geplante[rn]?|angekündigte[rn]?) (wartung|ausfall|downtime|arbeiten)|wartungsarbeiten|wartungsfenster|planerat (underhåll|avbrott)|(gepland|geplande|aangekondigd) (onderhoud|storing|downtime)|(maintenance|coupure|interruption) (planifiée|prévue|programmée)|quarantine|quarantäne|karantän(en)?|quarantaine",
];
