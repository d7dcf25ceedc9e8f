/**
 * `networkOptions` on a post (`{youtube: {title}, pinterest: {boardId}}`)
 * and on a channel (the options its network lets a channel default): their
 * schema in the API's document is each network's own (its `<n>.options.ts`),
 * and a request is checked against that same schema by Ajv, so the document,
 * the agents' tools and the check never differ. A shape that is wrong is a
 * 400 naming the field; what the options break given the content and the
 * channel (an event that ends before it starts, a board the channel does not
 * have) is the placement's 422.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { DESCRIBED_NETWORKS, NETWORKS_WITH_OPTIONS, optionsSpecOf } from '@herald/channels';
import { FieldError, MalformedRequest, UnprocessableRequest } from './problems';

export type NetworkOptions = Record<string, Record<string, unknown>>;

/** The document's schema of a post's `networkOptions`: a property per network that takes options. */
export const NETWORK_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: `What only one network takes, by network (${NETWORKS_WITH_OPTIONS.join(', ')}): each channel of that network gets them, over its own defaults`,
  properties: Object.fromEntries(DESCRIBED_NETWORKS.flatMap((descriptor) => (descriptor.options ? [[descriptor.network, descriptor.options.schema]] : []))),
} as const;

/** The document's schema of a channel's `networkOptions`: the options a channel may default, for whichever network it is on. */
export const CHANNEL_OPTIONS_SCHEMA = {
  type: 'object',
  description: `The options every post to the channel tells its network unless the post says otherwise; only some: ${DESCRIBED_NETWORKS.flatMap((descriptor) => (descriptor.options && descriptor.options.channelDefaults.length > 0 ? [`${descriptor.network} ${descriptor.options.channelDefaults.join(', ')}`] : [])).join('; ')}`,
  additionalProperties: true,
} as const;

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validators = new Map<string, ValidateFunction>(
  DESCRIBED_NETWORKS.flatMap((descriptor) => (descriptor.options ? [[descriptor.network, ajv.compile(descriptor.options.schema)] as const] : [])),
);

/** A post's `networkOptions`, checked field by field against each network's schema: a 400 naming every wrong field. */
export function parseNetworkOptions(raw: unknown, path = 'networkOptions'): NetworkOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new MalformedRequest(`${path} must be an object keyed by network, such as {"youtube": {"privacy": "unlisted"}}`, [{ path, message: 'must be an object keyed by network' }]);
  const errors: FieldError[] = [];
  const options: NetworkOptions = {};
  for (const [network, value] of Object.entries(raw)) {
    const validate = validators.get(network);
    if (!validate) {
      errors.push({ path: `${path}.${network}`, message: `is not a network that takes options (these do: ${NETWORKS_WITH_OPTIONS.join(', ')})` });
      continue;
    }
    if (validate(value)) options[network] = value as Record<string, unknown>;
    else errors.push(...(validate.errors ?? []).map((error) => fieldErrorOf(`${path}.${network}`, error)));
  }
  if (errors.length > 0) throw new MalformedRequest(errors.map((error) => `${error.path} ${error.message}`).join('; '), errors);
  return options;
}

/** A channel's own defaults: its network's options that a channel may default, nothing else (a 422 naming any other). */
export function parseChannelOptions(network: string, raw: unknown, path = 'networkOptions'): Record<string, unknown> {
  const spec = optionsSpecOf(network);
  const allowed = spec?.channelDefaults ?? [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new MalformedRequest(`${path} must be an object`, [{ path, message: 'must be an object' }]);
  const others = Object.keys(raw).filter((key) => !allowed.includes(key));
  if (others.length > 0) {
    const takes = allowed.length > 0 ? `a ${network} channel defaults ${allowed.join(', ')}` : `a ${network} channel has no options to default`;
    throw new UnprocessableRequest(`${path}: ${takes}, not ${others.join(', ')}`, others.map((key) => ({ path: `${path}.${key}`, message: `is not one: ${takes}` })));
  }
  if (Object.keys(raw).length === 0) return {};
  // Checked by the network's schema, and named at the channel's own path (`networkOptions.boardId`, not `networkOptions.pinterest.boardId`).
  try {
    return parseNetworkOptions({ [network]: raw })[network]!;
  } catch (error) {
    if (!(error instanceof MalformedRequest)) throw error;
    const errors = (error.errors ?? []).map((item) => ({ ...item, path: item.path.replace(`networkOptions.${network}`, path) }));
    throw new MalformedRequest(errors.map((item) => `${item.path} ${item.message}`).join('; '), errors);
  }
}

/** What a channel's posts tell its network: the post's options over the channel's defaults. */
export function optionsFor(network: string, post: NetworkOptions, channelDefaults: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const merged = { ...(channelDefaults ?? {}), ...(post[network] ?? {}) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** Ajv's finding as the API words a field error: the field's path, then what is wrong with it. */
function fieldErrorOf(base: string, error: ErrorObject): FieldError {
  const at = `${base}${error.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: `${at}.${String(error.params.additionalProperty)}`, message: `is not an option here (these are: ${Object.keys(schemaAt(error) ?? {}).join(', ')})` };
    case 'required':
      return { path: `${at}.${String(error.params.missingProperty)}`, message: 'is required' };
    case 'enum':
      return { path: at, message: `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { path: at, message: /\\d\{4\}/.test(String(error.params.pattern)) ? 'must be a wall time such as 2027-03-12T18:00' : `must match ${String(error.params.pattern)}` };
    default:
      return { path: at, message: error.message ?? 'is not valid' };
  }
}

/** The properties of the schema an `additionalProperties` error came from, to say which are taken. */
function schemaAt(error: ErrorObject): Record<string, unknown> | undefined {
  return (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
}
