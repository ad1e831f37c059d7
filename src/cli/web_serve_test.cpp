// `kclinic serve` serving the web front end, spoken to over real HTTP: from a fixture dist through --web-root (what
// development and the browser tests use), and from the files built into the binary (web/dist when `make web` ran
// before the build, else the page that says to run it).

#include <gtest/gtest.h>

#include <array>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "adapters/http/testing/http_test_client.hpp"
#include "base/temp_folder_testing.hpp"
#include "cli/testing/serve_process.hpp"

namespace {

namespace fs = std::filesystem;
using kclinic::adapters::http::testing::RequestText;
using kclinic::adapters::http::testing::TestConnection;
using kclinic::adapters::http::testing::TestResponse;
using kclinic::cli::testing::ServeProcess;
using kclinic::testing::TempFolder;

constexpr char kPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
constexpr char kShell[] =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kclinic</title>"
    "<script type=\"module\" crossorigin src=\"/assets/app-abc123.js\"></script></head><body><div id=\"app\"></div>"
    "</body></html>\n";
constexpr char kScript[] = "document.getElementById('app').textContent = 'kclinic';\n";
constexpr char kScriptGz[] = "\x1f\x8b\x08 stands in for the gzip of the script";

class WebServeTest : public ::testing::Test {
protected:
    WebServeTest() {
        fs::create_directories(dist_ / "assets");
        TempFolder::Write(dist_ / "index.html", kShell);
        TempFolder::Write(dist_ / "assets/app-abc123.js", kScript);
        TempFolder::Write(dist_ / "assets/app-abc123.js.gz", kScriptGz);
        TempFolder::Write(folder_ / "secret.txt", "patient list, not for the web");
    }
    // Starts `kclinic serve` on a fresh database and a free port with `extra` flags; the port (0 on failure).
    std::uint16_t Start(const std::vector<std::string>& extra) {
        std::vector<std::string> args{"serve", "--db", "sqlite:" + (folder_ / "clinic.db").string(), "--listen",
                                      "127.0.0.1:0"};
        args.insert(args.end(), extra.begin(), extra.end());
        process_ = std::make_unique<ServeProcess>(args);
        return process_->ReadPort();
    }

    TempFolder temp_{"kclinic_web_serve_"};
    const fs::path folder_ = temp_.path();
    const fs::path dist_ = folder_ / "dist";
    std::unique_ptr<ServeProcess> process_;
};

void ExpectSecurityHeaders(const TestResponse& response, const std::string& what) {
    EXPECT_EQ(response.Header("content-security-policy"), kPolicy) << what;
    EXPECT_EQ(response.Header("x-content-type-options"), "nosniff") << what;
    EXPECT_EQ(response.Header("referrer-policy"), "no-referrer") << what;
    EXPECT_EQ(response.Header("x-frame-options"), "DENY") << what;
}

TEST_F(WebServeTest, WebRootServesTheShellForApplicationRoutesAndTheAssetsWithTheirCaching) {
    const std::uint16_t port = Start({"--web-root", dist_.string()});
    ASSERT_NE(port, 0);
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);

    std::string etag;
    for (const std::string path : {"/", "/patients/12", "/patients/12/sessions/4?tab=vitals", "/index.html"}) {
        std::optional<TestResponse> shell = connection->Exchange("GET", path);
        ASSERT_TRUE(shell) << path;
        EXPECT_EQ(shell->status, 200) << path;
        EXPECT_EQ(shell->body, kShell) << path;
        EXPECT_EQ(shell->Header("content-type"), "text/html; charset=utf-8") << path;
        EXPECT_EQ(shell->Header("cache-control"), "no-cache") << path;
        EXPECT_EQ(shell->Header("vary"), "Accept-Encoding") << path;
        EXPECT_TRUE(std::regex_match(shell->Header("etag"), std::regex(R"("[0-9a-f]{32}")"))) << path;
        ExpectSecurityHeaders(*shell, path);
        etag = shell->Header("etag");
    }

    // HEAD: the GET's headers, its length included, and no body: the next response on the connection is intact.
    std::optional<TestResponse> head = connection->Exchange("HEAD", "/patients/12");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->Header("content-length"), std::to_string(sizeof kShell - 1));
    ExpectSecurityHeaders(*head, "HEAD");

    // Revalidation: 304 with no body, then the connection goes on.
    std::optional<TestResponse> unchanged =
        connection->Exchange("GET", "/patients/12", {}, "If-None-Match: " + etag + "\r\n");
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(unchanged->status, 304);
    EXPECT_EQ(unchanged->body, "");
    EXPECT_EQ(unchanged->Header("etag"), etag);
    ExpectSecurityHeaders(*unchanged, "304");

    std::optional<TestResponse> script = connection->Exchange("GET", "/assets/app-abc123.js");
    ASSERT_TRUE(script);
    EXPECT_EQ(script->status, 200);
    EXPECT_EQ(script->body, kScript);
    EXPECT_EQ(script->Header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(script->Header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(script->Header("content-encoding"), "");
    ExpectSecurityHeaders(*script, "script");

    std::optional<TestResponse> gzipped =
        connection->Exchange("GET", "/assets/app-abc123.js", {}, "Accept-Encoding: gzip, deflate, br\r\n");
    ASSERT_TRUE(gzipped);
    EXPECT_EQ(gzipped->body, kScriptGz);
    EXPECT_EQ(gzipped->Header("content-encoding"), "gzip");
    EXPECT_EQ(gzipped->Header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(gzipped->Header("vary"), "Accept-Encoding");
    EXPECT_NE(gzipped->Header("etag"), script->Header("etag"));

    // A missing asset is a real 404, and the API keeps its own 404 and its authentication.
    std::optional<TestResponse> missing_asset = connection->Exchange("GET", "/assets/app-f00d42.js");
    ASSERT_TRUE(missing_asset);
    EXPECT_EQ(missing_asset->status, 404);
    std::optional<TestResponse> missing_api = connection->Exchange("GET", "/api/v1/nowhere");
    ASSERT_TRUE(missing_api);
    EXPECT_EQ(missing_api->status, 404);
    EXPECT_EQ(missing_api->Header("content-type"), "application/json");
    std::optional<TestResponse> me = connection->Exchange("GET", "/api/v1/auth/me");
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 401);
    std::optional<TestResponse> health = connection->Exchange("GET", "/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->Header("content-type"), "application/json");

    // Nothing outside the folder, however the path is spelled.
    for (const std::string path : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                                   "/assets/..%2f..%2fsecret.txt", "/%2E%2E%2Fsecret.txt", "/..%5csecret.txt"}) {
        std::unique_ptr<TestConnection> probe = TestConnection::Connect(port);
        ASSERT_NE(probe, nullptr);
        std::optional<TestResponse> refused = probe->Exchange("GET", path);
        if (refused) {  // the HTTP parser may refuse the target itself; either way nothing is served
            EXPECT_GE(refused->status, 400) << path;
            EXPECT_EQ(refused->body.find("not for the web"), std::string::npos) << path;
        }
    }

    std::optional<TestResponse> metrics = connection->Exchange("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("kclinic_http_requests_total{route=\"web\",method=\"GET\",status=\"304\"} 1\n"),
              std::string::npos)
        << metrics->body;
    EXPECT_EQ(process_->StopWith(SIGTERM), 0) << process_->RestOfOutput();
}

TEST_F(WebServeTest, WebRootIsReadAtEveryRequest) {
    const std::uint16_t port = Start({"--web-root", dist_.string()});
    ASSERT_NE(port, 0);
    TempFolder::Write(dist_ / "index.html", "<!doctype html><title>rebuilt</title>\n");
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> shell = connection->Exchange("GET", "/board");
    ASSERT_TRUE(shell);
    EXPECT_EQ(shell->body, "<!doctype html><title>rebuilt</title>\n");
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);
}

TEST_F(WebServeTest, WebRootWithoutIndexHtmlIsRefusedAtStart) {
    const std::vector<std::pair<fs::path, std::string>> cases{
        {dist_ / "assets", " holds no index.html: name the folder that `npm run build` writes (web/dist)"},
        {folder_ / "none", " is not a folder"},
    };
    for (const auto& [root, message] : cases) {
        ServeProcess process(
            {"serve", "--db", "sqlite:" + (folder_ / "clinic.db").string(), "--web-root", root.string()});
        EXPECT_EQ(process.StopWith(0), 2) << root;
        EXPECT_EQ(process.RestOfOutput(), "kclinic serve: --web-root: " + root.string() + message + "\n");
    }
}

// What the build embedded: the real front end (then every script index.html loads is served, immutable, and none
// is inline), or the page saying to run `make web` (then the server says so on stderr too).
TEST_F(WebServeTest, ServesTheFrontEndBuiltIntoTheBinary) {
    const std::uint16_t port = Start({});
    ASSERT_NE(port, 0);
    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> root = connection->Exchange("GET", "/");
    std::optional<TestResponse> route = connection->Exchange("GET", "/patients/7/chart");
    ASSERT_TRUE(root && route);
    EXPECT_EQ(root->status, 200);
    EXPECT_EQ(root->Header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(root->Header("cache-control"), "no-cache");
    ExpectSecurityHeaders(*root, "/");
    EXPECT_EQ(route->status, 200);
    EXPECT_EQ(route->body, root->body);

    const std::string& shell = root->body;
    const bool built = shell.find(R"(<meta name="kclinic-web" content="not-built">)") == std::string::npos;
    int scripts = 0;
    const std::regex script_tag(R"(<script\b([^>]*)>)");
    for (auto tag = std::sregex_iterator(shell.begin(), shell.end(), script_tag); tag != std::sregex_iterator();
         ++tag) {
        std::smatch source;
        const std::string attributes = (*tag)[1].str();
        ASSERT_TRUE(std::regex_search(attributes, source, std::regex(R"(src="(/assets/[^"]+\.js)\")")))
            << "an inline script in the built index.html: " << tag->str();
        std::optional<TestResponse> script = connection->Exchange("GET", source[1].str());
        ASSERT_TRUE(script);
        EXPECT_EQ(script->status, 200) << source[1];
        EXPECT_EQ(script->Header("content-type"), "text/javascript; charset=utf-8");
        EXPECT_EQ(script->Header("cache-control"), "public, max-age=31536000, immutable");
        ++scripts;
    }
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);
    const std::string output = process_->RestOfOutput();
    if (built) {
        EXPECT_GE(scripts, 1) << shell;
        EXPECT_EQ(output.find("without its web front end"), std::string::npos) << output;
    } else {
        EXPECT_NE(shell.find("make web"), std::string::npos);
        EXPECT_NE(output.find("kclinic serve: this binary was built without its web front end"), std::string::npos)
            << output;
    }
}

// The policy in a real browser (Debian's Chromium, headless, as the browser tests run it): an inline script does not
// run, a WebSocket to another origin is refused, and the live channel on the page's own origin is allowed by
// connect-src 'self' (its upgrade reaches the server, which refuses it 401 for want of a login).
TEST_F(WebServeTest, ChromiumEnforcesThePolicyAndItLetsTheLiveChannelConnect) {
    ASSERT_TRUE(fs::exists("/usr/bin/chromium")) << "Chromium is missing: scripts/install-deps installs it";
    TempFolder::Write(
        dist_ / "index.html",
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>policy</title>"
        "<script type=\"module\" src=\"/assets/app-abc123.js\"></script></head><body><p id=\"out\">start</p>"
        "<script>document.getElementById('out').textContent += ' inline-ran';</script></body></html>\n");
    TempFolder::Write(dist_ / "assets/app-abc123.js", R"(const out = document.getElementById('out');
const note = (text) => { out.textContent += ' ' + text; };
document.addEventListener('securitypolicyviolation', (e) => note('violation:' + e.effectiveDirective));
for (const [name, url] of [['same', `ws://${location.host}/api/v1/live`], ['other', 'ws://127.0.0.2:9/x']]) {
  try {
    const socket = new WebSocket(url);
    socket.onerror = () => note(name + '-error');
    socket.onclose = () => note(name + '-closed');
  } catch (error) {
    note(name + '-threw');
  }
}
)");
    fs::remove(dist_ / "assets/app-abc123.js.gz");
    const std::uint16_t port = Start({"--web-root", dist_.string()});
    ASSERT_NE(port, 0);

    // --dump-dom prints the document once the page has loaded and the virtual time budget (during which pending
    // network requests, the WebSockets included, hold the clock) has run out.
    const std::string command =
        "timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
        (folder_ / "profile").string() +
        " --virtual-time-budget=5000 --dump-dom http://127.0.0.1:" + std::to_string(port) + "/ 2>/dev/null";
    std::string dom;
    FILE* chromium = popen(command.c_str(), "r");
    ASSERT_NE(chromium, nullptr);
    std::array<char, 4096> chunk{};
    for (std::size_t read = 0; (read = fread(chunk.data(), 1, chunk.size(), chromium)) > 0;) {
        dom.append(chunk.data(), read);
    }
    EXPECT_EQ(pclose(chromium), 0) << dom;

    std::smatch out;
    ASSERT_TRUE(std::regex_search(dom, out, std::regex(R"(<p id="out">([^<]*)</p>)"))) << dom;
    const std::string notes = out[1].str();
    EXPECT_EQ(notes.find("inline-ran"), std::string::npos) << notes;
    EXPECT_NE(notes.find("violation:connect-src"), std::string::npos) << notes;  // the other origin's socket
    EXPECT_NE(notes.find("other-error"), std::string::npos) << notes;
    EXPECT_NE(notes.find("same-closed"), std::string::npos) << notes;
    EXPECT_EQ(notes.find("same-threw"), std::string::npos) << notes;
    EXPECT_EQ(notes.find("violation:"), notes.rfind("violation:")) << "one violation only: " << notes;

    std::unique_ptr<TestConnection> connection = TestConnection::Connect(port);
    ASSERT_NE(connection, nullptr);
    std::optional<TestResponse> metrics = connection->Exchange("GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(
        metrics->body.find("kclinic_http_requests_total{route=\"/api/v1/live\",method=\"GET\",status=\"401\"} 1\n"),
        std::string::npos)
        << metrics->body;
    EXPECT_EQ(process_->StopWith(SIGTERM), 0);
}

}  // namespace
