import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, Needs } from '../../access';
import { ApiCreated, ApiData, ApiNoContent, ApiOk, ApiProblems, ApiRoute } from '../../common/api-docs';
import { ParseIdPipe } from '../../common/uuid.pipe';
import { ChannelGroupsService } from './channel-groups.service';
import { CreateChannelGroupDto, UpdateChannelGroupDto } from './dto';
import { ChannelGroupSchema } from './schemas';

/** Saved groups of channels, picked at once in compose. */
@ApiTags('Channel groups')
@Controller('v1/channel-groups')
@UseGuards(AuthGuard)
export class ChannelGroupsController {
  constructor(private readonly groups: ChannelGroupsService) {}

  @Get()
  @Needs('channels.read')
  @ApiRoute('listChannelGroups', 'List channel groups', 'Every group of the workspace, by name (never paged).')
  @ApiData(ChannelGroupSchema)
  list(@Auth() auth: AuthContext): Promise<{ data: ChannelGroupSchema[] }> {
    return this.groups.list(auth);
  }

  @Post()
  @Needs('channels.manage')
  @ApiRoute('createChannelGroup', 'Save a group of channels')
  @ApiCreated(ChannelGroupSchema, 'Saved')
  @ApiProblems({ 409: 'The workspace already has a group of that name', 422: 'A channel id is not a channel of this workspace' })
  create(@Auth() auth: AuthContext, @Body() body: CreateChannelGroupDto): Promise<ChannelGroupSchema> {
    return this.groups.create(auth, body);
  }

  @Patch(':id')
  @Needs('channels.manage')
  @ApiRoute('updateChannelGroup', 'Rename a channel group, or replace its channels')
  @ApiOk(ChannelGroupSchema)
  @ApiProblems(404, { 409: 'Another group of the workspace has that name', 422: 'A channel id is not a channel of this workspace' })
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel group')) id: string, @Body() body: UpdateChannelGroupDto): Promise<ChannelGroupSchema> {
    return this.groups.update(auth, id, body);
  }

  @Delete(':id')
  @Needs('channels.manage')
  @HttpCode(204)
  @ApiRoute('deleteChannelGroup', 'Delete a channel group', 'Its channels stay.')
  @ApiNoContent('Deleted')
  @ApiProblems(404)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Channel group')) id: string): Promise<void> {
    await this.groups.remove(auth, id);
  }
}
