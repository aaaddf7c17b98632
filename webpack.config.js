/**
 * Added to @jupyter/builder's configuration: the extension's CSS ships inside its JS, so it is
 * minified first (comments and whitespace cost bytes every user downloads). Rules matching
 * the same file chain their loaders, and this one runs before css-loader.
 */
module.exports = {
  module: {
    rules: [
      {
        test: /(?<!\.raw)\.css$/,
        loader: 'builtin:lightningcss-loader',
        options: { minify: true }
      }
    ]
  }
};
