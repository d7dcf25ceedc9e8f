import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query, UseGuards } from '@nestjs/common';
import { Auth, AuthContext, AuthGuard } from '../access';
import { PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { ChangeRoleDto } from './dto';
import { MembersService } from './members.service';

@Controller('v1/members')
@UseGuards(AuthGuard)
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  list(@Auth() auth: AuthContext, @Query() query: PageQuery) {
    return this.members.list(auth, query.limit, query.cursor);
  }

  @Patch(':userId')
  changeRole(@Auth() auth: AuthContext, @Param('userId', new ParseIdPipe('Member')) userId: string, @Body() body: ChangeRoleDto) {
    return this.members.changeRole(auth, userId, body.role);
  }

  @Delete(':userId')
  @HttpCode(204)
  async remove(@Auth() auth: AuthContext, @Param('userId', new ParseIdPipe('Member')) userId: string): Promise<void> {
    await this.members.remove(auth, userId);
  }
}
