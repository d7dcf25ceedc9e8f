/** What other API modules may use of feeds. */
export { FeedsModule } from './feeds.module';
