// Copies the Swagger UI assets into public/apidocs so the backend can serve
// interactive API docs from the embedded SPA assets without any CDN.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

let distDir;
try {
  distDir = dirname(require.resolve('swagger-ui-dist/package.json'));
} catch {
  console.warn('swagger-ui-dist is not installed yet; skipping apidocs copy');
  process.exit(0);
}

const target = join(root, 'public', 'apidocs');
mkdirSync(target, { recursive: true });
for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
  const src = join(distDir, file);
  if (!existsSync(src)) {
    console.error(`missing ${src}`);
    process.exit(1);
  }
  copyFileSync(src, join(target, file));
}
console.log(`copied swagger-ui assets to ${target}`);
