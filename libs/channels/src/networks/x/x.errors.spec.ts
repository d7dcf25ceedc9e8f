import { xError } from './x.errors';

const reply = (status: number, body: unknown) => ({ status, headers: new Headers(), body });

describe("X's error answers", () => {
  it("take a validation failure's specifics from errors[], not its generic detail", () => {
    const error = xError(
      reply(400, {
        errors: [{ parameters: { text: ['…'] }, message: 'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.' }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      }),
    );
    expect(error.errorClass).toBe('rejected');
    expect(error.message).toMatch(/^Your Tweet text is too long\./);
  });

  it('read the detail where there is no errors[] (a duplicate is ambiguous)', () => {
    const duplicate = xError(reply(403, { detail: 'You are not allowed to create a Tweet with duplicate content.', title: 'Forbidden', type: 'about:blank', status: 403 }));
    expect(duplicate).toMatchObject({ errorClass: 'transient', code: 'duplicate_content', ambiguous: true });
    expect(xError(reply(401, { title: 'Unauthorized', detail: 'Unauthorized' })).errorClass).toBe('auth_expired');
  });
});
