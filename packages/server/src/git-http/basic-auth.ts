/** The 401 git understands: it asks its credential helper, then retries with Basic auth. */
export function unauthorized(): Response {
  return new Response('authentication required: use the API key as the password\n', {
    status: 401,
    headers: {
      'WWW-Authenticate': 'Basic realm="gitpg", charset="UTF-8"',
      'Content-Type': 'text/plain; charset=utf-8',
    },
  })
}
