/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// In development (`npm run dev`) the API is gate's: every path the UI does not own goes to it.
const gate = process.env.GATE_URL ?? "http://127.0.0.1:8084";
const apiPaths = ["/applications", "/pipelines", "/executions", "/events", "/credentials", "/clouddriver", "/v2", "/openapi", "/instances"];

export default defineConfig({
  plugins: [react()],
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: gate, changeOrigin: false }])) },
  build: { chunkSizeWarningLimit: 2000 },
  test: { environment: "node", include: ["src/**/*.test.{ts,tsx}"] },
});
