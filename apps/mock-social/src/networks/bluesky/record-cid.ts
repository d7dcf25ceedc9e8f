/**
 * A record's CID as a PDS computes it: the record's JSON turned into the
 * IPLD data model (`{$link}` a CID, `{$bytes}` bytes, as atproto's JSON
 * encoding says), encoded as DAG-CBOR (`@ipld/dag-cbor`), hashed with
 * sha2-256, written as a CIDv1 with the dag-cbor codec (`multiformats`).
 * Both libraries are ES modules whose exports a CommonJS `require` cannot
 * reach, so they are loaded with a true dynamic import, once.
 */
type DagCbor = typeof import('@ipld/dag-cbor');
type Multiformats = typeof import('multiformats');
type Sha2 = typeof import('multiformats/hashes/sha2');

interface Ipld {
  dagCbor: DagCbor;
  CID: Multiformats['CID'];
  sha256: Sha2['sha256'];
}

// tsc turns `import()` into `require()` in this CommonJS build; a direct eval keeps it a real import, made from this module
// (a Function's import would be made from whichever module loaded first: under Jest, another test file's).
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- read by the eval
const importModule = <T>(specifier: string): Promise<T> => eval('import(specifier)') as Promise<T>;
let loading: Promise<Ipld> | undefined;

/** The IPLD libraries, loaded on first use (the mock loads them at start, so no call waits). */
export function loadIpld(): Promise<Ipld> {
  loading ??= Promise.all([importModule<DagCbor>('@ipld/dag-cbor'), importModule<Multiformats>('multiformats'), importModule<Sha2>('multiformats/hashes/sha2')]).then(
    ([dagCbor, multiformats, sha2]) => ({ dagCbor, CID: multiformats.CID, sha256: sha2.sha256 }),
  );
  return loading;
}

/** The CID (base32 `bafyrei…`) of a record given as atproto JSON. */
export async function recordCid(record: unknown): Promise<string> {
  const ipld = await loadIpld();
  const bytes = ipld.dagCbor.encode(toIpld(record, ipld));
  const digest = await ipld.sha256.digest(bytes);
  return ipld.CID.createV1(ipld.dagCbor.code, digest).toString();
}

/** atproto JSON to the IPLD data model: `{$link: cid}` is a link, `{$bytes: base64}` bytes; the rest as it is. */
function toIpld(value: unknown, ipld: Ipld): unknown {
  if (Array.isArray(value)) return value.map((item) => toIpld(item, ipld));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && entries[0]![0] === '$link' && typeof entries[0]![1] === 'string') return ipld.CID.parse(entries[0]![1]);
  if (entries.length === 1 && entries[0]![0] === '$bytes' && typeof entries[0]![1] === 'string') return new Uint8Array(Buffer.from(entries[0]![1], 'base64'));
  return Object.fromEntries(entries.map(([key, item]) => [key, toIpld(item, ipld)]));
}
