// Prints the gzipped size of what the browser downloads to start the app (wasm + js + css), and
// apart from it what is fetched only on demand (the commitment advisor's worker and its wasm).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';

const dir = process.argv[2] ?? 'dist';
const onDemand = (name) => /^(rackplan-advisor|advisor-worker)/.test(name);
const totals = { start: [0, 0], demand: [0, 0] };
const rows = [];
for (const name of readdirSync(dir).sort()) {
  if (!['.wasm', '.js', '.css'].includes(extname(name))) continue;
  const body = readFileSync(join(dir, name));
  const z = gzipSync(body, { level: 9 }).length;
  const t = totals[onDemand(name) ? 'demand' : 'start'];
  t[0] += body.length;
  t[1] += z;
  rows.push(`  ${name}: ${(body.length / 1024).toFixed(1)} KiB, ${(z / 1024).toFixed(1)} KiB gzipped${onDemand(name) ? ' (on demand)' : ''}`);
}
const kib = ([raw, gz]) => `${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped`;
console.log(rows.join('\n'));
console.log(`bundle (wasm + js + css): ${kib(totals.start)}`);
console.log(`on demand (the commitment advisor): ${kib(totals.demand)}`);
