import { ACCOUNT_LIMIT, SIGN_IN_WINDOW_MS, accountCoolOffMs } from './sign-in-throttle';

describe('accountCoolOffMs', () => {
  it('lets an account be tried ACCOUNT_LIMIT - 1 times freely, then cools it off for 1 s, doubling with each attempt up to the window', () => {
    expect(accountCoolOffMs(1)).toBeUndefined();
    expect(accountCoolOffMs(ACCOUNT_LIMIT - 1)).toBeUndefined();
    expect(accountCoolOffMs(ACCOUNT_LIMIT)).toBe(1000);
    expect(accountCoolOffMs(ACCOUNT_LIMIT + 1)).toBe(2000);
    expect(accountCoolOffMs(ACCOUNT_LIMIT + 3)).toBe(8000);
    expect(accountCoolOffMs(ACCOUNT_LIMIT + 10)).toBe(SIGN_IN_WINDOW_MS);
    expect(accountCoolOffMs(ACCOUNT_LIMIT + 10_000)).toBe(SIGN_IN_WINDOW_MS);
  });
});
