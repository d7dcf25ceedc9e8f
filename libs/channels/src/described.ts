/**
 * A network that describes itself (networks/descriptors.ts): its browser-safe
 * descriptor and what builds its adapter, connector and refresher for the
 * endpoints this installation runs against. The registry reads the list in
 * networks/kits.ts; nothing else names such a network.
 */
import type { AdapterOptions } from './base-adapter';
import type { NetworkKit } from './registry';
import type { NetworkDescriptor } from './rules/descriptor';

export interface KitContext {
  /** The descriptor's endpoints, as this installation reaches them (real, replaced by a variable, or the mock's). */
  endpoints: Record<string, string>;
  adapterOptions: AdapterOptions;
  timeoutMs: number;
  /** The operator's settings, by variable (the descriptor's `settings`, each given or its default). */
  settings: Record<string, string>;
}

export interface DescribedNetwork<N extends string = string> {
  descriptor: NetworkDescriptor<N>;
  kit(context: KitContext): Omit<NetworkKit, 'app'>;
}
