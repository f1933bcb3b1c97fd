import { Ctx, Query, Resolver } from 'type-graphql';
import { KEY_REQUIRED } from '../../auth/messages.js';
import { isAdmin, isReadOnly } from '../../auth/types.js';
import { ApiError } from '../../errors/api.js';
import type { RequestContext } from '../context.js';
import { Viewer } from '../types/viewer.js';
import { PRICE } from '../cost.js';

@Resolver()
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The calling key: its scope and the sources it may use.', complexity: PRICE.free })
  viewer(@Ctx() { principal, services }: RequestContext): Viewer {
    if (!principal) throw new ApiError('UNAUTHENTICATED', KEY_REQUIRED);
    const admin = isAdmin(principal);
    return {
      keyId: principal.keyId,
      scope: principal.scope,
      label: principal.label,
      isAdmin: admin,
      readOnly: isReadOnly(principal),
      allowedSources: admin ? services.providers.all().map((provider) => provider.id) : [principal.scope],
    };
  }
}
