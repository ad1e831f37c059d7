#include "adapters/http/web_front_end.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "adapters/http/web_bundle.hpp"
#include "base/temp_folder_testing.hpp"

namespace kclinic::adapters::http {
namespace {

namespace fs = std::filesystem;
using kclinic::testing::TempFolder;

constexpr std::string_view kShell =
    "<!doctype html><title>kclinic</title><script type=module src=/assets/app-abc123.js>"
    "</script>";
constexpr std::string_view kScript = "console.log('kclinic');";
constexpr std::string_view kScriptGz = "\x1f\x8b pretend gzip of the script";

// A fixture dist on disk, as `npm run build` lays one out, beside a secret outside it.
class WebFrontEndTest : public ::testing::Test {
protected:
    WebFrontEndTest() {
        fs::create_directories(dist_ / "assets");
        TempFolder::Write(dist_ / "index.html", kShell);
        TempFolder::Write(dist_ / "assets/app-abc123.js", kScript);
        TempFolder::Write(dist_ / "assets/app-abc123.js.gz", kScriptGz);
        TempFolder::Write(dist_ / "favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
        TempFolder::Write(dist_ / ".env", "SECRET=1");
        TempFolder::Write(folder_ / "secret.txt", "not for the web");
        fs::create_symlink(folder_ / "secret.txt", dist_ / "leak.txt");
        fs::create_symlink(folder_, dist_ / "up");
        fs::create_symlink(dist_ / "favicon.svg", dist_ / "icon.svg");  // inside: fine
    }
    // The web front end on `files` as the only thing a router serves, asked `method path` with `headers`.
    static HttpResponse Ask(const WebFiles& files, Method method, const std::string& path,
                            std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
        Router router;
        router.Add(Method::kGet, "/api/v1/patients", [](const HttpRequest&, const PathParams&) {
            return HttpResponse{200, "application/json", {}, "[]"};
        });
        AddWebFrontEnd(router, files);
        HttpRequest request;
        request.method = method;
        request.path = path;
        request.target = path;
        for (const auto& [name, value] : headers) {
            request.headers.Add(name, value);
        }
        RouteMatch match = router.Match(request);
        if (match.handler == nullptr) {
            return match.refusal;
        }
        EXPECT_EQ(match.route, path.starts_with("/api/") ? "/api/v1/patients" : "web") << path;
        return (*match.handler)(request, match.params);
    }

    WebFiles Dist() const {
        Result<WebFiles> files = DirectoryWebFiles(dist_);
        EXPECT_TRUE(files.ok()) << (files.ok() ? "" : files.error().ToString());
        return files.ok() ? files.value() : WebFiles();
    }

    TempFolder temp_{"kclinic_web_"};
    const fs::path folder_ = temp_.path();
    const fs::path dist_ = folder_ / "dist";
};

void ExpectSecurityHeaders(const HttpResponse& response, const std::string& what) {
    EXPECT_EQ(response.headers.Find("Content-Security-Policy"),
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
              "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        << what;
    EXPECT_EQ(response.headers.Find("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_EQ(response.headers.Find("Referrer-Policy"), "no-referrer") << what;
    EXPECT_EQ(response.headers.Find("X-Frame-Options"), "DENY") << what;
}

TEST_F(WebFrontEndTest, ServesTheShellAtTheRootAndForEveryApplicationRoute) {
    const WebFiles files = Dist();
    for (const std::string path :
         {"/", "/index.html", "/patients/12", "/patients/12/sessions/3", "/board/", "/portal?step=2"}) {
        const HttpResponse response = Ask(files, Method::kGet, path.substr(0, path.find('?')));
        EXPECT_EQ(response.status, 200) << path;
        EXPECT_EQ(response.body, kShell) << path;
        EXPECT_EQ(response.content_type, "text/html; charset=utf-8") << path;
        EXPECT_EQ(response.headers.Find("Cache-Control"), "no-cache") << path;
        EXPECT_EQ(response.headers.Find("ETag"), StrongEtag(kShell)) << path;
        EXPECT_EQ(response.headers.Find("Vary"), "Accept-Encoding") << path;
        ExpectSecurityHeaders(response, path);
    }
    // The API keeps its own routes and its JSON 404.
    EXPECT_EQ(Ask(files, Method::kGet, "/api/v1/patients").body, "[]");
    const HttpResponse missing = Ask(files, Method::kGet, "/api/v1/nothing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.content_type, "application/json");
}

TEST_F(WebFrontEndTest, HashedAssetsAreImmutableAndOtherFilesRevalidate) {
    const WebFiles files = Dist();
    const HttpResponse script = Ask(files, Method::kGet, "/assets/app-abc123.js");
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(script.body, kScript);
    EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(script.headers.Find("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(script.headers.Find("Content-Encoding"), std::nullopt);
    ExpectSecurityHeaders(script, "script");

    const HttpResponse icon = Ask(files, Method::kGet, "/favicon.svg");
    EXPECT_EQ(icon.status, 200);
    EXPECT_EQ(icon.content_type, "image/svg+xml");
    EXPECT_EQ(icon.headers.Find("Cache-Control"), "no-cache");
}

TEST_F(WebFrontEndTest, SendsThePrecompressedFileOnlyToAClientThatAcceptsGzip) {
    const WebFiles files = Dist();
    for (const std::string accept : {"gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "*", "identity, *;q=0.1"}) {
        const HttpResponse response = Ask(files, Method::kGet, "/assets/app-abc123.js", {{"Accept-Encoding", accept}});
        EXPECT_EQ(response.body, kScriptGz) << accept;
        EXPECT_EQ(response.headers.Find("Content-Encoding"), "gzip") << accept;
        EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8") << accept;
        EXPECT_EQ(response.headers.Find("ETag"), StrongEtag(kScriptGz)) << accept;
        EXPECT_EQ(response.headers.Find("Vary"), "Accept-Encoding") << accept;
    }
    for (const std::string accept : {"", "br", "gzip;q=0", "gzip;q=0.000, br", "*;q=0", "gzip;q=0, *"}) {
        const HttpResponse response = Ask(files, Method::kGet, "/assets/app-abc123.js", {{"Accept-Encoding", accept}});
        EXPECT_EQ(response.body, kScript) << accept;
        EXPECT_EQ(response.headers.Find("Content-Encoding"), std::nullopt) << accept;
        EXPECT_EQ(response.headers.Find("ETag"), StrongEtag(kScript)) << accept;
    }
    // No sibling: the file as it is.
    EXPECT_EQ(Ask(files, Method::kGet, "/", {{"Accept-Encoding", "gzip"}}).body, kShell);
}

TEST_F(WebFrontEndTest, AnswersNotModifiedWhenIfNoneMatchNamesTheEtag) {
    const WebFiles files = Dist();
    const std::string etag = StrongEtag(kScript);
    for (const std::string& tags : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
        const HttpResponse response = Ask(files, Method::kGet, "/assets/app-abc123.js", {{"If-None-Match", tags}});
        EXPECT_EQ(response.status, 304) << tags;
        EXPECT_EQ(response.body, "") << tags;
        EXPECT_EQ(response.content_type, "") << tags;
        EXPECT_EQ(response.headers.Find("ETag"), etag) << tags;
        EXPECT_EQ(response.headers.Find("Cache-Control"), "public, max-age=31536000, immutable") << tags;
        ExpectSecurityHeaders(response, tags);
    }
    EXPECT_EQ(Ask(files, Method::kGet, "/assets/app-abc123.js", {{"If-None-Match", "\"other\""}}).status, 200);
    // The gzip representation has its own tag: the identity one does not validate it.
    EXPECT_EQ(Ask(files, Method::kGet, "/assets/app-abc123.js", {{"If-None-Match", etag}, {"Accept-Encoding", "gzip"}})
                  .status,
              200);
    // The shell of an application route revalidates like index.html.
    EXPECT_EQ(Ask(files, Method::kGet, "/patients/3", {{"If-None-Match", StrongEtag(kShell)}}).status, 304);
}

TEST_F(WebFrontEndTest, AMissingAssetOrFileIsA404NotTheShell) {
    const WebFiles files = Dist();
    for (const std::string path : {"/assets/app-missing1.js", "/assets/", "/assets/logo.png", "/robots.txt",
                                   "/favicon.ico", "/site.webmanifest", "/fonts/x.woff2"}) {
        const HttpResponse response = Ask(files, Method::kGet, path);
        EXPECT_EQ(response.status, 404) << path;
        EXPECT_EQ(response.content_type, "application/json") << path;
        ExpectSecurityHeaders(response, path);
    }
}

TEST_F(WebFrontEndTest, NeverServesOutsideTheFolder) {
    const WebFiles files = Dist();
    for (const std::string path :
         {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
          "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt", "/.env", "/%2eenv", "/leak.txt", "/up/secret.txt",
          "/assets//app-abc123.js", "/index.html%00.js", "/%zz", "/assets/%"}) {
        const HttpResponse response = Ask(files, Method::kGet, path);
        EXPECT_EQ(response.status, 404) << path;
        EXPECT_EQ(response.body.find("not for the web"), std::string::npos) << path;
        EXPECT_EQ(response.body.find("SECRET"), std::string::npos) << path;
    }
    // A symbolic link that stays inside the folder is served.
    EXPECT_EQ(Ask(files, Method::kGet, "/icon.svg").status, 200);
}

TEST_F(WebFrontEndTest, RefusesAFolderWithoutIndexHtml) {
    const Result<WebFiles> missing = DirectoryWebFiles(folder_ / "none");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(missing.error().message, (folder_ / "none").string() + " is not a folder");
    const Result<WebFiles> empty = DirectoryWebFiles(dist_ / "assets");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().message, (dist_ / "assets").string() +
                                         " holds no index.html: name the folder that `npm run build` writes "
                                         "(web/dist)");
}

TEST_F(WebFrontEndTest, ReadsTheFolderAtEveryRequest) {
    const WebFiles files = Dist();
    TempFolder::Write(dist_ / "index.html", "<!doctype html><title>rebuilt</title>");
    EXPECT_EQ(Ask(files, Method::kGet, "/patients").body, "<!doctype html><title>rebuilt</title>");
}

TEST(WebFrontEndEmbeddedTest, ServesABundleLikeAFolder) {
    static constexpr WebBundleFile kFiles[] = {
        {"index.html", "<!doctype html><title>embedded</title>", "\"i1\""},
        {"assets/app-abc123.js", "1;", "\"a1\""},
        {"assets/app-abc123.js.gz", "gz", "\"a2\""},
    };
    const WebFiles files = EmbeddedWebFiles(WebBundle{kFiles, true});
    Router router;
    AddWebFrontEnd(router, files);
    const auto get = [&router](const std::string& path, const std::string& accept = "") {
        HttpRequest request;
        request.path = path;
        request.target = path;
        if (!accept.empty()) {
            request.headers.Add("Accept-Encoding", accept);
        }
        RouteMatch match = router.Match(request);
        return (*match.handler)(request, match.params);
    };
    EXPECT_EQ(get("/chart/5").body, "<!doctype html><title>embedded</title>");
    EXPECT_EQ(get("/chart/5").headers.Find("ETag"), "\"i1\"");
    EXPECT_EQ(get("/assets/app-abc123.js").body, "1;");
    EXPECT_EQ(get("/assets/app-abc123.js", "gzip").body, "gz");
    EXPECT_EQ(get("/assets/app-abc123.js", "gzip").headers.Find("ETag"), "\"a2\"");
    EXPECT_EQ(get("/assets/other-abc123.js").status, 404);
}

// CMake computes the embedded ETags; the server computes them for --web-root: the two must agree.
TEST(WebFrontEndEmbeddedTest, TheBuiltBundleHasAnIndexAndEtagsAsTheServerComputesThem) {
    EXPECT_EQ(StrongEtag("abc"), "\"ba7816bf8f01cfea414140de5dae2223\"");  // SHA-256 of "abc" (FIPS 180-2)
    const WebBundle bundle = BuiltWebBundle();
    ASSERT_FALSE(bundle.files.empty());
    bool index = false;
    for (const WebBundleFile& file : bundle.files) {
        EXPECT_EQ(file.etag, StrongEtag(file.bytes)) << file.path;
        index = index || file.path == "index.html";
    }
    EXPECT_TRUE(index);
    if (!bundle.built) {
        EXPECT_NE(bundle.files.front().bytes.find("make web"), std::string_view::npos);
    }
}

TEST(WebFrontEndEmbeddedTest, ContentTypesByExtension) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"a.html", "text/html; charset=utf-8"},
        {"a.js", "text/javascript; charset=utf-8"},
        {"a.css", "text/css; charset=utf-8"},
        {"a.svg", "image/svg+xml"},
        {"a.png", "image/png"},
        {"a.woff2", "font/woff2"},
        {"a.json", "application/json"},
        {"a.ico", "image/x-icon"},
        {"a.webmanifest", "application/manifest+json"},
        {"a.txt", "text/plain; charset=utf-8"},
        {"A.PNG", "image/png"},
    };
    for (const auto& [name, type] : cases) {
        EXPECT_EQ(ContentTypeFor(name), type) << name;
    }
    EXPECT_EQ(ContentTypeFor("README"), std::nullopt);
    EXPECT_EQ(ContentTypeFor("a.exe"), std::nullopt);
}

}  // namespace
}  // namespace kclinic::adapters::http
