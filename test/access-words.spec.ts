/** The web app's audit words for access that ended with its maker, and for the workspace's connect settings. */
import { auditActor, auditWhat, type AuditEvent } from '../apps/web/src/features/audit/audit-words';

const event = (action: AuditEvent['action'], details: Record<string, unknown>): AuditEvent => ({
  id: 'e1',
  action,
  actor: { kind: 'user', id: 'u1', name: 'Olive' },
  at: '2026-12-01T10:00:00.000Z',
  details,
  ip: null,
  subject: { type: 'api_key', id: 'k1' },
});
const said = (audit: AuditEvent) => `${auditActor(audit)} ${auditWhat(audit)}.`;

describe('the audit log in words: access that ends with its maker', () => {
  it("says whose key or invitation it was and what happened to them", () => {
    expect(said(event('api_key.revoked', { name: 'ci', role: 'admin', reason: 'maker_removed', maker: 'ada@example.com' }))).toBe(
      'Olive revoked the API key “ci”, made by ada@example.com, who was removed.',
    );
    expect(said(event('api_key.revoked', { name: 'ci', role: 'admin', reason: 'maker_left', maker: 'ada@example.com' }))).toBe('Olive revoked the API key “ci”, made by ada@example.com, who left.');
    expect(said(event('invitation.revoked', { email: 'grace@example.com', role: 'admin', reason: 'maker_demoted', maker: 'ada@example.com' }))).toBe(
      'Olive revoked the invitation for grace@example.com as admin, made by ada@example.com, whose role no longer allows it.',
    );
    // A revocation by hand says nothing more.
    expect(said(event('api_key.revoked', { name: 'ci', role: 'editor' }))).toBe('Olive revoked the API key “ci”.');
  });

  it('says which origins connect flows may return to', () => {
    expect(said(event('workspace.updated', { allowedRedirectOrigins: { from: [], to: ['https://app.acme.example'] } }))).toBe(
      'Olive set the origins connect flows may return to: https://app.acme.example.',
    );
    expect(said(event('workspace.updated', { allowedRedirectOrigins: { from: ['https://a.example'], to: [] } }))).toBe('Olive set the origins connect flows may return to: none.');
  });
});
