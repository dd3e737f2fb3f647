import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi'
import { ApiError } from '../errors.ts'
import type { ApiApp, AppEnv } from '../context.ts'
import { pathFromUrl } from './url-path.ts'

/** The app with request validation errors turned into 400 `VALIDATION_FAILED`. */
export function createApiApp(): ApiApp {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return
      const issues = result.error.issues.map((i) => ({
        in: result.target,
        field: i.path.join('.'),
        message: i.message,
      }))
      const first = issues[0]
      throw new ApiError(
        'VALIDATION_FAILED',
        `invalid ${first.in}${first.field ? ` ${first.field}` : ''}: ${first.message}`,
        { issues },
      )
    },
  })
}

/**
 * Registers a route whose last parameter (a file path, a branch name) may contain "/":
 * documented as `{path}`, routed as `:path{[\s\S]+}` (any character, newlines too, so bad paths reach validation).
 * A file path (`{path}`) is read from the URL's raw bytes (`withRawPath`), so a name that is not
 * UTF-8 can be given percent-encoded.
 */
export function openapiWithPath<R extends RouteConfig>(
  app: ApiApp,
  route: R,
  handler: RouteHandler<R, AppEnv>,
  param = 'path',
): void {
  app.openAPIRegistry.registerPath(route)
  const routed = {
    ...route,
    path: route.path.replace(`{${param}}`, `{${param}{[\\s\\S]+}}`),
    hide: true,
  }
  app.openapi(routed as R, param === 'path' ? withRawPath(route.path, handler) : handler)
}

/**
 * The handler with the validated `path` parameter replaced by the path decoded from the URL's
 * bytes: Hono decodes parameters as UTF-8 and leaves what is not UTF-8 percent-encoded, which
 * cannot be told from a name holding a literal `%`.
 */
export function withRawPath<R extends RouteConfig>(
  template: string,
  handler: RouteHandler<R, AppEnv>,
): RouteHandler<R, AppEnv> {
  const before = template.split('/').indexOf('{path}') - 1
  if (before < 0) throw new TypeError(`${template} has no {path} parameter`)
  return ((c, next) => {
    const params = c.req.valid('param' as never) as Record<string, string>
    params.path = pathFromUrl(c.req.url, before)
    return handler(c, next)
  }) as RouteHandler<R, AppEnv>
}
