/** The one stylesheet (served as /assets/site.css, so the CSP needs no inline style). */
export const SITE_CSS = `
:root { color-scheme: light; --text:#1f2937; --muted:#4b5563; --line:#e5e7eb; --accent:#2563eb; --accent-dark:#1d4ed8; --bad:#b91c1c; --bad-bg:#fef2f2; --ok-bg:#ecfdf5; --ok:#047857; --page:#f3f4f6; }
* { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--text); font: 16px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; overflow-wrap: anywhere; }
a { color: var(--accent-dark); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 8px; z-index: 1; }
header.site { background: #fff; border-bottom: 1px solid var(--line); }
header.site div, main, footer.site { max-width: 40rem; margin: 0 auto; padding: 12px 16px; }
header.site strong { font-size: 1.05rem; }
main { padding-top: 24px; padding-bottom: 32px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px 16px; margin-bottom: 16px; }
@media (min-width: 40rem) { .card { padding: 24px; } }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 8px; }
h2 { font-size: 1.15rem; margin: 0 0 12px; }
p.lead { color: var(--muted); margin: 0 0 20px; }
.field { margin-bottom: 18px; }
label { display: block; font-weight: 600; margin-bottom: 4px; }
.hint { color: var(--muted); font-size: .9rem; margin: 0 0 6px; }
input[type=text], input[type=email], textarea { width: 100%; font: inherit; padding: 10px 12px; border: 1px solid #6b7280; border-radius: 6px; background: #fff; color: inherit; }
input[type=file] { font: inherit; max-width: 100%; }
textarea { min-height: 10rem; resize: vertical; }
input:focus, textarea:focus, button:focus { outline: 3px solid #93c5fd; outline-offset: 1px; }
[aria-invalid=true] { border-color: var(--bad); }
.error { color: var(--bad); font-weight: 600; margin: 4px 0 0; }
.alert { border-radius: 6px; padding: 12px 14px; margin-bottom: 18px; }
.alert.bad { background: var(--bad-bg); color: var(--bad); }
.alert.ok { background: var(--ok-bg); color: var(--ok); }
button { font: inherit; font-weight: 600; padding: 10px 18px; border-radius: 6px; border: 1px solid var(--accent-dark); background: var(--accent-dark); color: #fff; cursor: pointer; min-height: 44px; }
button.secondary { background: #fff; color: var(--accent-dark); }
.actions { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
.trap { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; background: #eff6ff; color: var(--accent-dark); font-weight: 700; font-size: .9rem; }
h2.asks { margin: 20px 0 4px; }
ul.asks { margin: 8px 0 0; padding-left: 22px; }
form.solved { margin-top: 20px; padding-top: 12px; border-top: 1px solid var(--line); }
ol.thread { list-style: none; margin: 0; padding: 0; }
ol.thread li { border-top: 1px solid var(--line); padding: 14px 0; }
ol.thread li:first-child { border-top: 0; padding-top: 0; }
.who { font-weight: 600; }
.when { color: var(--muted); font-size: .9rem; }
.text { white-space: pre-wrap; margin: 6px 0 0; }
.from-us .who { color: var(--accent-dark); }
footer.site { color: var(--muted); font-size: .85rem; }
nav.console { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin-bottom: 16px; }
nav.console .who { color: var(--muted); margin-left: auto; }
nav.console form { margin: 0; }
button.small { min-height: 36px; padding: 6px 12px; font-size: .9rem; }
nav.views ul { list-style: none; margin: 0 0 16px; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
nav.views a { display: inline-block; padding: 6px 12px; border-radius: 999px; background: #fff; border: 1px solid var(--line); text-decoration: none; }
nav.views a[aria-current=page] { background: var(--accent-dark); color: #fff; border-color: var(--accent-dark); }
nav.views .count { font-weight: 700; }
ol.queue { list-style: none; margin: 0; padding: 0; }
ol.queue li { border-top: 1px solid var(--line); padding: 12px 0; }
ol.queue li:first-child { border-top: 0; padding-top: 0; }
ol.queue a { text-decoration: none; }
p.meta { margin: 4px 0 0; color: var(--muted); font-size: .9rem; }
ol.thread li.note { background: #fffbeb; border-left: 4px solid #d97706; padding-left: 10px; }
ol.history { margin: 0; padding-left: 20px; }
ol.history li { margin-bottom: 6px; }
nav.pages { display: flex; gap: 16px; margin-top: 16px; }
select { font: inherit; padding: 8px 10px; border: 1px solid #6b7280; border-radius: 6px; background: #fff; color: inherit; width: 100%; }
form.change { margin-top: 20px; padding-top: 12px; border-top: 1px solid var(--line); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0 16px; }
ul.plain { margin: 0; padding-left: 20px; }
form.search { margin-bottom: 12px; }
form.search details { margin-bottom: 12px; }
form.search summary { cursor: pointer; font-weight: 600; margin-bottom: 8px; }
/* Incidents: an outage several people reported, marked as the console marks what is wrong. */
.badge.bad { background: var(--bad-bg); color: var(--bad); }
.card.incidents { border-left: 4px solid var(--bad); }
ul.incidents { list-style: none; margin: 0; padding: 0; }
ul.incidents li { border-top: 1px solid var(--line); padding: 10px 0; }
ul.incidents li:first-child { border-top: 0; padding-top: 0; }
ul.incidents li:last-child { padding-bottom: 0; }
ul.incidents a { text-decoration: none; }
p.part-of { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid var(--bad); background: var(--bad-bg); }
p.excerpt { margin: 6px 0 0; padding-left: 8px; border-left: 2px solid var(--line); white-space: pre-wrap; }
dl.facts + p.hint { margin-top: 16px; }
p.meta.count { margin: 0 0 12px; }
p.known { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid var(--accent); background: #eff6ff; }
input[type=search], input[type=number] { width: 100%; font: inherit; padding: 10px 12px; border: 1px solid #6b7280; border-radius: 6px; background: #fff; color: inherit; }
`;
