/**
 * Tracked and short links settings (PRODUCT.md section 13, "Links"), as a
 * post (`links` on POST /v1/posts) or a channel (PATCH /v1/channels/:id)
 * gives them.
 */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { Omittable } from './validation';

@ValidatorConstraint({ name: 'utmSetting' })
export class UtmSetting implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value === 'boolean') return true;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    return Object.entries(value).every(([key, field]) => ['campaign', 'source', 'medium'].includes(key) && typeof field === 'string' && /^[A-Za-z0-9 _.~-]{1,100}$/.test(field));
  }

  defaultMessage(): string {
    return 'utm must be true, false, or {campaign?, source?, medium?} (each 1 to 100 letters, digits, spaces or _.~-)';
  }
}

/** Tracked links: UTM parameters added to each link, per channel, and short links, when the post is placed. */
export class LinksDto {
  @ApiPropertyOptional({
    oneOf: [{ type: 'boolean' }, { type: 'object', properties: { campaign: { type: 'string' }, source: { type: 'string' }, medium: { type: 'string' } }, additionalProperties: false }],
    example: { campaign: 'launch' },
    description: '`true` or `{campaign?, source?, medium?}`: `utm_source` the channel\'s network (or `source`), `utm_medium=social` (or `medium`), `utm_campaign` when given',
  })
  @Omittable()
  @Validate(UtmSetting)
  utm?: boolean | { campaign?: string; source?: string; medium?: string };

  @ApiPropertyOptional({
    description:
      'Each link replaced by a short link from the shortener this Herald is set up with (LINK_SHORTENER: Shlink, Kutt or Dub), after UTM, when the post is placed; a link the shortener does not shorten stays long, and the answer\'s `shortLinks` says which and why. 422 when no shortener is set up. Not done by a dry run.',
  })
  @Omittable()
  @IsBoolean({ message: 'links.shorten must be true or false' })
  shorten?: boolean;
}
