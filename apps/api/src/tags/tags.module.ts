import { Module } from '@nestjs/common';
import { TagsController } from './tags.controller';
import { TagsService } from './tags.service';

/** The workspace's tags (a name and a colour). */
@Module({
  controllers: [TagsController],
  providers: [TagsService],
})
export class TagsModule {}
