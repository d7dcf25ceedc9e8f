import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthGuard, Auth, AuthContext, Needs } from '../access';
import { ApiCreated, ApiData, ApiNoContent, ApiOk, ApiProblems, ApiRoute } from '../common/api-docs';
import { ParseIdPipe } from '../common/uuid.pipe';
import { CreateTagDto, UpdateTagDto } from './dto';
import { TagSchema } from './schemas';
import { TagsService } from './tags.service';

@ApiTags('Tags')
@Controller('v1/tags')
@UseGuards(AuthGuard)
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @Needs('posts.read')
  @ApiRoute('listTags', 'List tags', "The workspace's tags by name, and the names used on posts that have no colour yet.")
  @ApiData(TagSchema)
  list(@Auth() auth: AuthContext): Promise<{ data: TagSchema[] }> {
    return this.tags.list(auth);
  }

  @Post()
  @Needs('posts.write')
  @ApiRoute('createTag', 'Create a tag')
  @ApiCreated(TagSchema)
  @ApiProblems({ 409: 'The workspace already has a tag of that name' })
  create(@Auth() auth: AuthContext, @Body() body: CreateTagDto): Promise<TagSchema> {
    return this.tags.create(auth, body);
  }

  @Patch(':id')
  @Needs('posts.write')
  @ApiRoute('updateTag', "Change a tag's colour")
  @ApiOk(TagSchema)
  @ApiProblems(404)
  update(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Tag')) id: string, @Body() body: UpdateTagDto): Promise<TagSchema> {
    return this.tags.update(auth, id, body);
  }

  @Delete(':id')
  @Needs('posts.write')
  @HttpCode(204)
  @ApiRoute('deleteTag', 'Delete a tag', 'Its colour goes; posts keep the name.')
  @ApiNoContent('Deleted')
  @ApiProblems(404)
  async remove(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Tag')) id: string): Promise<void> {
    await this.tags.remove(auth, id);
  }
}
