export { TagsModule } from './tags.module';
