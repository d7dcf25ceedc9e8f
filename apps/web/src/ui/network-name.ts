/** A network's name in words, from its rules (@herald/channels/rules); an unknown one as it is written. */
import { NETWORK_RULES, isNetwork } from '@herald/channels/rules/catalog';

export function networkName(network: string): string {
  return isNetwork(network) ? NETWORK_RULES[network].displayName : network;
}
