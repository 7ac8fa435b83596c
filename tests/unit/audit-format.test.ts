// Masking and CSV cells: what leaves the audit log must be safe to store, send and open.
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from '../../server/services/audit/csv.ts';
import { MASK, maskSecrets } from '../../server/services/audit/mask.ts';

describe('maskSecrets', () => {
  it('masks secret-looking fields at any depth and keeps token kinds and ids', () => {
    expect(maskSecrets({
      name: 'x', secret: 's3cr3t', client_secret: 'a', password: 'p', signingKey: 'k', headers: { Authorization: 'Bearer x', 'x-api-key': 'k' },
      nested: [{ accessToken: 't' }], tokenId: 'jti-1', tokenFormat: 'opaque', isPrivate: false, at: new Date(0),
    })).toEqual({
      name: 'x', secret: MASK, client_secret: MASK, password: MASK, signingKey: MASK, headers: { Authorization: MASK, 'x-api-key': MASK },
      nested: [{ accessToken: MASK }], tokenId: 'jti-1', tokenFormat: 'opaque', isPrivate: false, at: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('CSV cells', () => {
  it('quotes per RFC 4180', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvRow(['a', 1, undefined])).toBe('a,1,\r\n');
  });

  it('neutralises spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const s of ['+1', '-1', '@SUM(A1)', '\tx']) expect(csvCell(s).startsWith(`'`) || csvCell(s).startsWith(`"'`)).toBe(true);
  });
});
