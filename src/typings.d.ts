/**
 * package.json lies outside `rootDir`, so TypeScript is told only the fields we read;
 * the bundler (and Jest) load the real file.
 */
declare module '*/package.json' {
  const packageInfo: { name: string; version: string };
  export default packageInfo;
}

declare module '*.svg' {
  const svgText: string;
  export default svgText;
}
