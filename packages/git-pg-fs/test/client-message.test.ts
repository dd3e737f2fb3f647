import { describe, expect, it } from 'vitest'
import { BadPackError, ObjectTooLargeError } from '../src/errors.ts'
import { clientMessage } from '../src/protocol/client-message.ts'

describe('clientMessage', () => {
  it('shows a runtime or database error as a generic line', () => {
    expect(clientMessage(new RangeError('Invalid string length'))).toBe('internal error')
    const pgError = Object.assign(
      new Error('value "99999999999999999999" is out of range for type bigint'),
      {
        code: '22003',
      },
    )
    expect(clientMessage(pgError)).toBe('internal error')
    expect(clientMessage('thrown string')).toBe('internal error')
  })

  it("shows gitpg's own errors as one printable line, shortened", () => {
    expect(
      clientMessage(new ObjectTooLargeError({ oid: null, size: 524288000, limit: 100 << 20 })),
    ).toBe('object is 524288000 bytes, more than the 100 MB limit')
    expect(clientMessage(new BadPackError('bad\nsecond line'))).toBe('bad')
    expect(clientMessage(new BadPackError('tab\there\u0007'))).toBe('tab?here?')
    expect(clientMessage(new BadPackError('x'.repeat(1000))).length).toBe(303)
  })
})
