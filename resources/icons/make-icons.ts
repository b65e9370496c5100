/**
 * Draws the Penholder icon (a white pen nib on a dark-blue rounded square) as PNG files with nothing but
 * zlib, so the icon is reproducible from source: `node resources/icons/make-icons.ts`.
 *
 * Outputs: icon.png (1024 px, for the macOS and Windows builds) and linux/<N>x<N>.png (512, 256), the
 * folder layout electron-builder expects for Linux.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

/** Sub-samples per pixel along each axis: 4 x 4 gives smooth edges at every size. */
const SUPERSAMPLE = 4;

const TOP_BLUE: Rgba = [0x27, 0x4c, 0x85, 255];
const BOTTOM_BLUE: Rgba = [0x14, 0x2b, 0x52, 255];
const WHITE: Rgba = [255, 255, 255, 255];

/** Signed distance to a rounded square centred in the unit square (negative inside). */
function roundedSquareDistance(x: number, y: number, margin: number, radius: number): number {
  const half = 0.5 - margin;
  const qx = Math.abs(x - 0.5) - (half - radius);
  const qy = Math.abs(y - 0.5) - (half - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

/** True where the white pen nib covers the point (unit coordinates, y downwards). */
function inNib(x: number, y: number): boolean {
  const dx = Math.abs(x - 0.5);
  // The collar the nib sits in.
  if (y >= 0.17 && y <= 0.255) return dx <= 0.145;
  let halfWidth: number;
  if (y >= 0.285 && y < 0.46) {
    halfWidth = 0.125 + ((y - 0.285) / (0.46 - 0.285)) * 0.075;
  } else if (y >= 0.46 && y <= 0.83) {
    const t = (y - 0.46) / (0.83 - 0.46);
    halfWidth = 0.2 * (1 - t * t);
  } else {
    return false;
  }
  if (dx > halfWidth) return false;
  // The breather hole and the slit running from it to the point.
  if (Math.hypot(x - 0.5, y - 0.53) <= 0.048) return false;
  if (y > 0.53 && dx <= 0.012) return false;
  return true;
}

/** Renders the icon at `size` pixels as straight (non-premultiplied) RGBA rows. */
function render(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let squareCover = 0;
      let nibCover = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          if (roundedSquareDistance(x, y, 0.06, 0.19) <= 0) {
            squareCover++;
            if (inNib(x, y)) nibCover++;
          }
        }
      }
      if (squareCover === 0) continue;
      const t = py / (size - 1);
      const nibShare = nibCover / squareCover;
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) {
        const blue = TOP_BLUE[c]! + (BOTTOM_BLUE[c]! - TOP_BLUE[c]!) * t;
        pixels[offset + c] = Math.round(blue + (WHITE[c]! - blue) * nibShare);
      }
      pixels[offset + 3] = Math.round((255 * squareCover) / samples);
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Encodes RGBA pixels as a PNG (8-bit RGBA, no filtering, zlib at maximum compression). */
function encodePng(size: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const here = import.meta.dirname;
mkdirSync(join(here, 'linux'), { recursive: true });
writeFileSync(join(here, 'icon.png'), encodePng(1024, render(1024)));
for (const size of [512, 256]) writeFileSync(join(here, 'linux', `${size}x${size}.png`), encodePng(size, render(size)));
console.log(`icons written to ${here}`);
