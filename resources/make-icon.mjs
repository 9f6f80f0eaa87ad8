#!/usr/bin/env node
// Draws resources/icon.png (512x512 RGBA): a planet with a satellite on its orbit, on a rounded
// navy tile. electron-builder turns it into .ico and .icns. Pure Node (zlib), no downloads:
//   node resources/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // per axis, for anti-aliasing

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const over = (dst, src, alpha) => mix(dst, src, alpha);

/** The colour (RGBA, 0..255) at a point in unit coordinates (0..1). */
function shade(x, y) {
  // Rounded tile.
  const r = 0.19;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r - 0.02), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r - 0.02), 0);
  if (Math.hypot(qx, qy) > r) return [0, 0, 0, 0];
  let c = mix([16, 32, 74], [10, 110, 140], (x + y) / 2);

  // Orbit: a tilted ellipse ring around the planet (drawn behind and in front alike).
  const [cx, cy] = [0.5, 0.52];
  const tilt = -0.45;
  const [dx, dy] = [x - cx, y - cy];
  const u = dx * Math.cos(tilt) - dy * Math.sin(tilt);
  const v = dx * Math.sin(tilt) + dy * Math.cos(tilt);
  const ring = Math.abs(Math.hypot(u / 0.36, v / 0.13) - 1);
  const behind = v < 0;
  const planet = Math.hypot(dx, dy) < 0.2;
  if (ring < 0.05 && (behind ? !planet : true)) c = over(c, [120, 220, 235], 0.9);

  // Planet with a soft light from the top left.
  if (planet && !(ring < 0.05 && !behind)) {
    const light = Math.max(0, 1 - Math.hypot(dx + 0.07, dy + 0.07) / 0.27);
    c = mix([235, 178, 60], [255, 236, 170], light);
  }

  // The satellite on the ring, front right.
  const [sx, sy] = [cx + 0.36 * Math.cos(0.35) * Math.cos(tilt) + 0.13 * Math.sin(0.35) * Math.sin(tilt), cy - 0.36 * Math.cos(0.35) * Math.sin(tilt) + 0.13 * Math.sin(0.35) * Math.cos(tilt)];
  if (Math.hypot(x - sx, y - sy) < 0.045) c = [255, 255, 255];
  return [...c.map(Math.round), 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const rgba = shade((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE);
        // Premultiply so transparent samples do not darken edges.
        for (let i = 0; i < 3; i++) sum[i] += (rgba[i] * rgba[3]) / 255;
        sum[3] += rgba[3];
      }
    }
    const n = SAMPLES * SAMPLES;
    const alpha = sum[3] / n;
    const offset = py * (SIZE * 4 + 1) + 1 + px * 4;
    for (let i = 0; i < 3; i++) raw[offset + i] = alpha === 0 ? 0 : Math.round(((sum[i] / n) * 255) / alpha);
    raw[offset + 3] = Math.round(alpha);
  }
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
