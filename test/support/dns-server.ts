/**
 * A tiny DNS server on loopback that a test controls (HERALD_DNS_SERVERS
 * points Herald's resolver for user-given names at it): each name answers
 * the A and AAAA records the test set, now, with a TTL of 0 (nothing
 * cached, so a name can change between two requests); any other name is
 * NXDOMAIN. No /etc/hosts involved.
 */
import { createSocket } from 'node:dgram';
import { isIPv4 } from 'node:net';

export interface TestDns {
  /** `host:port`, for HERALD_DNS_SERVERS. */
  server: string;
  /** What `name` resolves to from now on (addresses v4 or v6). */
  set(name: string, ...addresses: string[]): void;
  /** How many questions each name was asked. */
  asked: Map<string, number>;
  stop(): Promise<void>;
}

const A = 1;
const AAAA = 28;

export async function startDns(): Promise<TestDns> {
  const records = new Map<string, string[]>();
  const asked = new Map<string, number>();
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const answer = respond(query, records, asked);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    set: (name, ...addresses) => records.set(name.toLowerCase(), addresses),
    asked,
    stop: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function respond(query: Buffer, records: Map<string, string[]>, asked: Map<string, number>): Buffer | undefined {
  if (query.length < 12) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += 1 + length;
  }
  const questionEnd = offset + 5;
  if (questionEnd > query.length) return undefined;
  const type = query.readUInt16BE(offset + 1);
  const name = labels.join('.').toLowerCase();
  asked.set(name, (asked.get(name) ?? 0) + 1);
  const known = records.get(name);
  const matching = (known ?? []).filter((address) => (type === A ? isIPv4(address) : type === AAAA ? !isIPv4(address) : false));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // a response, recursion available, NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(matching.length, 6);
  const answers = matching.map((address) => {
    const data = type === A ? Buffer.from(address.split('.').map(Number)) : ipv6Bytes(address);
    const record = Buffer.alloc(12);
    record.writeUInt16BE(0xc00c, 0); // the question's name
    record.writeUInt16BE(type, 2);
    record.writeUInt16BE(1, 4); // IN
    record.writeUInt32BE(0, 6); // TTL 0: never cached
    record.writeUInt16BE(data.length, 10);
    return Buffer.concat([record, data]);
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.split('::');
  const part = (text: string | undefined) => (text ? text.split(':') : []);
  const front = part(head);
  const back = part(tail);
  const groups = [...front, ...new Array(8 - front.length - back.length).fill('0'), ...back];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}
