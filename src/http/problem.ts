/** Errors of the REST API as RFC 9457 problem details (`application/problem+json`). */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';

export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem; about:blank when the status says it all.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    /** Each input that was wrong, named, and why. */
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    /** Changes the ticket's rules refused, each with why. */
    rejected: z.array(z.string()).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Not applied',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export function problem(c: Context, status: ContentfulStatusCode, detail: string, extra: Partial<Problem> = {}, headers: Record<string, string> = {}): Response {
  const body: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json', ...headers });
}

/** zod's issues as named fields: `{"field":"subject","message":"…"}`, an unknown key named as its own field. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): { field: string; message: string }[] {
  return issues.flatMap((issue) => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, message: 'unknown field' }));
    return [{ field: at || '(body)', message: issue.message }];
  });
}
