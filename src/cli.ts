/** The `ticketing` command (src/bin/ticketing.mjs runs `main`); its parts are under cli/. */
export { main } from './cli/main.js';
export { ingestFiles } from './cli/commands/ingest.js';
