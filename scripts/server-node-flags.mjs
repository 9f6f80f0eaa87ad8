// The V8 flags the headless satellite runs with: `npm run serve` (package.json, which cannot import
// this; headless.spec.ts checks it names each one) and the tests' and the bench's server
// (test/helpers/satellite-server.ts), so what is measured is what users run.
//
// --max-semi-space-size=2: V8's young generation grows to 16 MB per semi-space by default, and
// under a burst of requests the server's resident memory grew from 160 MB to about 250 MB with it.
// Capped at 2 MB it stays under 190 MB; the extra scavenges cost no measurable throughput
// (P-256 over the API at concurrency 8, alternated runs on 2 CPUs: 381-389 vs 387-405 req/s).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'];
