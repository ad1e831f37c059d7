// The routes the server registers are exactly the endpoint table of docs/api.md, with the same permissions and
// subjects. (The integration test in src/cli walks the same table against a running server with every role.)

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

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

class EpochClock final : public app::Clock {
public:
    [[nodiscard]] app::TimePoint Now() const override { return {}; }
};

class NoCredentials final : public app::Credentials {
public:
    [[nodiscard]] Result<std::string> HashPassword(std::string_view) const override { return std::string(); }
    [[nodiscard]] bool VerifyPassword(std::string_view, std::string_view) const override { return false; }
    [[nodiscard]] bool NeedsRehash(std::string_view) const override { return false; }
    [[nodiscard]] std::string NewToken() const override { return {}; }
    [[nodiscard]] std::string TokenDigest(std::string_view) const override { return {}; }
    [[nodiscard]] bool SecretsEqual(std::string_view, std::string_view) const override { return false; }
};

class NoEvents final : public app::EventBus {
public:
    void Publish(const app::LiveEvent&) override {}
};

using Row = std::tuple<std::string, std::string, std::string, std::string>;  // method, path, permission, subject

std::string Trim(const std::string& text) {
    const std::size_t first = text.find_first_not_of(' ');
    const std::size_t last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::set<Row> DocumentedRoutes() {
    std::ifstream file(std::string(KCLINIC_SOURCE_DIR) + "/docs/api.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    const std::size_t start = doc.find("<!-- endpoints:start -->");
    const std::size_t end = doc.find("<!-- endpoints:end -->");
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
        EXPECT_EQ(cells.size(), 4U) << line;
        if (cells.size() == 4) {
            EXPECT_TRUE(rows.emplace(cells[0], cells[1], cells[2], cells[3]).second) << "listed twice: " << line;
        }
    }
    return rows;
}

TEST(ApiRoutes, AreExactlyTheEndpointTableOfTheDocs) {
    UnreachableStore store;
    EpochClock clock;
    NoCredentials credentials;
    NoEvents events;
    app::ClinicUseCases use_cases(store, clock, credentials);
    ApiServices services{use_cases, events, clock};
    http::Router router;

    std::set<Row> registered;
    for (const ApiRoute& route : AddApiRoutes(router, services)) {
        const std::string permission = !route.authenticated ? "(public)"
                                       : route.permission   ? std::string(app::PermissionName(*route.permission))
                                                            : "(any user)";
        const std::string subject = route.subject == Subject::kPathPatient ? "patient" : "";
        EXPECT_TRUE(
            registered.emplace(std::string(http::MethodName(route.method)), route.pattern, permission, subject).second);
    }
    const std::set<Row> documented = DocumentedRoutes();
    for (const Row& row : registered) {
        EXPECT_TRUE(documented.contains(row))
            << "not in docs/api.md: | " << std::get<0>(row) << " | " << std::get<1>(row) << " | " << std::get<2>(row)
            << " | " << std::get<3>(row) << " |";
    }
    for (const Row& row : documented) {
        EXPECT_TRUE(registered.contains(row))
            << "documented but not served: " << std::get<0>(row) << " " << std::get<1>(row) << " " << std::get<2>(row);
    }
}

// Every route under a patient's {id} that a patient role may hold names that patient as its subject, and no route
// elsewhere gives a patient anything: Authorize refuses a patient without a subject.
TEST(ApiRoutes, PatientRoutesNameTheirSubject) {
    for (const Row& row : DocumentedRoutes()) {
        const std::string& path = std::get<1>(row);
        if (std::get<3>(row) == "patient") {
            EXPECT_EQ(path.rfind("/api/v1/patients/{id}", 0), 0U) << path;
        }
    }
}

}  // namespace
}  // namespace kclinic::adapters::api
