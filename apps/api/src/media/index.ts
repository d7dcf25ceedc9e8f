export { MediaModule } from './media.module';
export { MediaService } from './media.service';
export { mediaItemOf } from './media-view';
