import { DAG_CBOR, RAW, cidFor, parseCid } from './cid';

describe('CIDv1 strings', () => {
  it('raw sha2-256 of "hello world" is the CID every IPFS tool gives', () => {
    expect(cidFor(RAW, Buffer.from('hello world'))).toBe('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e');
  });

  it('records are dag-cbor CIDs (bafyrei...), stable for the same content', () => {
    const cid = cidFor(DAG_CBOR, '{"text":"hi"}');
    expect(cid).toMatch(/^bafyrei[a-z2-7]{52}$/);
    expect(cidFor(DAG_CBOR, '{"text":"hi"}')).toBe(cid);
  });

  it('parses what it makes and refuses what is not a CID', () => {
    expect(parseCid(cidFor(RAW, 'x'))).toBe(RAW);
    expect(parseCid(cidFor(DAG_CBOR, 'x'))).toBe(DAG_CBOR);
    expect(parseCid('bafyreiabc')).toBeUndefined();
    expect(parseCid('Qmhello')).toBeUndefined();
    expect(parseCid(`b${'a'.repeat(58)}`)).toBeUndefined();
    expect(parseCid(42)).toBeUndefined();
  });
});
