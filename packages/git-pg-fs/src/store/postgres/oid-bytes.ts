/** Object ids as the 20-byte `bytea` values the tables key on, for a `bytea[]` parameter. */
export const oidBytes = (oids: Iterable<string>): Buffer[] =>
  Array.from(oids, (o) => Buffer.from(o, 'hex'))
