/**
 * The checker test/api-contract.e2e-spec.ts holds real answers to
 * (support/openapi.ts) catches each way an answer can differ from the
 * committed document, so its passing there means something.
 */
import { ApiDocument } from './support/openapi';

const document = new ApiDocument();
const CHANNEL = {
  id: '6f1c2b9e-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  network: 'mastodon',
  handle: '@acme@mastodon.social',
  displayName: 'Acme',
  avatarUrl: '/v1/channels/6f1c2b9e-3c4d-4e5f-8a9b-0c1d2e3f4a5b/avatar',
  profileRefreshedAt: '2026-12-01T09:00:00.000Z',
  host: 'https://mastodon.social',
  tokenExpiresAt: null,
  expiring: false,
  timezone: 'Europe/Berlin',
  postingSchedule: { slots: [{ day: 'mon', time: '09:00' }], isDefault: false },
  postDefaults: {},
  staleAfterSeconds: null,
  evergreenMinRepeatDays: null,
  links: {},
  limits: {},
  networkOptions: {},
  choices: {},
  status: 'active',
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
};
const check = (body: unknown, status = 200, type = 'application/json') =>
  document.problemsWith('GET', `/v1/channels/${CHANNEL.id}`, status, type, typeof body === 'string' ? body : JSON.stringify(body));

describe('the OpenAPI checker', () => {
  it('takes an answer that is as declared', () => {
    expect(check(CHANNEL)).toEqual([]);
    expect(check({ type: 'https://herald.dev/problems/not-found', title: 'Not found', status: 404, detail: 'Channel x was not found', requestId: 'r1' }, 404, 'application/problem+json')).toEqual([]);
  });

  it('reports a field the document does not declare, a missing one, a wrong type, a null where none is allowed, a value outside an enum', () => {
    expect(check({ ...CHANNEL, accessToken: 'leaked' }).join()).toMatch(/must NOT have additional properties.*accessToken/);
    expect(check({ ...CHANNEL, timezone: undefined }).join()).toMatch(/must have required property 'timezone'/);
    expect(check({ ...CHANNEL, expiring: 'no' }).join()).toMatch(/\/expiring must be boolean/);
    expect(check({ ...CHANNEL, handle: null }).join()).toMatch(/\/handle must be string/);
    expect(check({ ...CHANNEL, status: 'asleep' }).join()).toMatch(/\/status must be equal to one of the allowed values/);
    expect(check({ ...CHANNEL, id: 'not-a-uuid' }).join()).toMatch(/\/id must match format "uuid"/);
  });

  it('reports a status, a type or a body the operation does not declare', () => {
    expect(check(CHANNEL, 202).join()).toMatch(/a status the document does not declare/);
    expect(check('hello', 200, 'text/plain').join()).toMatch(/as text\/plain, where the document declares application\/json/);
    expect(check({ title: 'Not found' }, 404, 'application/problem+json').join()).toMatch(/must have required property 'type'/);
    expect(document.problemsWith('DELETE', `/v1/channels/${CHANNEL.id}`, 204, null, 'surprise')).toEqual([expect.stringMatching(/with a body, where the document declares none/)]);
    expect(document.problemsWith('GET', '/v1/nowhere', 200, 'application/json', '{}')).toEqual(['GET /v1/nowhere is not in the document']);
  });
});
