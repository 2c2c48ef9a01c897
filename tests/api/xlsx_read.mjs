// Reading what the server's XLSX exports hold, for the API tests: one entry
// of the zip, the sheet's rows, and a download with a client's session.
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';

// One entry of a zip archive, through the central directory.
export function zipEntry(buf, wanted) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'a zip archive');
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === wanted) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`no ${wanted} in the archive`);
}

// The sheet's rows as arrays of cell texts (constant-memory mode writes
// strings inline, numbers as <v>).
export function sheetRows(xml) {
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const rows = [];
  for (const [, row] of xml.matchAll(/<row [^>]*>(.*?)<\/row>/gs)) {
    const cells = [];
    for (const [, attrs, body] of row.matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const col = /r="([A-Z]+)\d+"/.exec(attrs)[1];
      const index = [...col].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      const t = /<t[^>]*>(.*?)<\/t>/s.exec(body ?? '') || /<v>(.*?)<\/v>/s.exec(body ?? '');
      cells[index] = t ? unescape(t[1]) : '';
    }
    rows.push(Array.from(cells, (x) => x ?? ''));
  }
  return rows;
}

// The bytes of `path` fetched with the client's session cookies.
export async function download(base, client, path) {
  const res = await fetch(`${base}${path}`, {
    headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
