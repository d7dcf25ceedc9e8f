import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext, AuthGuard, Needs } from '../access';
import { ApiNoContent, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { Page, PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { ChangeRoleDto } from './dto';
import { MembersService } from './members.service';
import { MemberSchema } from './schemas';

@ApiTags('Members')
@Controller('v1/members')
@UseGuards(AuthGuard)
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Needs('members.read')
  @ApiRoute('listMembers', 'List the members', 'Every person in the workspace and their role, in the order they joined.')
  @ApiPage(MemberSchema, 'A page, in the order they joined; pass `nextCursor` as `cursor` for the next')
  list(@Auth() auth: AuthContext, @Query() query: PageQuery): Promise<Page<MemberSchema>> {
    return this.members.list(auth, query.limit, query.cursor);
  }

  @Patch(':userId')
  @Needs('members.manage')
  @ApiRoute(
    'changeMemberRole',
    "Change a member's role",
    'Owners and admins; nobody gives or takes away a role above their own. Lowered, the API keys and pending invitations that answer to the member and grant more than the new role are revoked.',
  )
  @ApiOk(MemberSchema)
  @ApiProblems(404, { 409: 'The last owner cannot be demoted' })
  changeRole(@Auth() auth: AuthContext, @Param('userId', new ParseIdPipe('Member')) userId: string, @Body() body: ChangeRoleDto): Promise<MemberSchema> {
    return this.members.changeRole(auth, userId, body.role);
  }

  @Delete(':userId')
  @Needs('members.leave')
  @HttpCode(204)
  @ApiRoute(
    'removeMember',
    'Remove a member, or leave',
    "Their next request in this workspace is refused, and the API keys and pending invitations that answer to them are revoked; their account and other workspaces stay. Owners and admins remove others; anyone leaves by naming their own user id.",
  )
  @ApiNoContent('Removed')
  @ApiProblems(404, { 409: 'The last owner cannot be removed, nor leave' })
  async remove(@Auth() auth: AuthContext, @Param('userId', new ParseIdPipe('Member')) userId: string): Promise<void> {
    await this.members.remove(auth, userId);
  }
}
