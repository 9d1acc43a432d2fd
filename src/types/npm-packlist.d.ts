// npm-packlist ships no types; this is the part of its API we use.
declare module 'npm-packlist' {
  /** The files `npm pack` would put in the tarball of the package at `tree.path`, relative to it. */
  function packlist(tree: object, options?: { path?: string }): Promise<string[]>;
  export default packlist;
}
