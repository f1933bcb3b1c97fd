import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type * as domain from '../../domain/types.js';
import { textIn } from '../../domain/text.js';
import type { RequestContext } from '../context.js';
import { PRICE } from '../cost.js';
import { ArtistKind, artistKind, artistKindLabel } from '../labels/artistTypes.js';
import { licenseCode, licenseName } from '../labels/licenses.js';
import { Artist } from '../types/artist.js';
import { License } from '../types/common.js';

/** Licence names in the request's language, with a code that stays the same in every language. */
@Resolver(() => License)
export class LicenseFieldsResolver {
  @FieldResolver(() => String, { complexity: PRICE.free })
  name(@Root() license: domain.License, @Ctx() { language }: RequestContext): string {
    return textIn(licenseName(license), language);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'A stable identifier, the same in every language: SPDX-style for Creative Commons (CC-BY-NC-SA-3.0, CC0-1.0), PDM-1.0, PUBLIC-DOMAIN, ALL-RIGHTS-RESERVED; null when unknown.',
    complexity: PRICE.free,
  })
  code(@Root() license: domain.License): string | null {
    return licenseCode(license);
  }
}

/** The kind of artist as an enum and as a label in the request's language. */
@Resolver(() => Artist)
export class ArtistTypeResolver {
  @FieldResolver(() => ArtistKind, { nullable: true, description: 'Person, group, orchestra, choir, character or other; null where the source does not say.', complexity: PRICE.free })
  kind(@Root() artist: domain.Artist): ArtistKind | null {
    return artistKind(artist.type);
  }

  @FieldResolver(() => String, { nullable: true, description: "`kind` in the request's language: «Grupo», «Persona», «Orquesta»… (Group, Person, Orchestra…).", complexity: PRICE.free })
  typeLabel(@Root() artist: domain.Artist, @Ctx() { language }: RequestContext): string | null {
    const kind = artistKind(artist.type);
    return kind ? artistKindLabel(kind, language) : null;
  }
}
