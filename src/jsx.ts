import React from 'react';

/**
 * The JSX factory (tsconfig `jsxFactory`/`jsxFragmentFactory`): React's own, under a
 * module-level name, so the bundle calls a short local at each of the ~600 elements instead
 * of repeating the property access `React.createElement` (about 9 KB of the bundle).
 * Every .tsx file imports `h` (and `Fragment` when it uses `<>`).
 */
export const h = React.createElement;
export const Fragment = React.Fragment;
