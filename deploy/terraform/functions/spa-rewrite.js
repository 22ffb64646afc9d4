// CloudFront Function (cloudfront-js-2.0, viewer request) of the web app's default behaviour:
// a path whose last segment has no dot is a route of the single-page app (/loans, /loans/<id>,
// /repayments, ...) and gets /index.html; files (/config.json, /favicon.ico, ...) pass unchanged.
// /assets/* has its own behaviour without this function. Tested with node by
// deploy/tests/test_hosting.py (the same file is the function's code: no copy).
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
