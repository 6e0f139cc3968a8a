// puppeteer (mermaid-cli's peer dependency) must not download a browser at install time: the
// test drives Debian's /usr/bin/chromium (tests/chromium/install.sh). install.sh also sets
// PUPPETEER_SKIP_DOWNLOAD=1; this file keeps a hand-run `npm ci` here from downloading too.
module.exports = { skipDownload: true };
