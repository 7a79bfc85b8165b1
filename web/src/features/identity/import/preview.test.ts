import { describe, expect, it } from 'vitest';
import { describeLayout, parseDelimited, previewFile, sniffDelimiter } from './preview';

describe('previewFile', () => {
  it('reads the header and first rows of a comma-separated file, quotes and all', () => {
    const csv = 'id,name,address\n1,"Jackson, Bill","42 ""Lakeview"" Dr"\r\n2,Ada Abbott,\n';
    const p = previewFile(csv, 'people.csv', true);
    expect(p).toMatchObject({ format: 'csv', delimiter: ',', columns: ['id', 'name', 'address'] });
    expect(p.rows).toEqual([
      ['1', 'Jackson, Bill', '42 "Lakeview" Dr'],
      ['2', 'Ada Abbott', ''],
    ]);
    expect(describeLayout(p)).toBe('CSV, comma-separated');
  });

  it('detects the delimiter as the server does: the most frequent outside quotes in the header', () => {
    expect(sniffDelimiter('a;b;"c,d";e')).toBe(';');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('single')).toBe(',');
    expect(previewFile('a|b\n1|2\n', 'x.txt', true)).toMatchObject({ format: 'csv', delimiter: '|', rows: [['1', '2']] });
  });

  it('uses tabs for .tsv and pads short rows', () => {
    const p = previewFile('a\tb\tc\n1\t2\n', 'x.tsv', true);
    expect(p).toMatchObject({ format: 'tsv', delimiter: '\t', rows: [['1', '2', '']] });
  });

  it('drops a row cut off by the end of a partial sample', () => {
    const p = previewFile('id,name\n1,Ada\n2,Be', 'x.csv', false);
    expect(p.rows).toEqual([['1', 'Ada']]);
    expect(p.truncated).toBe(true);
  });

  it('keeps a line break inside quotes in one field', () => {
    expect(parseDelimited('a,b\n"x\ny",z\n', ',', false, 10)).toEqual([
      ['a', 'b'],
      ['x\ny', 'z'],
    ]);
  });

  it('reads JSON Lines: columns are the keys of the first objects, bad lines are left to the server', () => {
    const p = previewFile('{"id":1,"name":"Ada"}\nnot json\n{"id":2,"dob":"1990-01-01","tags":["a"]}\n', 'x.jsonl', true);
    expect(p).toMatchObject({ format: 'jsonl', delimiter: null, columns: ['id', 'name', 'dob', 'tags'] });
    expect(p.rows).toEqual([
      ['1', 'Ada', '', ''],
      ['2', '', '1990-01-01', '["a"]'],
    ]);
  });

  it('says plainly when a file cannot be previewed', () => {
    expect(() => previewFile('\uFEFF  \n', 'x.csv', true)).toThrow('The file is empty.');
    expect(() => previewFile('nope\n', 'x.jsonl', true)).toThrow('No line of this file is a JSON object.');
  });
});
