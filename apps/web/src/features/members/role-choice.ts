/** A role picker's state (an invitation's, an API key's): the roles the person may give, and the one chosen among them. */
import { useState } from 'react';
import { useOwnRole } from '../auth/session';
import { chosenOrFirst, rolesUpTo, type Role } from './roles';

export function useRoleChoice<T extends { role: Role }>(choices: readonly T[], preferred: NoInfer<T['role']>): { offered: T[]; role: T['role']; choose: (role: T['role']) => void } {
  const offered = rolesUpTo(useOwnRole(), choices);
  const [chosen, choose] = useState<T['role']>(preferred);
  return { offered, role: chosenOrFirst(offered, chosen), choose };
}
