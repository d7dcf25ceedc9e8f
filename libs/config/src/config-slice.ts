import { ConfigError, EnvReader } from './env-reader';
import type { HeraldConfig } from './herald-config';

/**
 * A part of the configuration owned by the module that uses it (the networks'
 * OAuth apps, URLs and quotas live with libs/channels), read from the same
 * environment as the rest through the same reader, so that libs/config
 * depends on no other lib.
 *
 * A process gives its slices to `loadConfig`, which reads them with the rest
 * and reports every problem at once; a module takes its slice with
 * `sliceOf(config, SLICE)`.
 */
export interface ConfigSlice<T> {
  /** What the slice is, for messages. */
  readonly name: string;
  /** Reads the slice's variables (Herald's own settings, read first, at hand); a malformed one is a problem pushed on the reader, not a throw. */
  read(env: EnvReader, config: HeraldConfig): T;
}

/** What each config object's slices read, computed once per config object. */
const readSlices = new WeakMap<HeraldConfig, Map<ConfigSlice<unknown>, unknown>>();

/** Called by `loadConfig`: the slices it read with the config. */
export function recordSlices(config: HeraldConfig, slices: ReadonlyMap<ConfigSlice<unknown>, unknown>): void {
  readSlices.set(config, new Map(slices));
}

/**
 * The slice as `config`'s environment gives it. Read with the config when
 * the process gave it to `loadConfig`; else read now (a config built for a
 * test, or a copy of one), from the same environment, once.
 */
export function sliceOf<T>(config: HeraldConfig, slice: ConfigSlice<T>): T {
  let slices = readSlices.get(config);
  if (!slices) readSlices.set(config, (slices = new Map()));
  if (slices.has(slice)) return slices.get(slice) as T;
  const reader = new EnvReader(config.env);
  const value = slice.read(reader, config);
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  slices.set(slice, value);
  return value;
}
