// The V8 flags the headless satellite runs with: `npm run serve` (package.json, which cannot import
// this; headless.spec.ts checks it names each one) and the tests' and the bench's server
// (test/helpers/satellite-server.ts), so what is measured is what users run.
//
// --max-semi-space-size=2: V8's young generation grows to 16 MB per semi-space by default, and
// under a burst of requests the server's resident memory grew from 160 MB to about 250 MB with it.
// Capped at 2 MB it stays under 190 MB; the extra scavenges cost no measurable throughput
// (P-256 over the API at concurrency 8, alternated runs on 2 CPUs: 381-389 vs 387-405 req/s).
//
// --external-memory-accounted-in-global-limit: with the young generation that small, buffers a
// request holds for its ~20 ms (Buffer pool slabs, digests, cipher output, worker replies) are
// promoted, and their memory is given back only by a full GC. Without the flag V8 starts one for
// them only after 64 MB of such memory; in about one run in seven (3 of 22 probe runs of 2,000 or
// 6,000 P-256 requests) that let ArrayBuffers reach 38-67 MB and the resident memory 202-240 MB.
// Counted in the heap's own limit, they stayed at 15-31 MB and the peak at 171-192 MB (16 runs).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2', '--external-memory-accounted-in-global-limit'];
