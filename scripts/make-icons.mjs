// Draws Breather's icons (three rising bars) as PNGs, so assets are made by code.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

function png(size, paint) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = paint(x / size, y / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const bars = [
  { x0: 0.25, x1: 0.375, top: 0.53, color: [52, 211, 153, 255] },
  { x0: 0.4375, x1: 0.5625, top: 0.375, color: [251, 191, 36, 255] },
  { x0: 0.625, x1: 0.75, top: 0.22, color: [248, 113, 113, 255] },
];
const appIcon = (x, y) => {
  for (const bar of bars) if (x >= bar.x0 && x < bar.x1 && y >= bar.top && y < 0.78) return bar.color;
  const inside = x > 0.09 && x < 0.91 && y > 0.09 && y < 0.91;
  return inside ? [31, 41, 55, 255] : [0, 0, 0, 0];
};
// Tray: bars only, monochrome-friendly template image (black on transparent).
const trayIcon = (x, y) => {
  for (const bar of bars) if (x >= bar.x0 - 0.1 && x < bar.x1 + 0.02 && y >= bar.top - 0.1 && y < 0.9) return [0, 0, 0, 255];
  return [0, 0, 0, 0];
};

writeFileSync('assets/icon.png', png(1024, appIcon)); // macOS wants at least 512 px
writeFileSync('assets/trayTemplate.png', png(16, trayIcon));
writeFileSync('assets/trayTemplate@2x.png', png(32, trayIcon));
