import { Controller, Get, UseGuards } from '@nestjs/common';
import { NETWORKS, NETWORK_RULES } from '@herald/channels';
import { ApiKeyGuard } from '../access';

/** Each network's content and media rules, as Buffer's configuration endpoint tells its users. */
@Controller('v1/networks')
@UseGuards(ApiKeyGuard)
export class NetworksController {
  @Get()
  list() {
    return { data: NETWORKS.map((network) => NETWORK_RULES[network]) };
  }
}
