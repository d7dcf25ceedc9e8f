/**
 * The person's time zone and locale: every date the app shows is in them. The
 * zone is the browser's unless the person picks another (kept in this browser).
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

const ZONE_KEY = 'herald.timeZone';

export interface Person {
  timeZone: string;
  locale: string;
  setTimeZone(zone: string | null): void;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Every IANA zone the browser knows, the browser's own first. */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const own = browserTimeZone();
  return [own, ...zones.filter((zone) => zone !== own), ...(zones.includes('UTC') || own === 'UTC' ? [] : ['UTC'])];
}

function storedZone(): string | null {
  try {
    return localStorage.getItem(ZONE_KEY);
  } catch {
    return null;
  }
}

/** The zone the person sees times in, outside React (a route's loader): what PersonProvider starts with. */
export function currentTimeZone(): string {
  return storedZone() ?? browserTimeZone();
}

const PersonContext = createContext<Person | null>(null);

export function PersonProvider({ children }: { children: ReactNode }) {
  const [zone, setZone] = useState<string | null>(storedZone);
  const person = useMemo<Person>(
    () => ({
      timeZone: zone ?? browserTimeZone(),
      locale: navigator.language || 'en',
      setTimeZone(next) {
        try {
          if (next === null || next === browserTimeZone()) localStorage.removeItem(ZONE_KEY);
          else localStorage.setItem(ZONE_KEY, next);
        } catch {
          // private mode: the choice lasts for this page only
        }
        setZone(next === browserTimeZone() ? null : next);
      },
    }),
    [zone],
  );
  return <PersonContext.Provider value={person}>{children}</PersonContext.Provider>;
}

export function usePerson(): Person {
  const person = useContext(PersonContext);
  if (!person) throw new Error('usePerson outside PersonProvider');
  return person;
}
