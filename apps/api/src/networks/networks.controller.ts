import { Controller, Get, UseGuards } from '@nestjs/common';
import { NETWORKS, NETWORK_RULES } from '@herald/channels';
import { AuthGuard } from '../access';
import { ConnectService } from '../channels';

/**
 * Each network's content and media rules, as Buffer's configuration
 * endpoint tells its users, how its accounts connect, and whether this
 * installation can connect it (its OAuth app configured).
 */
@Controller('v1/networks')
@UseGuards(AuthGuard)
export class NetworksController {
  constructor(private readonly connect: ConnectService) {}

  @Get()
  list() {
    return {
      data: NETWORKS.map((network) => ({
        ...NETWORK_RULES[network],
        connect: {
          ...(network === 'bluesky'
            ? { method: 'app_password', connectable: true, missingSettings: [] }
            : { method: 'oauth', ...this.connect.connectable(network), alsoAccepts: 'accessToken' }),
        },
      })),
    };
  }
}
