import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi'
import { ApiError } from '../errors.ts'
import type { ApiApp, AppEnv } from '../context.ts'

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
  app.openapi(routed as R, handler)
}
