// Prints the gzipped size of what the browser downloads to start the app (wasm + js + css).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, extname } from 'node:path';

const dir = process.argv[2] ?? 'dist';
let raw = 0;
let gz = 0;
const rows = [];
for (const name of readdirSync(dir)) {
  if (!['.wasm', '.js', '.css'].includes(extname(name))) continue;
  const body = readFileSync(join(dir, name));
  const z = gzipSync(body, { level: 9 }).length;
  raw += body.length;
  gz += z;
  rows.push(`  ${name}: ${(body.length / 1024).toFixed(1)} KiB, ${(z / 1024).toFixed(1)} KiB gzipped`);
}
console.log(rows.join('\n'));
console.log(`bundle (wasm + js + css): ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzipped`);
