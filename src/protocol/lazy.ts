// Schemas built on first use. The protocol declares about two thousand zod schemas, and building them all
// when the modules load was a third of a server's start; answering `initialize` needs a handful.
//
// The pattern every protocol file follows (a unit test checks that loading the protocol builds no schema):
//   export const Foo = lazy(() => z.object({ … }));        a named schema, built when first used
//   export type Foo = z.infer<typeof Foo>;                 its type, as before
//   const scope = () => ({ threadId: z.string() });        a shape shared by several objects: `...scope()`
//   export const FooGet = request('foo/get', () => z.object({ id: z.string() }), () => Foo);
// Descriptors take builders for their params and result and build each once, on first use.

/**
 * A stand-in for `build()` that builds it on first use and from then on is that schema to every reader: its
 * prototype and its properties become the built schema's, `instanceof` and composition into other schemas
 * included. Until then its prototype is a proxy that builds on the first property read, `in` test or write
 * that reaches it. Once built, the proxy is out of the prototype chain, so parsing costs what it did.
 */
export function lazy<T extends object>(build: () => T): T {
  const stand = {} as T;
  let state: 'unbuilt' | 'building' | 'built' = 'unbuilt';
  const materialize = () => {
    if (state === 'built') return;
    if (state === 'building') throw new Error('a lazy schema refers to itself while it is being built; use z.lazy() for a recursive schema');
    state = 'building';
    try {
      const built = build();
      Object.defineProperties(stand, Object.getOwnPropertyDescriptors(built));
      Object.setPrototypeOf(stand, Object.getPrototypeOf(built));
      state = 'built';
    } finally {
      if (state === 'building') state = 'unbuilt';
    }
  };
  const unbuilt = new Proxy(Object.create(null) as object, {
    get(_, key, receiver) {
      materialize();
      return Reflect.get(stand, key, receiver);
    },
    has(_, key) {
      materialize();
      return Reflect.has(stand, key);
    },
    set(_, key, value, receiver) {
      materialize();
      return Reflect.set(stand, key, value, receiver);
    },
  });
  Object.setPrototypeOf(stand, unbuilt);
  return stand;
}

/** A value, or a function that builds it. */
export type Builder<T> = T | (() => T);

/** `build` run once, on the first call; a value (not a function) is returned as it is. */
export function once<T extends object>(build: Builder<T>): () => T {
  if (typeof build !== 'function') return () => build;
  let value: T | undefined;
  return () => (value ??= (build as () => T)());
}
