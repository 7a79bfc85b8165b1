/**
 * One error type per failure kind; the API maps them to application/problem+json (RFC 9457) in one place,
 * the CLI to a one-line message and a non-zero exit.
 */
export interface FieldIssue {
  /** JSON-pointer-like path to the failing field, e.g. "body/email" or "query/limit". */
  path: string;
  message: string;
}

export abstract class RapportError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends RapportError {
  readonly status = 400;
  readonly type = 'validation';
}
export class UnauthenticatedError extends RapportError {
  readonly status = 401;
  readonly type = 'unauthenticated';
}
export class ForbiddenError extends RapportError {
  readonly status = 403;
  readonly type = 'forbidden';
}
export class NotFoundError extends RapportError {
  readonly status = 404;
  readonly type = 'not-found';
  constructor(resource: string, id?: string) {
    super(id ? `${resource} ${id} not found` : `${resource} not found`);
  }
}
export class ConflictError extends RapportError {
  readonly status = 409;
  readonly type = 'conflict';
}
export class UnprocessableError extends RapportError {
  readonly status = 422;
  readonly type = 'unprocessable';
}
