export { MediaModule } from './media.module';
export { MediaService } from './media.service';
