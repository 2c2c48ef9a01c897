// The web front end (docs/web.md): built by scripts/install.sh into web/dist,
// which `zizhu serve` / `zizhu demo` serve beside the API (same origin).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // The libraries change less often than the pages: their own files
        // stay cached (hashed /assets/ names are immutable, docs/server.md).
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  server: {
    // `npx vite web` during development: the API of a running `zizhu demo`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
