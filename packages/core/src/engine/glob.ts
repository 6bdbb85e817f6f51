const cache = new Map<string, RegExp>();

/** `*` matches any run of characters, `?` one; everything else literally. Compiled once per glob. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    cache.set(glob, re);
  }
  return re;
}
