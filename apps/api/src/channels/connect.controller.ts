import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AuthGuard, Auth, AuthContext } from '../access';
import { ChooseAccountDto, ConnectCallbackQuery, StartConnectDto } from './dto';
import { ConnectService } from './connect.service';

/** Starting a connect flow, and picking an account when the person has several. */
@Controller('v1/channels/connect')
@UseGuards(AuthGuard)
export class ConnectController {
  constructor(private readonly connect: ConnectService) {}

  @Post()
  start(@Auth() auth: AuthContext, @Body() body: StartConnectDto) {
    return this.connect.start(auth, body);
  }

  @Get(':state/accounts')
  pending(@Auth() auth: AuthContext, @Param('state') state: string) {
    return this.connect.pending(auth, state);
  }

  @Post(':state/choose')
  @HttpCode(201)
  choose(@Auth() auth: AuthContext, @Param('state') state: string, @Body() body: ChooseAccountDto) {
    return this.connect.choose(auth, state, body.accountId);
  }
}

/** The network sends the person's browser here: no API key, the single-use state names the workspace. */
@Controller('v1/channels/connect/callback')
export class ConnectCallbackController {
  constructor(private readonly connect: ConnectService) {}

  @Get()
  async callback(@Query() query: ConnectCallbackQuery, @Res() response: Response): Promise<void> {
    response.redirect(302, await this.connect.callback(query));
  }
}
