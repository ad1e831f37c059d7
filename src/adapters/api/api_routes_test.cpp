// The routes the server registers are exactly the endpoint table of docs/api.md, with the same permissions,
// subjects and query parameters, and with `kclinic serve --test-clock` exactly those and the test clock's table; and
// every audit action the documents name is one the server's code can record. (The
// integration test in src/cli walks the same table against a running server with every role.)

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "adapters/api/api.hpp"
#include "adapters/http/router.hpp"

namespace kclinic::adapters::api {
namespace {

// A store that is never reached: registering routes must not touch the database.
class UnreachableStore final : public app::Store {
public:
    Status Write(const app::TransactionWork&) override { return Error{ErrorCode::kUnavailable, "", "unreachable"}; }
    Status Read(const app::TransactionWork&) override { return Error{ErrorCode::kUnavailable, "", "unreachable"}; }
    [[nodiscard]] std::string_view Backend() const override { return "none"; }
};

class EpochClock final : public app::MovableClock {
public:
    [[nodiscard]] app::TimePoint Now() const override { return {}; }
    app::TimePoint MoveForwardTo(app::TimePoint) override { return {}; }
};

class NoCredentials final : public app::Credentials {
public:
    [[nodiscard]] Result<std::string> HashPassword(std::string_view) const override { return std::string(); }
    [[nodiscard]] bool VerifyPassword(std::string_view, std::string_view) const override { return false; }
    [[nodiscard]] bool NeedsRehash(std::string_view) const override { return false; }
    [[nodiscard]] std::string NewToken() const override { return {}; }
    [[nodiscard]] std::string TokenDigest(std::string_view) const override { return {}; }
    [[nodiscard]] bool SecretsEqual(std::string_view, std::string_view) const override { return false; }
    [[nodiscard]] std::string RandomBytes(std::size_t) const override { return {}; }
    [[nodiscard]] std::string HmacSha1(std::string_view, std::string_view) const override { return {}; }
};

class UtcOnlyZones final : public app::TimeZones {
public:
    [[nodiscard]] Result<clinical::ClinicZone> Load(std::string_view) const override {
        return clinical::ClinicZone::Utc();
    }
};

class NoEvents final : public app::EventBus {
public:
    void Publish(const app::LiveEvent&) override {}
};

// method, path, permission, subject, query parameters ("limit, after")
using Row = std::tuple<std::string, std::string, std::string, std::string, std::string>;

std::string Trim(const std::string& text) {
    const std::size_t first = text.find_first_not_of(' ');
    const std::size_t last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

// The rows of the table of docs/api.md between <!-- TABLE:start --> and <!-- TABLE:end -->.
std::set<Row> DocumentedRoutes(const std::string& table = "endpoints") {
    std::ifstream file(std::string(KCLINIC_SOURCE_DIR) + "/docs/api.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    const std::size_t start = doc.find("<!-- " + table + ":start -->");
    const std::size_t end = doc.find("<!-- " + table + ":end -->");
    EXPECT_NE(start, std::string::npos);
    EXPECT_NE(end, std::string::npos);
    std::set<Row> rows;
    std::istringstream lines(doc.substr(start, end - start));
    std::string line;
    int line_number = 0;
    while (std::getline(lines, line)) {
        if (++line_number <= 3 || line.empty()) {
            continue;  // the marker, the header and its rule
        }
        std::vector<std::string> cells;
        std::istringstream columns(line.substr(1));
        std::string cell;
        while (std::getline(columns, cell, '|')) {
            cells.push_back(Trim(cell));
        }
        EXPECT_EQ(cells.size(), 5U) << line;
        if (cells.size() == 5) {
            EXPECT_TRUE(rows.emplace(cells[0], cells[1], cells[2], cells[3], cells[4]).second)
                << "listed twice: " << line;
        }
    }
    return rows;
}

// The routes AddApiRoutes registers, on use cases over a store that is never reached; with the test clock's use
// case when `test_clock`, as `kclinic serve --test-clock` registers them.
std::vector<ApiRoute> RegisteredRoutes(bool test_clock = false) {
    UnreachableStore store;
    EpochClock clock;
    NoCredentials credentials;
    NoEvents events;
    UtcOnlyZones zones;
    app::ClinicUseCases use_cases(store, clock, credentials, zones);
    app::TestClockMoves moves(store, clock);
    ApiServices services{use_cases, events, clock, test_clock ? &moves : nullptr};
    http::Router router;
    return AddApiRoutes(router, services);
}

// The routes as rows of docs/api.md's tables.
std::set<Row> RowsOf(const std::vector<ApiRoute>& routes) {
    std::set<Row> registered;
    for (const ApiRoute& route : routes) {
        const std::string permission = !route.authenticated ? "(public)"
                                       : route.permission   ? std::string(app::PermissionName(*route.permission))
                                                            : "(any user)";
        const std::string subject = route.subject == Subject::kPathPatient ? "patient" : "";
        std::string query;
        for (const std::string& parameter : route.query) {
            query += (query.empty() ? "" : ", ") + parameter;
        }
        EXPECT_TRUE(
            registered.emplace(std::string(http::MethodName(route.method)), route.pattern, permission, subject, query)
                .second);
    }
    return registered;
}

TEST(ApiRoutes, AreExactlyTheEndpointTableOfTheDocs) {
    const std::set<Row> registered = RowsOf(RegisteredRoutes());
    const std::set<Row> documented = DocumentedRoutes();
    for (const Row& row : registered) {
        EXPECT_TRUE(documented.contains(row))
            << "not in docs/api.md: | " << std::get<0>(row) << " | " << std::get<1>(row) << " | " << std::get<2>(row)
            << " | " << std::get<3>(row) << " | " << std::get<4>(row) << " |";
    }
    for (const Row& row : documented) {
        EXPECT_TRUE(registered.contains(row))
            << "documented but not served: " << std::get<0>(row) << " " << std::get<1>(row) << " " << std::get<2>(row);
    }
}

// The test clock adds exactly its own table's routes, and only when the server runs on one.
TEST(ApiRoutes, TheTestClockAddsExactlyItsTableOfTheDocs) {
    const std::set<Row> without = RowsOf(RegisteredRoutes());
    std::set<Row> added;
    for (const Row& row : RowsOf(RegisteredRoutes(true))) {
        if (!without.contains(row)) {
            added.insert(row);
        }
    }
    const std::set<Row> documented = DocumentedRoutes("test-clock-endpoints");
    EXPECT_FALSE(documented.empty());
    EXPECT_EQ(added, documented);
    EXPECT_EQ(RowsOf(RegisteredRoutes(true)).size(), without.size() + documented.size());
    for (const Row& row : without) {
        EXPECT_FALSE(std::get<1>(row).starts_with("/api/v1/test/")) << std::get<1>(row) << " is served without it";
    }
}

// A route under /api/v1/patients/{id} names that patient as its subject, so Authorize gives a patient exactly their
// own record's routes; a route elsewhere names none, and Authorize refuses a patient there. (A route under the
// patient's path without the subject would be authorized as if it touched no patient's record.)
bool NamesThePathPatient(const ApiRoute& route) {
    constexpr std::string_view kPatientPath = "/api/v1/patients/{id}";
    return route.pattern.starts_with(kPatientPath) &&
           (route.pattern.size() == kPatientPath.size() || route.pattern[kPatientPath.size()] == '/');
}

TEST(ApiRoutes, PatientRoutesNameTheirSubject) {
    const std::vector<ApiRoute> routes = RegisteredRoutes();
    ASSERT_FALSE(routes.empty());
    for (const ApiRoute& route : routes) {
        const bool names_patient = route.subject == Subject::kPathPatient;
        EXPECT_EQ(names_patient, NamesThePathPatient(route))
            << http::MethodName(route.method) << " " << route.pattern
            << (names_patient ? " names the path's patient but is not under /api/v1/patients/{id}"
                              : " is under /api/v1/patients/{id} but does not name that patient as its subject");
    }
}

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// Every dotted name the server's code spells as a string literal ("vital_sign.create", but also permissions and
// setting names): the audit actions it records are among them, whichever use case writes them.
std::set<std::string> NamesInTheCode() {
    static const std::regex kTestFile(R"(_(test|pgtest|fuzz)\.cpp$)");
    static const std::regex kLiteral(R"re("([a-z_]+\.[a-z_]+)")re");
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(KCLINIC_SOURCE_DIR) + "/src")) {
        const std::string path = entry.path().string();
        if (entry.path().extension() != ".cpp" || std::regex_search(path, kTestFile) ||
            path.find("/testing/") != std::string::npos) {
            continue;
        }
        const std::string text = ReadFile(entry.path());
        for (std::sregex_iterator it(text.begin(), text.end(), kLiteral), end; it != end; ++it) {
            names.insert((*it)[1]);
        }
    }
    return names;
}

// The audit actions a document names, each with where: an audit entry's "action" in a JSON example, and every
// `dotted.name` in a prose sentence that speaks of the audit (tables hold rule ids and are left out).
std::map<std::string, std::string> AuditActionsIn(const std::string& name) {
    static const std::regex kJsonAction(R"re("action":\s*"([a-z_]+\.[a-z_]+)")re");
    static const std::regex kCode(R"(`([a-z_]+\.[a-z_]+)`)");
    static const std::set<std::string> kFileExtensions = {"md", "mjs", "ts", "cpp", "hpp", "json", "sql", "sh"};
    const std::string text = ReadFile(std::string(KCLINIC_SOURCE_DIR) + "/docs/" + name);
    std::map<std::string, std::string> actions;
    for (std::sregex_iterator it(text.begin(), text.end(), kJsonAction), end; it != end; ++it) {
        actions.emplace((*it)[1], name + ", a JSON example");
    }
    std::string prose;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        prose += (line.starts_with("|") ? std::string() : line) + "\n";
    }
    for (std::sregex_iterator it(prose.begin(), prose.end(), kCode), end; it != end; ++it) {
        const std::string action = (*it)[1];
        if (kFileExtensions.contains(action.substr(action.find('.') + 1))) {
            continue;
        }
        const auto at = static_cast<std::size_t>(it->position());
        const std::size_t from = std::max(prose.rfind(". ", at) + 1, prose.rfind("\n\n", at) + 1);
        const std::size_t to = std::min(prose.find(". ", at), prose.find("\n\n", at));
        std::string sentence = prose.substr(from, to == std::string::npos ? std::string::npos : to - from);
        std::ranges::transform(sentence, sentence.begin(), [](unsigned char c) { return std::tolower(c); });
        if (sentence.find("audit") != std::string::npos) {
            actions.emplace(action, name + ": \"" + sentence.substr(0, 160) + "\"");
        }
    }
    return actions;
}

// Found when the API was probed (issue 15 §3): docs/api.md's audit example named `vital.create`, an action the server
// never records (it records vital_sign.create), so an auditor filtering by it would find nothing.
TEST(AuditActions, EveryActionTheDocumentsNameIsOneTheServerRecords) {
    const std::set<std::string> code = NamesInTheCode();
    ASSERT_TRUE(code.contains("vital_sign.create"));
    std::size_t named = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(KCLINIC_SOURCE_DIR) + "/docs")) {
        if (entry.path().extension() != ".md") {
            continue;
        }
        for (const auto& [action, where] : AuditActionsIn(entry.path().filename().string())) {
            EXPECT_TRUE(code.contains(action))
                << "`" << action << "` is named as an audit action in " << where << ", but no code records it";
            ++named;
        }
    }
    EXPECT_GT(named, 40U);
}

}  // namespace
}  // namespace kclinic::adapters::api
