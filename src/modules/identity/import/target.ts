import { reaches, type Actor } from '../../../core/actor.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../../core/errors.js';
import type { OrgService } from '../../org/service.js';
import type { ImportTarget } from './kinds.js';

export interface TargetRequest {
  /** Source system code, e.g. CARDS. */
  source: string;
  /** Division code or name; needed only when the source system does not exist yet. */
  division?: string;
}

const slug = (name: string) => name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Checks now (before a file is read) that the actor may import into the named source, and returns the step that
 * creates the division and source system on first import, run only once the file has passed validation.
 */
export async function planTarget(org: OrgService, actor: Actor, req: TargetRequest): Promise<() => Promise<ImportTarget>> {
  if (!actor.can('source-records', 'write')) throw new ForbiddenError('you may not import records');
  const existing = await org.getSourceSystemByCode(actor, req.source);
  const divisions = await org.listDivisions(actor);
  const wanted = req.division?.trim().toLowerCase();
  const division = wanted ? divisions.find((d) => d.code.toLowerCase() === wanted || d.name.toLowerCase() === wanted || d.code.toLowerCase() === slug(wanted)) : undefined;
  if (existing) {
    if (!reaches(actor, 'source-records', 'write', { divisionId: existing.divisionId })) throw new ForbiddenError(`source ${req.source} belongs to a division you do not work in`);
    if (wanted && division?.id !== existing.divisionId) {
      throw new ConflictError(`source ${req.source} already belongs to another division than "${req.division}"`, [{ path: 'division', message: 'does not own this source' }]);
    }
    return async () => ({ tenantId: actor.tenantId, sourceSystemId: existing.id, divisionId: existing.divisionId });
  }
  if (!req.division) {
    throw new ValidationError(`source ${req.source} does not exist yet; name its division (--division) to create it`, [{ path: 'division', message: 'required for a new source' }]);
  }
  if (!actor.can('source-systems', 'admin')) throw new ForbiddenError(`source ${req.source} does not exist and only administrators register new sources`);
  const divisionCode = division?.code ?? (slug(req.division) || req.division);
  const divisionName = division?.name ?? req.division.trim();
  return async () => {
    const created = await org.ensureSource(actor, { code: req.source, divisionCode, divisionName });
    return { tenantId: actor.tenantId, sourceSystemId: created.id, divisionId: created.divisionId };
  };
}
