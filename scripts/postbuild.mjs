// Post-build step for dist/: Trunk writes the wasm start-up code as an inline <script>, which the
// page's Content-Security-Policy (script-src 'self') forbids. Move it into its own file.
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';

const dir = process.argv[2] ?? 'dist';
const indexPath = join(dir, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (match) {
  // Register the service worker (public/sw.js) once the page has loaded: offline after the first
  // visit. Relative URL, so the worker's scope is the folder the app is served from.
  const registerServiceWorker = [
    "if ('serviceWorker' in navigator) {",
    "  const register = () => navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('offline copy unavailable:', e));",
    "  if (document.readyState === 'complete') register(); else window.addEventListener('load', register);",
    '}',
  ].join('\n');
  // First, before Trunk's code awaits the wasm start-up (the page may have loaded by then).
  const code = registerServiceWorker + '\n' + match[1].trim() + '\n';
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

// The Monte Carlo worker (public/mc-worker.js) and the first screen's quick risk worker
// (public/quick-worker.js) import the app's own module: write in the hashed names of the JS glue
// and the wasm (one download serves page and workers).
for (const script of ['mc-worker.js', 'quick-worker.js']) {
  const workerPath = join(dir, script);
  if (!existsSync(workerPath)) continue;
  const glue = readdirSync(dir).find((f) => /^rackplan-web-[0-9a-f]+\.js$/.test(f));
  const wasm = readdirSync(dir).find((f) => /^rackplan-web-[0-9a-f]+_bg\.wasm$/.test(f));
  if (!glue || !wasm) {
    console.error(`postbuild: the app module for ${script} is missing`);
    process.exit(1);
  }
  const worker = readFileSync(workerPath, 'utf8')
    .replaceAll('__RACKPLAN_GLUE__', glue)
    .replaceAll('__RACKPLAN_WASM__', wasm);
  writeFileSync(workerPath, worker);
}

// The service worker's cache: the list of every file of dist/ and a build id (a hash of their
// contents), so a new build gets a new cache and replaces the old one on the next visit.
const swPath = join(dir, 'sw.js');
if (existsSync(swPath)) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  const cached = files.filter((f) => f !== 'sw.js' && f !== '404.html' && !f.endsWith('.map'));
  const hash = createHash('sha256');
  for (const f of cached) hash.update(f).update('\0').update(readFileSync(join(dir, f)));
  const build = hash.digest('hex').slice(0, 16);
  let sw = readFileSync(swPath, 'utf8');
  sw = sw
    .replace(/const BUILD = '[^']*';/, `const BUILD = '${build}';`)
    .replace(/const FILES = \/\*__RACKPLAN_FILES__\*\/ \[[^\]]*\];/, `const FILES = /*__RACKPLAN_FILES__*/ ${JSON.stringify(cached)};`);
  writeFileSync(swPath, sw);
  console.log(`postbuild: service worker caches ${cached.length} files (build ${build})`);
}
