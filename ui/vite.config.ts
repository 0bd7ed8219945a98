/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The UI is built into the Python package: the webserver serves src/headwater/webserver/static/.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "../src/headwater/webserver/static",
    emptyOutDir: true,
    // Not "assets": /assets/... are the asset pages.
    assetsDir: "_ui",
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: "es" },
  server: {
    proxy: {
      "/graphql": { target: "http://127.0.0.1:3000", ws: true },
      "/runs": "http://127.0.0.1:3000",
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
