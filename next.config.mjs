/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build directory per worker lets several builds coexist (tests of parallel work trees).
  distDir: process.env.SIGIL_DIST_DIR || '.next',
  // Native and WebAssembly packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    'pg',
    'quickjs-emscripten',
    '@jitl/quickjs-wasmfile-release-sync',
    '@prisma/schema-engine-wasm',
    'pino',
  ],
  // The claim-script sandbox reads QuickJS's .wasm at run time; make sure serverless bundles carry it. Its worker
  // thread (server/services/sandbox/worker/entry.mjs, started with `new Worker(new URL(...))`) needs nothing here:
  // Turbopack bundles it as a worker chunk and traces it with every route that can start it.
  outputFileTracingIncludes: {
    '/**': ['./node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm'],
  },
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
  async headers() {
    const framing = [
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'same-origin' },
    ];
    return [
      { source: '/console/:path*', headers: framing },
      // End-user sign-in pages hold credentials: never framed (clickjacking), never cached.
      { source: '/sign-in/:path*', headers: [...framing, { key: 'Cache-Control', value: 'no-store' }] },
      { source: '/consent/:path*', headers: [...framing, { key: 'Cache-Control', value: 'no-store' }] },
    ];
  },
};

export default nextConfig;
