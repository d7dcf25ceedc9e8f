/**
 * Before every unit and medium test file: costly parameters at test
 * strength, so files can run several at a time on a small machine. Each
 * reads its variable and is at full strength without it; one spec each runs
 * the real parameters (named beside the variable).
 */
// Password hashes: scrypt N=2^12 instead of 2^17 (apps/api/src/people/passwords.ts;
// apps/api/src/people/passwords.spec.ts checks the real N=2^17 by deleting the variable).
process.env.HERALD_TEST_SCRYPT_COST ??= String(2 ** 12);
