/**
 * A second HTTP app in a process of its own, on the stack a running `ticketing serve` owns (its
 * endpoints from the data dir): what a second Lambda is on AWS. Prints `listening PORT`, runs
 * until killed. Usage: node src/bin/run.mjs test/support/second-web-process.ts DATA_DIR CONFIG_JSON NOW
 * (NOW: the serving clock's time, so both processes count the same hour).
 */
import { portsFor } from '../../src/aws/ports-from-config.js';
import { parseConfig } from '../../src/config.js';
import { createHttpApp } from '../../src/http/app.js';
import { findServing } from '../../src/local/data-dir.js';
import { socketAddress, startHttpServer } from '../../src/local/http-server.js';
import { createAwsClients } from '../../src/local/stack.js';

const [dataDir, configJson, nowIso] = process.argv.slice(2);
const offset = Date.parse(nowIso!) - Date.now();
const serving = await findServing(dataDir!);
if (!serving) throw new Error(`no ticketing serve is running on ${dataDir}`);
const config = parseConfig(JSON.parse(configJson!));
const ports = portsFor(config, createAwsClients({ ...serving.endpoints, region: serving.region }), { clock: { now: () => new Date(Date.now() + offset) } });
const http = await startHttpServer(0);
http.mount(createHttpApp({ config, ports, apiKeys: ports.apiKeys, sessions: ports.consoleSessions, downloads: ports.blobs, clientAddress: socketAddress, plainHttp: true, log: () => undefined }));
console.log(`listening ${http.port}`);
