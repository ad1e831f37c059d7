// The calendar feeds as a clinician's calendar application meets them, on a real `kclinic serve` over SQLite and
// over PostgreSQL, over real HTTP: the feed's URL handed out once, fetched with no credentials but its token, replaced,
// revoked by its owner and by an admin, and refused alike for every token that is not a live feed's.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

// Epoch milliseconds `from_now` from the real clock: the server's.
std::int64_t MillisFromNow(std::chrono::hours from_now) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               (std::chrono::system_clock::now() + from_now).time_since_epoch())
        .count();
}

class CalendarApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        server_->AddUser("admin@clinic.example", "admin");
        server_->AddUser("nurse@clinic.example", "nurse");
    }

    // The path of a feed URL as the test client's requests name the host ("Host: test").
    static std::string PathOf(const std::string& url) {
        const std::string host = "http://test";
        EXPECT_TRUE(url.starts_with(host + "/calendar/")) << url;
        return url.substr(host.size());
    }

    std::unique_ptr<ClinicServer> server_;
};

TEST_P(CalendarApiTest, AClinicianSubscribesWithTheUrlShownOnceAndRevokesIt) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const ApiResponse patient = nurse.Post("/api/v1/patients", {{"mrn", "MRN-CAL"},
                                                                {"given_name", "Ada"},
                                                                {"family_name", "Example"},
                                                                {"birth_date", "1980-03-14"},
                                                                {"sex", "female"}});
    ASSERT_EQ(patient.status, 201) << patient.text;
    const std::string patient_id = std::to_string(patient.body["id"].get<std::int64_t>());
    // A room and tomorrow's infusion, written straight into the database: booking is the scheduling routes' to test.
    ASSERT_TRUE(server_->database()
                    .ExecuteDirectly("INSERT INTO treatment_rooms (name, equipment, active, version) "
                                     "VALUES ('Chair 2', 'both', 1, 1)")
                    .ok());
    const std::string start = std::to_string(MillisFromNow(std::chrono::hours{24}));
    const std::string end = std::to_string(MillisFromNow(std::chrono::hours{26}));
    ASSERT_TRUE(server_->database()
                    .ExecuteDirectly("INSERT INTO appointments (patient_id, type, start_at, end_at, room_id, staff, "
                                     "status, created_at, created_by, updated_at, updated_by, version) VALUES (" +
                                     patient_id + ", 'iv-session', " + start + ", " + end +
                                     ", (SELECT id FROM treatment_rooms WHERE name = 'Chair 2'), "
                                     "'nurse@clinic.example', 'booked', " +
                                     start + ", 'test', " + start + ", 'test', 2)")
                    .ok());

    EXPECT_EQ(nurse.Get("/api/v1/me/calendar-feed").ErrorField(), "calendar_feed");  // none yet
    const std::int64_t audit_before = LatestAuditId(admin);
    const ApiResponse created = nurse.Post("/api/v1/me/calendar-feed", Json::object());
    ASSERT_EQ(created.status, 201) << created.text;
    EXPECT_EQ(created.Header("location"), "/api/v1/me/calendar-feed");
    const std::string path = PathOf(created.body["url"].get<std::string>());
    EXPECT_TRUE(path.ends_with(".ics")) << path;

    const ApiResponse shown = nurse.Get("/api/v1/me/calendar-feed");
    ASSERT_EQ(shown.status, 200) << shown.text;
    EXPECT_EQ(shown.body["id"], created.body["id"]);
    EXPECT_FALSE(shown.body.contains("url"));  // shown once only

    // The calendar application: no cookie, no bearer token, only the URL.
    ApiClient calendar(server_->port());
    const ApiResponse feed = calendar.Get(path);
    ASSERT_EQ(feed.status, 200) << feed.text;
    EXPECT_EQ(feed.Header("content-type"), "text/calendar; charset=utf-8");
    EXPECT_EQ(feed.Header("cache-control"), "no-store");
    EXPECT_TRUE(feed.text.starts_with("BEGIN:VCALENDAR\r\n")) << feed.text;
    for (const std::string_view line :
         {"METHOD:PUBLISH\r\n", "X-WR-CALNAME:kclinic: nurse@clinic.example\r\n",
          "SUMMARY:A.E. IV ketamine session\r\n", "LOCATION:Chair 2\r\n", "STATUS:CONFIRMED\r\n", "SEQUENCE:1\r\n",
          "ORGANIZER:mailto:nurse@clinic.example\r\n"}) {
        EXPECT_NE(feed.text.find(line), std::string::npos) << line << " in\n" << feed.text;
    }
    EXPECT_NE(feed.text.find("UID:appointment-"), std::string::npos) << feed.text;
    EXPECT_NE(feed.text.find("@test\r\n"), std::string::npos) << feed.text;
    for (const std::string_view never : {"Ada", "Example", "MRN-CAL", "1980"}) {
        EXPECT_EQ(feed.text.find(never), std::string::npos) << never;
    }
    const std::vector<std::string> audited = AuditedActionsAfter(admin, audit_before);
    EXPECT_EQ(audited, (std::vector<std::string>{"calendar_feed.create", "calendar_feed.read", "calendar.feed"}));

    // A new URL replaces the old one at once.
    const ApiResponse replaced = nurse.Post("/api/v1/me/calendar-feed", Json::object());
    ASSERT_EQ(replaced.status, 201) << replaced.text;
    const std::string new_path = PathOf(replaced.body["url"].get<std::string>());
    EXPECT_NE(new_path, path);
    EXPECT_EQ(calendar.Get(new_path).status, 200);
    const ApiResponse old = calendar.Get(path);
    EXPECT_EQ(old.status, 404) << old.text;
    EXPECT_EQ(old.ErrorField(), "token");

    // Every token that is not a live feed's is the same 404.
    const std::string token = new_path.substr(std::string("/calendar/").size(), 43);
    for (const std::string& wrong : {"/calendar/" + token, "/calendar/" + token + ".ICS",
                                     "/calendar/" + std::string(43, 'A') + ".ics", std::string("/calendar/.ics")}) {
        const ApiResponse refused = calendar.Get(wrong);
        EXPECT_EQ(refused.status, 404) << wrong;
        EXPECT_EQ(refused.ErrorWithoutRequestId(), old.ErrorWithoutRequestId()) << wrong;
    }

    // An admin revokes it (a lost phone); its owner then has none to revoke.
    const ApiResponse revoked = admin.Send("DELETE", "/api/v1/users/nurse@clinic.example/calendar-feed", "");
    EXPECT_EQ(revoked.status, 204) << revoked.text;
    EXPECT_EQ(calendar.Get(new_path).status, 404);
    const ApiResponse none = nurse.Send("DELETE", "/api/v1/me/calendar-feed", "");
    EXPECT_EQ(none.status, 404) << none.text;
    EXPECT_EQ(none.ErrorField(), "calendar_feed");

    // The owner revokes their own.
    const ApiResponse again = nurse.Post("/api/v1/me/calendar-feed", Json::object());
    ASSERT_EQ(again.status, 201) << again.text;
    EXPECT_EQ(nurse.Send("DELETE", "/api/v1/me/calendar-feed", "").status, 204);
    EXPECT_EQ(calendar.Get(PathOf(again.body["url"].get<std::string>())).status, 404);
}

// Behind the trusted TLS proxy (--trusted-proxy) the feed's URL is https; the same claim from anyone else is ignored.
TEST_P(CalendarApiTest, TheUrlIsHttpsBehindTheTrustedTlsProxy) {
    ApiClient untrusted = server_->ClientWithToken("nurse@clinic.example");
    const ApiResponse plain =
        untrusted.Post("/api/v1/me/calendar-feed", Json::object(), "X-Forwarded-Proto: https\r\n");
    ASSERT_EQ(plain.status, 201) << plain.text;
    EXPECT_TRUE(plain.body["url"].get<std::string>().starts_with("http://test/calendar/")) << plain.text;

    std::unique_ptr<ClinicServer> proxied = ClinicServer::Start(GetParam(), {"--trusted-proxy", "127.0.0.1"});
    ASSERT_NE(proxied, nullptr);
    proxied->AddUser("nurse@clinic.example", "nurse");
    ApiClient nurse = proxied->ClientWithToken("nurse@clinic.example");
    const ApiResponse created = nurse.Post("/api/v1/me/calendar-feed", Json::object(), "X-Forwarded-Proto: https\r\n");
    ASSERT_EQ(created.status, 201) << created.text;
    EXPECT_TRUE(created.body["url"].get<std::string>().starts_with("https://test/calendar/")) << created.text;
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
