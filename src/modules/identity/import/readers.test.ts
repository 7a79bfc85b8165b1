import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeLines, sniffDelimiter } from './readers.js';
import { SeenKeys } from './hashing.js';
import { applyTransforms } from './mapping.js';

async function decodeAll(chunks: Buffer[], encoding: 'utf8' | 'latin1' = 'utf8') {
  const counter = { bytes: 0 };
  let out = '';
  for await (const s of decodeLines((async function* () { yield* chunks; })(), encoding, counter)) out += s;
  return { out, bytes: counter.bytes };
}

describe('decodeLines', () => {
  it('decodes UTF-8 however the bytes are split into chunks, and drops a leading BOM', async () => {
    const text = 'id,name\n1,Zoë Ørsted\n2,李小龍\n3,🙂 smile';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 6 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => bytes.subarray(start, points[i] ?? bytes.length));
        const { out, bytes: n } = await decodeAll(chunks);
        expect(out).toBe(text);
        expect(n).toBe(bytes.length);
      }),
    );
  });

  it('names the line holding an invalid byte, even when it is in a later chunk', async () => {
    const chunks = [Buffer.from('a,b\n1,ok\n2,'), Buffer.from([0x66, 0xe9, 0x65]), Buffer.from('\n3,ok\n')];
    await expect(decodeAll(chunks)).rejects.toThrow(/^line 3 is not valid UTF-8/);
    await expect(decodeAll([Buffer.from('a\nb\n'), Buffer.from([0xc3])])).rejects.toThrow(/^line 3 /);
  });

  it('refuses a physical line too long to be a record instead of buffering it', async () => {
    await expect(decodeAll([Buffer.from('a,b\n'), Buffer.alloc(17 * 2 ** 20, 0x61)])).rejects.toThrow(/^line 2 is longer than 16 MiB/);
  });

  it('reads the same bytes as Latin-1 when told to', async () => {
    const { out } = await decodeAll([Buffer.from([0x47, 0x61, 0x72, 0x63, 0xed, 0x61, 0x0a])], 'latin1');
    expect(out).toBe('García\n');
  });
});

describe('sniffDelimiter', () => {
  it('picks the most frequent separator outside quotes', () => {
    expect(sniffDelimiter('a,b,c')).toBe(',');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('"x,y,z";b;c')).toBe(';');
    expect(sniffDelimiter('a|b|c,d')).toBe('|');
    expect(sniffDelimiter('rec_id, given_name, surname')).toBe(',');
    expect(sniffDelimiter('single')).toBe(',');
  });
});

describe('SeenKeys', () => {
  it('remembers the first line of every key across growth', () => {
    const seen = new SeenKeys(4);
    for (let i = 1; i <= 10_000; i++) expect(seen.addOrGet(`id-${i}`, i)).toBe(0);
    expect(seen.count).toBe(10_000);
    for (let i = 1; i <= 10_000; i += 997) expect(seen.addOrGet(`id-${i}`, 99_999)).toBe(i);
    expect(seen.addOrGet('id-10001', 10_001)).toBe(0);
  });
});

describe('applyTransforms', () => {
  it('applies transforms in order', () => {
    expect(applyTransforms('  (02) 9876-5432 ', ['digits'])).toBe('0298765432');
    expect(applyTransforms('  mixed   Case  ', ['squash', 'upper'])).toBe('MIXED CASE');
    expect(applyTransforms(' A ', ['trim', 'lower'])).toBe('a');
  });
});
