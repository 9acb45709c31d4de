import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API the dev server and `vite preview` forward to; override to point at another instance.
const api = process.env.SANITA_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      output: {
        // Vendor code changes far less often than ours; separate chunks stay cached across releases.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler|react-router)\//.test(id)) return 'react';
          if (/node_modules\/(@mantine|@floating-ui)\//.test(id)) return 'mantine';
          if (/node_modules\/@tabler\//.test(id)) return 'icons';
          return 'vendor';
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/.well-known': { target: api },
      '/health': { target: api },
      '/socket.io': { target: api, ws: true },
    },
  },
});
