#pragma once

// The clinic's web front end (web/, a single-page application built into web/dist) as the HTTP server serves it
// at `/`, from the files embedded in the binary or, for development, from a folder on disk (`kclinic serve
// --web-root DIR`). docs/api.md "The web front end" documents the responses.
//
// Every response carries the strict Content-Security-Policy below and X-Content-Type-Options, Referrer-Policy and
// X-Frame-Options, 404s and 304s included. Caching (RFC 9111): files under assets/ are named by their content hash
// (Vite's build.assetsDir), so they are `public, max-age=31536000, immutable`; everything else (index.html above
// all, which names the current assets) is `no-cache`, revalidated by its strong ETag (If-None-Match -> 304). A
// precompressed NAME.gz beside NAME is sent, with `Content-Encoding: gzip`, to a client whose Accept-Encoding
// accepts gzip; every response says `Vary: Accept-Encoding`.
//
// What a GET (or HEAD) answers, for a path the router leaves to the front end (Router::SetFallback: not /api/...,
// /healthz, /metrics):
//   - the file at that path, when there is one;
//   - 404 when there is none and the path is under /assets/ or its last segment has a file extension listed in
//     ContentTypeFor: a missing script or image must fail as one, not arrive as HTML;
//   - otherwise the app shell, index.html (200, no-cache), so that /patients/12 reloads into the application;
//   - 404 for a path that could name something outside the front end's files: a segment that is empty (but the
//     last), or that starts with '.' (".", "..", dotfiles), or whose percent-decoding fails or yields '/', '\' or
//     NUL.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/router.hpp"
#include "adapters/http/web_bundle.hpp"
#include "base/result.hpp"

namespace kclinic::adapters::http {

// CSP Level 3 ("Does url match expression in origin with redirect count?"): 'self' also matches ws: and wss: URLs of
// the page's own host and port, so connect-src 'self' lets the live channel (/api/v1/live) connect (Chromium does;
// web/tests check it). No inline script or style anywhere: the built index.html has none.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

// A file of the front end as found for a request.
struct WebFile {
    std::string bytes;
    std::string etag;  // strong and quoted, as WebBundleFile::etag
};

// Where the front end's files come from. Called with a relative path that is already safe ('/'-separated segments,
// none empty and none starting with '.', no '\' or NUL); returns the file there, or nullopt when there is none.
// Called on many worker threads at once: must be thread-safe.
using WebFiles = std::function<std::optional<WebFile>(const std::string& relative_path)>;

// The files of `bundle`. The bundle's bytes are static, so the function holds only views of them.
[[nodiscard]] WebFiles EmbeddedWebFiles(const WebBundle& bundle);

// The files under the folder `root`, read at every request (a rebuilt dist is served at once). A file is served
// only when its real path, every symbolic link resolved, lies inside root's real path. Errors: kInvalidArgument
// (no field) when `root` is not a folder, or holds no index.html.
[[nodiscard]] Result<WebFiles> DirectoryWebFiles(const std::filesystem::path& root);

// The strong ETag of `bytes` as WebBundleFile::etag spells it (cmake/EmbedWeb.cmake computes the same).
[[nodiscard]] std::string StrongEtag(std::string_view bytes);

// The Content-Type for a file name by its extension (html, js, mjs, css, svg, png, jpg, webp, ico, woff2, woff,
// json, map, webmanifest, txt, gz); nullopt for any other.
[[nodiscard]] std::optional<std::string_view> ContentTypeFor(std::string_view file_name);

// Serves `files` as described above, as `router`'s fallback (route label "web"). REQUIRES: files has index.html.
void AddWebFrontEnd(Router& router, WebFiles files);

}  // namespace kclinic::adapters::http
