import { describe, expect, it } from 'vitest'
import { Mailmap } from '../src/objects/mailmap.ts'

const who = (name: string, email: string) => ({ name, email, timestamp: 1, timezoneOffset: 0 })

describe('Mailmap', () => {
  const map = new Mailmap(
    [
      '# a comment <skip@example.com>',
      'Ada Lovelace <ada@old.example>',
      '<grace@new.example> <grace@old.example>',
      'Alan Turing <alan@new.example> <alan@old.example>',
      'Ken <ken@new.example> ken t <ken@old.example>',
      'Kenneth <ken@old.example>',
      'no email here',
      '',
    ].join('\n'),
  )

  it('reads the four forms git reads, and skips comments and malformed lines', () => {
    expect(map.size).toBe(4)
    expect(map.map(who('ada', 'ADA@old.example'))).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ADA@old.example',
    })
    expect(map.map(who('Grace', 'grace@old.example'))).toMatchObject({
      name: 'Grace',
      email: 'grace@new.example',
    })
    expect(map.map(who('turing', 'alan@old.example'))).toMatchObject({
      name: 'Alan Turing',
      email: 'alan@new.example',
    })
  })

  it('matches the commit name too when the line gives one, else the plain entry', () => {
    expect(map.map(who('Ken T', 'ken@old.example'))).toMatchObject({
      name: 'Ken',
      email: 'ken@new.example',
    })
    expect(map.map(who('Someone', 'ken@old.example'))).toMatchObject({
      name: 'Kenneth',
      email: 'ken@old.example',
    })
    expect(map.map(who('Nobody', 'nobody@example.com'))).toMatchObject({ name: 'Nobody' })
  })
})
