// Post-build step for dist/: Trunk writes the wasm start-up code as an inline <script>, which the
// page's Content-Security-Policy (script-src 'self') forbids. Move it into its own file.
import { readFileSync, writeFileSync } from 'node:fs';
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
