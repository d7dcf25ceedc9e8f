/** What other API modules may use of analytics. */
export { AnalyticsModule } from './analytics.module';
