#include "adapters/http/web_front_end.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include "adapters/http/http_error.hpp"

namespace kclinic::adapters::http {
namespace {

constexpr std::string_view kAssetsFolder = "assets";
// Vite names every file under assets/ by its content hash: a new build never changes a file under an old name.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

struct Extension {
    std::string_view extension;
    std::string_view content_type;
};

// RFC 9239 for JavaScript; the WHATWG manifest spec for webmanifest; IANA's media types for the rest.
constexpr std::array kContentTypes = {
    Extension{"html", "text/html; charset=utf-8"},
    Extension{"js", "text/javascript; charset=utf-8"},
    Extension{"mjs", "text/javascript; charset=utf-8"},
    Extension{"css", "text/css; charset=utf-8"},
    Extension{"svg", "image/svg+xml"},
    Extension{"png", "image/png"},
    Extension{"jpg", "image/jpeg"},
    Extension{"jpeg", "image/jpeg"},
    Extension{"webp", "image/webp"},
    Extension{"ico", "image/x-icon"},
    Extension{"woff2", "font/woff2"},
    Extension{"woff", "font/woff"},
    Extension{"json", "application/json"},
    Extension{"map", "application/json"},
    Extension{"webmanifest", "application/manifest+json"},
    Extension{"txt", "text/plain; charset=utf-8"},
    Extension{"gz", "application/gzip"},
};

// The path's segments, percent-decoded, or nullopt when the path could name something outside the front end's
// files (web_front_end.hpp lists the cases). The last segment may be empty ("/patients/").
std::optional<std::vector<std::string>> SafeSegments(std::string_view path) {
    if (path.empty() || path.front() != '/') {
        return std::nullopt;
    }
    std::vector<std::string> segments;
    path.remove_prefix(1);
    while (true) {
        const std::size_t slash = path.find('/');
        const std::string_view raw = path.substr(0, slash);
        std::optional<std::string> decoded = PercentDecode(raw);
        const bool last = slash == std::string_view::npos;
        if (!decoded || (decoded->empty() && !last) || (!decoded->empty() && decoded->front() == '.') ||
            decoded->find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
            return std::nullopt;
        }
        segments.push_back(std::move(*decoded));
        if (last) {
            return segments;
        }
        path.remove_prefix(slash + 1);
    }
}

// The comma-separated elements of a header's value, trimmed (RFC 9110 §5.6.1).
std::vector<std::string_view> ListElements(std::string_view value) {
    std::vector<std::string_view> elements;
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        if (std::string_view element = TrimWhitespace(value.substr(0, comma)); !element.empty()) {
            elements.push_back(element);
        }
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
    return elements;
}

// Whether Accept-Encoding accepts gzip (RFC 9110 §12.5.3): "gzip" (or "x-gzip") with a weight above 0, or "*" with a
// weight above 0 when gzip is not listed itself. No header: the identity only.
bool AcceptsGzip(const HttpRequest& request) {
    const std::optional<std::string_view> header = request.headers.Find("Accept-Encoding");
    if (!header) {
        return false;
    }
    std::optional<bool> gzip;
    bool any = false;
    for (std::string_view element : ListElements(*header)) {
        const std::size_t semicolon = element.find(';');
        const std::string_view coding = TrimWhitespace(element.substr(0, semicolon));
        bool accepted = true;
        if (semicolon != std::string_view::npos) {
            const std::string_view parameter = TrimWhitespace(element.substr(semicolon + 1));
            if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
                // A weight is "0", "0.", "0.0", ... "1": zero exactly when every digit is 0.
                accepted = TrimWhitespace(parameter.substr(2)).find_first_not_of("0.") != std::string_view::npos;
            }
        }
        if (EqualsIgnoringCase(coding, "gzip") || EqualsIgnoringCase(coding, "x-gzip")) {
            gzip = accepted;
        } else if (coding == "*") {
            any = accepted;
        }
    }
    return gzip.value_or(any);
}

// Whether If-None-Match names `etag` (weak comparison, RFC 9110 §13.1.2) or is "*".
bool NoneMatchHits(const HttpRequest& request, std::string_view etag) {
    const std::optional<std::string_view> header = request.headers.Find("If-None-Match");
    if (!header) {
        return false;
    }
    return std::ranges::any_of(ListElements(*header), [etag](std::string_view tag) {
        if (tag.starts_with("W/")) {
            tag.remove_prefix(2);
        }
        return tag == "*" || tag == etag;
    });
}

void AddSecurityHeaders(HttpResponse& response) {
    response.headers.Set("Content-Security-Policy", std::string(kContentSecurityPolicy));
    response.headers.Set("X-Content-Type-Options", "nosniff");
    response.headers.Set("Referrer-Policy", "no-referrer");
    response.headers.Set("X-Frame-Options", "DENY");
}

HttpResponse NotFound(const HttpRequest& request) {
    HttpResponse response = ErrorResponse(Error{ErrorCode::kNotFound, "", "nothing at " + request.path});
    AddSecurityHeaders(response);
    return response;
}

// `relative` (a file that exists) as the response: its .gz sibling when the client accepts gzip and there is one,
// 304 when If-None-Match names the representation's ETag.
HttpResponse FileResponse(const WebFiles& files, const HttpRequest& request, const std::string& relative,
                          WebFile file) {
    bool gzipped = false;
    if (AcceptsGzip(request)) {
        if (std::optional<WebFile> sibling = files(relative + ".gz")) {
            file = std::move(*sibling);
            gzipped = true;
        }
    }
    HttpResponse response;
    response.headers.Set(
        "Cache-Control",
        std::string(relative.starts_with(std::string(kAssetsFolder) + "/") ? kImmutable : kRevalidate));
    response.headers.Set("ETag", file.etag);
    response.headers.Set("Vary", "Accept-Encoding");
    AddSecurityHeaders(response);
    if (NoneMatchHits(request, file.etag)) {
        // RFC 9110 §15.4.5: the validators and caching fields a 200 would carry, and no content.
        response.status = 304;
        response.content_type.clear();
        return response;
    }
    response.status = 200;
    response.content_type = std::string(ContentTypeFor(relative).value_or("application/octet-stream"));
    if (gzipped) {
        response.headers.Set("Content-Encoding", "gzip");
    }
    response.body = std::move(file.bytes);
    return response;
}

HttpResponse Serve(const WebFiles& files, const HttpRequest& request) {
    std::optional<std::vector<std::string>> segments = SafeSegments(request.path);
    if (!segments) {
        return NotFound(request);
    }
    const std::string& last = segments->back();
    if (!last.empty()) {
        std::string relative;
        for (const std::string& segment : *segments) {
            relative += (relative.empty() ? "" : "/") + segment;
        }
        if (std::optional<WebFile> file = files(relative)) {
            return FileResponse(files, request, relative, std::move(*file));
        }
        if (segments->front() == kAssetsFolder || ContentTypeFor(last)) {
            return NotFound(request);
        }
    } else if (segments->size() > 1 && segments->front() == kAssetsFolder) {
        return NotFound(request);
    }
    std::optional<WebFile> shell = files("index.html");
    if (!shell) {
        return NotFound(request);  // deleted from a --web-root folder after start
    }
    return FileResponse(files, request, "index.html", std::move(*shell));
}

}  // namespace

std::optional<std::string_view> ContentTypeFor(std::string_view file_name) {
    const std::size_t dot = file_name.rfind('.');
    if (dot == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view extension = file_name.substr(dot + 1);
    const auto* found = std::ranges::find_if(
        kContentTypes, [extension](const Extension& known) { return EqualsIgnoringCase(known.extension, extension); });
    if (found == kContentTypes.end()) {
        return std::nullopt;
    }
    return found->content_type;
}

std::string StrongEtag(std::string_view bytes) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string etag = "\"";
    for (std::size_t i = 0; i < 16; ++i) {
        etag += kHex[digest[i] >> 4];
        etag += kHex[digest[i] & 0x0F];
    }
    return etag + "\"";
}

WebFiles EmbeddedWebFiles(const WebBundle& bundle) {
    return [files = bundle.files](const std::string& relative) -> std::optional<WebFile> {
        const auto found =
            std::ranges::find_if(files, [&relative](const WebBundleFile& file) { return file.path == relative; });
        if (found == files.end()) {
            return std::nullopt;
        }
        return WebFile{std::string(found->bytes), std::string(found->etag)};
    };
}

Result<WebFiles> DirectoryWebFiles(const std::filesystem::path& root) {
    namespace fs = std::filesystem;
    std::error_code error;
    fs::path real_root = fs::canonical(root, error);
    if (error || !fs::is_directory(real_root, error)) {
        return Error{ErrorCode::kInvalidArgument, "", root.string() + " is not a folder"};
    }
    if (!fs::is_regular_file(real_root / "index.html", error)) {
        return Error{ErrorCode::kInvalidArgument, "",
                     root.string() + " holds no index.html: name the folder that `npm run build` writes (web/dist)"};
    }
    return WebFiles([real_root = std::move(real_root)](const std::string& relative) -> std::optional<WebFile> {
        std::error_code ignored;
        const fs::path real = fs::canonical(real_root / relative, ignored);
        if (ignored) {
            return std::nullopt;
        }
        // Inside the root when the root's components are a prefix of the file's, symbolic links already resolved.
        const auto [in_root, in_file] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
        if (in_root != real_root.end() || in_file == real.end() || !fs::is_regular_file(real, ignored)) {
            return std::nullopt;
        }
        std::ifstream in(real, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in) {
            return std::nullopt;
        }
        std::string content = std::move(bytes).str();
        std::string etag = StrongEtag(content);
        return WebFile{std::move(content), std::move(etag)};
    });
}

void AddWebFrontEnd(Router& router, WebFiles files) {
    router.SetFallback("web", [files = std::move(files)](const HttpRequest& request, const PathParams&) {
        return Serve(files, request);
    });
}

}  // namespace kclinic::adapters::http
