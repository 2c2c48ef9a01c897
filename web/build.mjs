// Builds the front end into web/dist (scripts/install.sh runs this), then
// writes .gz and .br copies of the text assets beside them: the server sends
// those to browsers that accept them (docs/server.md, static files), so the
// ~1.5 MB of Element Plus and ECharts travel as ~0.5 MB.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
// ZIZHU_WEB_OUT builds somewhere else (a second copy while web/dist is served).
const dist = process.env.ZIZHU_WEB_OUT || join(here, 'dist');
await build({ configFile: join(here, 'vite.config.mjs'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });

let files = 0; let raw = 0; let packed = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    if (!/\.(js|css|html|svg|json)$/.test(name)) continue;
    const body = readFileSync(path);
    if (body.length < 1024) continue;
    const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
    writeFileSync(path + '.gz', gzipSync(body, { level: 9 }));
    writeFileSync(path + '.br', br);
    files += 1; raw += body.length; packed += br.length;
  }
}
walk(dist);
console.log(`web: built ${dist} (${files} files compressed, ${(raw / 1e6).toFixed(2)} MB → ${(packed / 1e6).toFixed(2)} MB brotli)`);
