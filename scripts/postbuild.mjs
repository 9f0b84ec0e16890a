// Post-build step for dist/: Trunk writes the wasm start-up code as an inline <script>, which the
// page's Content-Security-Policy (script-src 'self') forbids. Move it into its own file.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'dist';
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (match) {
  const code = match[1].trim() + '\n';
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const name = `boot-${hash}.js`;
  writeFileSync(join(dir, name), code);
  html = html.replace(inline, `<script type="module" src="./${name}"></script>`);
  writeFileSync(indexPath, html);
  console.log(`postbuild: start-up script moved to ${name}`);
} else if (!/<script type="module" src="\.\/boot-[0-9a-f]+\.js"><\/script>/.test(html)) {
  console.error('postbuild: no start-up script found in index.html');
  process.exit(1);
}

// The Monte Carlo worker (public/mc-worker.js) imports the app's own module: write in the hashed
// names of the JS glue and the wasm (one download serves page and worker).
const workerPath = join(dir, 'mc-worker.js');
if (existsSync(workerPath)) {
  const glue = readdirSync(dir).find((f) => /^rackplan-web-[0-9a-f]+\.js$/.test(f));
  const wasm = readdirSync(dir).find((f) => /^rackplan-web-[0-9a-f]+_bg\.wasm$/.test(f));
  if (!glue || !wasm) {
    console.error('postbuild: the app module for the Monte Carlo worker is missing');
    process.exit(1);
  }
  const worker = readFileSync(workerPath, 'utf8')
    .replaceAll('__RACKPLAN_GLUE__', glue)
    .replaceAll('__RACKPLAN_WASM__', wasm);
  writeFileSync(workerPath, worker);
}
