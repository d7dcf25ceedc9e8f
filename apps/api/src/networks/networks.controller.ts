import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { NETWORKS, NETWORK_RULES } from '@herald/channels';
import { AuthGuard, ForChannelKeys, Needs } from '../access';
import { ConnectService } from '../channels';
import { ApiData, ApiRoute } from '../common/api-docs';
import { ForAgents } from '../common/for-agents';
import { NetworkSchema } from './schemas';

/**
 * Each network's content and media rules, as Buffer's configuration
 * endpoint tells its users, how its accounts connect, and whether this
 * installation can connect it (its OAuth app configured).
 */
@ApiTags('Networks')
@Controller('v1/networks')
@UseGuards(AuthGuard)
export class NetworksController {
  constructor(private readonly connect: ConnectService) {}

  @Get()
  @Needs('member')
  @ForChannelKeys('inside')
  @ForAgents('get_network_rules')
  @ApiRoute('listNetworks', 'List the networks and their rules', "Each network's text, media and idempotency rules, and how it connects here.")
  @ApiData(NetworkSchema, 'Every network Herald publishes to')
  list(): { data: NetworkSchema[] } {
    return {
      data: NETWORKS.map((network) => ({
        ...NETWORK_RULES[network],
        connect: {
          ...(network === 'bluesky'
            ? { method: 'app_password' as const, connectable: true, missingSettings: [] }
            : { method: 'oauth' as const, ...this.connect.connectable(network), alsoAccepts: 'accessToken' as const }),
        },
      })),
    };
  }
}
