#!/usr/bin/env node
// Checks that no module imports another that imports it back (ARCHITECTURE.md "Where to start
// reading"): within each crate, a top-level module's files refer to other top-level modules as
// `crate::name`; a pair of modules referring to each other is reported. Comments and `#[cfg(test)]`
// modules are left out (tests may reach anywhere). Exit code 1 when a pair is found.
// Usage: node scripts/module-cycles.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const crates = ['core/src', 'core/sourcing/src', 'src', 'advisor-worker/src'];

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.rs') ? [p] : [];
  });
}

// The code of a file without comments, string literals and `#[cfg(test)] mod … { … }` blocks.
function code(text) {
  let t = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\/\/.*$/gm, '');
  for (;;) {
    const m = /#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/.exec(t);
    if (!m) break;
    let depth = 1;
    let i = m.index + m[0].length;
    while (i < t.length && depth > 0) {
      if (t[i] === '{') depth++;
      else if (t[i] === '}') depth--;
      i++;
    }
    t = t.slice(0, m.index) + t.slice(i);
  }
  return t;
}

let found = 0;
for (const dir of crates) {
  const base = join(root, dir);
  const uses = new Map(); // module -> Set of modules it refers to
  for (const f of files(base)) {
    const rel = relative(base, f).split(sep);
    if (rel[0] === 'bin' || rel[0] === 'main.rs' || rel[0] === 'lib.rs') continue;
    const module = rel[0].replace(/\.rs$/, '');
    const text = code(readFileSync(f, 'utf8'));
    const set = uses.get(module) ?? new Set();
    // `crate::a::…` and `crate::{a, b::c}`.
    for (const m of text.matchAll(/crate::(\w+)/g)) set.add(m[1]);
    for (const m of text.matchAll(/crate::\{([^}]*)\}/g)) {
      for (const part of m[1].split(',')) {
        const name = part.trim().split('::')[0];
        if (name) set.add(name);
      }
    }
    set.delete(module);
    uses.set(module, set);
  }
  for (const [a, set] of uses) {
    for (const b of set) {
      if (a < b && uses.get(b)?.has(a)) {
        console.log(`${dir}: ${a} and ${b} import each other`);
        found++;
      }
    }
  }
}
if (found) process.exit(1);
console.log('no two modules import each other');
