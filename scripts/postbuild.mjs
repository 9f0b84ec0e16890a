// Post-build step for dist/: Trunk writes the wasm start-up code as an inline <script>, which the
// page's Content-Security-Policy (script-src 'self') forbids. Move it into its own file.
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync, renameSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

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
  // The app starts once the browser has painted the pre-rendered first view (below) and reported
  // that paint (its largest-contentful-paint entry: a node removed before the report is not
  // counted), so the answer shows while the wasm compiles and mounts. At most 300 ms (a hidden
  // tab never paints).
  const afterFirstPaint = [
    "if (document.getElementById('first-view')) {",
    '  await new Promise((done) => {',
    '    setTimeout(done, 300);',
    '    try {',
    "      new PerformanceObserver((_, seen) => { seen.disconnect(); done(); }).observe({ type: 'largest-contentful-paint', buffered: true });",
    '    } catch {',
    '      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)));',
    '    }',
    '  });',
    '}',
  ].join('\n');
  let start = match[1].trim();
  if (!/^const wasm = await init\(/m.test(start)) {
    console.error('postbuild: the start-up script has no `const wasm = await init(` line to wait before');
    process.exit(1);
  }
  start = start.replace(/^const wasm = await init\(/m, (m) => `${afterFirstPaint}\n${m}`);
  const code = registerServiceWorker + '\n' + start + '\n';
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

// The pre-rendered first view (public/first-view.html, written by scripts/prerender.mjs): the
// base case's answer as static HTML at the top of the body, shown until the app mounts and
// removes it (src/main.rs). Inert: its controls only work once the app runs.
{
  const viewPath = new URL('../public/first-view.html', import.meta.url);
  if (!existsSync(viewPath)) {
    console.error('postbuild: public/first-view.html is missing (node scripts/prerender.mjs writes it)');
    process.exit(1);
  }
  // When the page opens another scenario (a link, kept work), the base case's numbers stay
  // hidden (public/first-view.js) and this note says what is happening instead.
  const opening =
    '<p class="answer-sentence first-view-opening">Opening your scenario: its answer is being computed…</p>';
  const view = readFileSync(viewPath, 'utf8')
    .replace(/^<!--[\s\S]*?-->\n/, '')
    .replace(/(<section class="answer"[^>]*>)/, (m) => m + opening);
  const page = readFileSync(indexPath, 'utf8');
  if (!page.includes('<div id="first-view"')) {
    const body = /<body>\s*/;
    if (!body.test(page)) {
      console.error('postbuild: no <body> in index.html');
      process.exit(1);
    }
    writeFileSync(indexPath, page.replace(body, (m) => `${m}<div id="first-view" inert aria-busy="true">${view}</div>\n`));
  }
}

// The wasm is fetched by the start-up script once the first view is painted, not preloaded from
// the head: Lighthouse's simulation counts every download that ended before the largest paint as
// needed for that paint, so a preloaded wasm made the static first view "wait" for its 440 KiB on
// the simulated slow 4G (LCP 3.8 s instead of 1.0 s). On a real slow 4G phone the app's own answer
// comes ~0.2 s (2 %) later without the preload; the first view shows at the same time
// (BENCHMARKS.md, "First view").
{
  const page = readFileSync(indexPath, 'utf8');
  const preload = /<link rel="preload" href="\.\/rackplan-web-[0-9a-f]+_bg\.wasm"[^>]*>\s*/;
  if (preload.test(page)) writeFileSync(indexPath, page.replace(preload, ''));
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
// The advisor's worker (public/advisor-worker.js) loads a wasm of its own. Trunk names a worker's
// files without a hash: add one (of both files' contents) so they can be cached like the rest.
{
  const workerPath = join(dir, 'advisor-worker.js');
  let glue = readdirSync(dir).find((f) => /^rackplan-advisor(-[0-9a-f]+)?\.js$/.test(f));
  let wasm = readdirSync(dir).find((f) => /^rackplan-advisor(-[0-9a-f]+)?_bg\.wasm$/.test(f));
  if (!existsSync(workerPath) || !glue || !wasm) {
    console.error('postbuild: the advisor worker or its module is missing');
    process.exit(1);
  }
  if (glue === 'rackplan-advisor.js') {
    const hash = createHash('sha256')
      .update(readFileSync(join(dir, glue)))
      .update(readFileSync(join(dir, wasm)))
      .digest('hex')
      .slice(0, 16);
    for (const [from, to] of [[glue, `rackplan-advisor-${hash}.js`], [wasm, `rackplan-advisor-${hash}_bg.wasm`]]) {
      renameSync(join(dir, from), join(dir, to));
    }
    glue = `rackplan-advisor-${hash}.js`;
    wasm = `rackplan-advisor-${hash}_bg.wasm`;
  }
  const worker = readFileSync(workerPath, 'utf8')
    .replaceAll('__ADVISOR_GLUE__', glue)
    .replaceAll('__ADVISOR_WASM__', wasm);
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
  const cached = files.filter((f) => f !== 'sw.js' && f !== '404.html' && !/\.(map|br|gz)$/.test(f));
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

// Precompressed copies for hosts that serve them (nginx gzip_static / brotli_static, Caddy
// precompressed, Netlify, ...): name.br (brotli, quality 11) and name.gz (gzip, level 9) beside each
// text or wasm file where they save at least 10 % and 512 bytes. Hosts that compress on the fly
// (GitHub Pages) ignore them. Last, so the service worker's list and hash stay the same.
let saved = 0;
for (const name of readdirSync(dir)) {
  if (!['.wasm', '.js', '.css', '.html', '.svg', '.json', '.webmanifest'].includes(extname(name))) continue;
  const path = join(dir, name);
  if (!statSync(path).isFile()) continue;
  const body = readFileSync(path);
  const br = brotliCompressSync(body, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  const gz = gzipSync(body, { level: 9 });
  for (const [ext, z] of [['.br', br], ['.gz', gz]]) {
    if (z.length <= body.length * 0.9 && body.length - z.length >= 512) {
      writeFileSync(path + ext, z);
      if (ext === '.br') saved += body.length - z.length;
    }
  }
}
console.log(`postbuild: precompressed .br/.gz copies written (brotli saves ${(saved / 1024).toFixed(0)} KiB)`);
