/** GET /v1/networks. */
export { NetworksController } from './networks.controller';
