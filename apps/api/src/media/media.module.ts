import { Module } from '@nestjs/common';
import { MediaLibraryModule } from '@herald/media';
import { MediaController } from './media.controller';
import { MediaService } from './media.service';
import { PublicMediaController } from './public-media.controller';

@Module({
  imports: [MediaLibraryModule],
  controllers: [MediaController, PublicMediaController],
  providers: [MediaService],
  exports: [MediaService],
})
export class MediaModule {}
