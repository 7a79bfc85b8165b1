import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** RFC 9457 problem details: the single error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** A failed API call. `fieldErrors` keys are the field names of the body or query ("email", not "body/email"). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const issue of this.problem.errors ?? []) {
      const field = issue.path.split('/').slice(1).join('.') || issue.path;
      out[field] ??= issue.message;
    }
    return out;
  }
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P] extends Record<M, object> ? P : never }[keyof paths];
type Operation<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;

type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? ([Q] extends [never | undefined] ? never : NonNullable<Q>) : never;
type PathOf<O> = O extends { parameters: { path: infer P } } ? ([P] extends [never | undefined] ? never : P) : never;
type BodyOf<O> = O extends { requestBody?: infer RB }
  ? [NonNullable<RB>] extends [never]
    ? never
    : NonNullable<RB> extends { content: { 'application/json': infer B } }
      ? B
      : never
  : never;
type Success<R> = R extends { 200: { content: { 'application/json': infer T } } }
  ? T
  : R extends { 201: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 202: { content: { 'application/json': infer T } } }
      ? T
      : R extends { 204: unknown }
        ? null
        : unknown;
export type ResponseOf<P extends keyof paths, M extends Method> = Operation<P, M> extends { responses: infer R } ? Success<R> : never;

type Optional<K extends string, T> = [T] extends [never] ? { [k in K]?: never } : { [k in K]: T };
export type RequestOptions<P extends keyof paths, M extends Method> = Optional<'query', QueryOf<Operation<P, M>>> &
  Optional<'path', PathOf<Operation<P, M>>> &
  Optional<'body', BodyOf<Operation<P, M>>> & { signal?: AbortSignal };

const UNSAFE = new Set(['post', 'patch', 'put', 'delete']);

/**
 * A thin fetch wrapper typed by the OpenAPI document. The session cookie is httpOnly, so the only state it
 * keeps is the CSRF token the server hands out at sign-in (and again from /auth/me after a reload).
 */
class ApiClient {
  private csrfToken: string | null = null;
  private unauthenticatedListener: (() => void) | null = null;

  setCsrfToken(token: string | null | undefined) {
    this.csrfToken = token ?? null;
  }

  /** Called when any call other than the session check answers 401: the session expired or was revoked. */
  onUnauthenticated(listener: (() => void) | null) {
    this.unauthenticatedListener = listener;
  }

  get<P extends PathsWith<'get'>>(path: P, ...opts: OptionalArgs<P, 'get'>) {
    return this.request(path, 'get', opts[0]);
  }
  post<P extends PathsWith<'post'>>(path: P, ...opts: OptionalArgs<P, 'post'>) {
    return this.request(path, 'post', opts[0]);
  }
  patch<P extends PathsWith<'patch'>>(path: P, ...opts: OptionalArgs<P, 'patch'>) {
    return this.request(path, 'patch', opts[0]);
  }
  /** A multipart/form-data upload (a file import): the browser writes the content type and its boundary. */
  postForm<P extends PathsWith<'post'>>(path: P, form: FormData, opts?: { signal?: AbortSignal }) {
    return this.request(path, 'post', { ...opts, form } as unknown as RequestOptions<P, 'post'>);
  }

  async request<P extends keyof paths, M extends Method>(path: P, method: M, opts?: RequestOptions<P, M>): Promise<ResponseOf<P, M>> {
    const o = (opts ?? {}) as { query?: Record<string, unknown>; path?: Record<string, string>; body?: unknown; form?: FormData; signal?: AbortSignal };
    const url = buildUrl(path, o.path, o.query);
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (UNSAFE.has(method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let res: Response;
    try {
      res = await fetch(url, {
        method: method.toUpperCase(),
        headers,
        body: o.form ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
        credentials: 'same-origin',
        signal: o.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError({ type: 'network', title: 'Network error', status: 0, detail: 'The server could not be reached. Check your connection and try again.' });
    }
    if (res.status === 204) return null as ResponseOf<P, M>;
    const text = await res.text();
    const data: unknown = text ? safeJson(text) : null;
    if (!res.ok) {
      const problem = isProblem(data) ? data : { type: 'http', title: res.statusText || 'Error', status: res.status, detail: `The server answered ${res.status}.` };
      if (res.status === 401 && path !== '/api/v1/auth/me' && path !== '/api/v1/auth/login') this.unauthenticatedListener?.();
      throw new ApiError(problem);
    }
    return data as ResponseOf<P, M>;
  }
}

type OptionalArgs<P extends keyof paths, M extends Method> =
  PathOf<Operation<P, M>> extends never ? (BodyOf<Operation<P, M>> extends never ? [opts?: RequestOptions<P, M>] : [opts: RequestOptions<P, M>]) : [opts: RequestOptions<P, M>];

function buildUrl(template: string, params?: Record<string, string>, query?: Record<string, unknown>) {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isProblem(data: unknown): data is Problem {
  return !!data && typeof data === 'object' && typeof (data as Problem).status === 'number' && typeof (data as Problem).title === 'string';
}

export const api = new ApiClient();
