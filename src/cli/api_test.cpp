// The JSON API as a client meets it: a real `kclinic serve` on a free loopback port, over SQLite and over PostgreSQL,
// spoken to over real HTTP. Authentication (login, CSRF, logout, lockout, expiry), bad input (each refused with a
// precise error and nothing written) and versioned updates (ETag / If-Match).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

const Json kPatient = {{"mrn", "MRN-1"},
                       {"given_name", "Ada"},
                       {"family_name", "Example"},
                       {"birth_date", "1980-01-02"},
                       {"sex", "female"}};

class ApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        server_->AddUser("admin@clinic.example", "admin");
        server_->AddUser("nurse@clinic.example", "nurse");
    }

    std::unique_ptr<ClinicServer> server_;
};

TEST_P(ApiTest, BrowserSessionLogsInNeedsItsCsrfTokenAndLogsOut) {
    ApiClient nurse(server_->port());
    const ApiResponse login = nurse.Login("NURSE@clinic.example", std::string(kTestPassword));
    ASSERT_EQ(login.status, 200) << login.text;
    const std::string cookie = login.Header("set-cookie");
    EXPECT_NE(cookie.find("kclinic_session="), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP on loopback
    EXPECT_EQ(login.body["user"]["role"], "nurse");
    EXPECT_EQ(login.body["user"]["email"], "nurse@clinic.example");
    ASSERT_FALSE(nurse.csrf_token().empty());

    const ApiResponse me = nurse.Get("/api/v1/auth/me");
    EXPECT_EQ(me.status, 200);
    EXPECT_EQ(me.body["csrf_token"], nurse.csrf_token());

    nurse.OmitCsrf(true);
    const ApiResponse forged = nurse.Post("/api/v1/patients", kPatient);
    EXPECT_EQ(forged.status, 403);
    EXPECT_EQ(forged.ErrorField(), "csrf_token");
    const ApiResponse wrong_token = nurse.Post("/api/v1/patients", kPatient, "X-CSRF-Token: not-the-token\r\n");
    EXPECT_EQ(wrong_token.status, 403);
    nurse.OmitCsrf(false);
    const ApiResponse registered = nurse.Post("/api/v1/patients", kPatient);
    EXPECT_EQ(registered.status, 201) << registered.text;
    EXPECT_EQ(registered.body["mrn"], "MRN-1");  // only the request with the token wrote anything

    const ApiResponse logout = nurse.Post("/api/v1/auth/logout", Json::object());
    EXPECT_EQ(logout.status, 204);
    EXPECT_NE(logout.Header("set-cookie").find("Max-Age=0"), std::string::npos);
    const ApiResponse after = nurse.Get("/api/v1/patients");
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(after.ErrorCode(), "unauthenticated");
    EXPECT_EQ(after.Header("www-authenticate"), "Bearer realm=\"kclinic\"");
}

// Behind a TLS-terminating proxy (--trusted-proxy, docs/operations.md) the proxy's word decides the session cookie's
// Secure flag and which client address a login failure counts against. A server that trusts no proxy ignores the
// same fields: anyone can send them.
TEST_P(ApiTest, OnlyTheTrustedProxysForwardedFieldsCount) {
    std::unique_ptr<ClinicServer> proxied = ClinicServer::Start(GetParam(), {"--trusted-proxy", "127.0.0.1"});
    ASSERT_NE(proxied, nullptr);
    proxied->AddUser("admin@clinic.example", "admin");
    proxied->AddUser("nurse@clinic.example", "nurse");
    const auto login = [](const ClinicServer& server, const std::string& email, const std::string& password,
                          const std::string& client) {
        ApiClient anonymous(server.port());
        return anonymous.Send("POST", "/api/v1/auth/login", Json{{"email", email}, {"password", password}}.dump(),
                              "X-Forwarded-Proto: https\r\nX-Forwarded-For: " + client + "\r\n");
    };
    // Five guesses at five accounts from five claimed addresses: the fifth waits only when they all count against
    // one address, the real peer's.
    const auto guesses = [&login](ClinicServer& server) {
        ApiClient admin = server.ClientWithToken("admin@clinic.example");
        EXPECT_EQ(admin.Put("/api/v1/settings/access.address_failures_before_wait", {{"value", "5"}}).status, 200);
        std::vector<std::string> waits;
        for (int i = 0; i < 5; ++i) {
            const ApiResponse guess = login(server, "user" + std::to_string(i) + "@clinic.example",
                                            "Summer2024!Summer2024!", "203.0.113." + std::to_string(i + 1));
            EXPECT_EQ(guess.status, 401);
            waits.push_back(guess.Header("retry-after"));
        }
        return waits;
    };

    const ApiResponse direct = login(*server_, "nurse@clinic.example", std::string(kTestPassword), "203.0.113.1");
    ASSERT_EQ(direct.status, 200) << direct.text;
    EXPECT_EQ(direct.Header("set-cookie").find("Secure"), std::string::npos);
    EXPECT_EQ(guesses(*server_), (std::vector<std::string>{"", "", "", "", "1"}));

    const ApiResponse forwarded = login(*proxied, "nurse@clinic.example", std::string(kTestPassword), "203.0.113.1");
    ASSERT_EQ(forwarded.status, 200) << forwarded.text;
    EXPECT_NE(forwarded.Header("set-cookie").find("; Secure"), std::string::npos);
    EXPECT_EQ(guesses(*proxied), (std::vector<std::string>{"", "", "", "", ""}));
}

TEST_P(ApiTest, NoCredentialsOrBadOnesAre401) {
    ApiClient anonymous(server_->port());
    EXPECT_EQ(anonymous.Get("/api/v1/patients").status, 401);
    EXPECT_EQ(anonymous.Get("/api/v1/patients", "Authorization: Bearer not-a-token\r\n").status, 401);
    EXPECT_EQ(anonymous.Get("/api/v1/patients", "Authorization: Basic YTpi\r\n").status, 401);
    EXPECT_EQ(anonymous.Get("/api/v1/patients", "Cookie: kclinic_session=forged\r\n").status, 401);
    // The operational routes stay public.
    EXPECT_EQ(anonymous.Get("/healthz").status, 200);
}

TEST_P(ApiTest, LoginAnswersAlikeForUnknownUsersAndWrongPasswordsThenSlowsDown) {
    ApiClient client(server_->port());
    const ApiResponse unknown = client.Login("nobody@clinic.example", "some password here");
    const ApiResponse wrong = client.Login("nurse@clinic.example", "not the password at all");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.ErrorWithoutRequestId(), wrong.ErrorWithoutRequestId());
    const ApiResponse second = client.Login("nurse@clinic.example", "not the password at all");
    EXPECT_EQ(second.Header("retry-after"), "");
    const ApiResponse third = client.Login("nurse@clinic.example", "not the password at all");
    EXPECT_EQ(third.status, 401);
    EXPECT_EQ(third.Header("retry-after"), "1");  // from the third failure in a row: wait 1 s, then doubling
    // Refused at once, even with the right password, until the wait is over.
    const ApiResponse early = client.Login("nurse@clinic.example", std::string(kTestPassword));
    EXPECT_EQ(early.status, 401);
    EXPECT_FALSE(early.Header("retry-after").empty());
}

TEST_P(ApiTest, TenthFailureLocksTheAccountUntilAnAdminUnlocksIt) {
    // Nine failures already counted (set directly: waiting out the back-off nine times would take minutes).
    ASSERT_TRUE(server_->database()
                    .ExecuteDirectly("INSERT INTO login_throttle (email, failed_logins) VALUES "
                                     "('nurse@clinic.example', 9)")
                    .ok());
    ApiClient client(server_->port());
    const ApiResponse tenth = client.Login("nurse@clinic.example", "not the password at all");
    EXPECT_EQ(tenth.status, 401);
    EXPECT_EQ(tenth.Header("retry-after"), "900");  // locked for 15 minutes
    EXPECT_EQ(client.Login("nurse@clinic.example", std::string(kTestPassword)).status, 401);

    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const ApiResponse unlocked = admin.Post("/api/v1/users/nurse@clinic.example/unlock", Json::object());
    EXPECT_EQ(unlocked.status, 200) << unlocked.text;
    EXPECT_EQ(client.Login("nurse@clinic.example", std::string(kTestPassword)).status, 200);
}

TEST_P(ApiTest, IdleSessionExpires) {
    ApiClient nurse = server_->LoggedIn("nurse@clinic.example");
    EXPECT_EQ(nurse.Get("/api/v1/patients").status, 200);
    // 31 minutes without a request (moved back directly: the server's clock is the real one).
    ASSERT_TRUE(
        server_->database().ExecuteDirectly("UPDATE browser_sessions SET last_seen_at = last_seen_at - 1860000").ok());
    EXPECT_EQ(nurse.Get("/api/v1/patients").status, 401);
}

TEST_P(ApiTest, DisabledUsersSessionsAndTokensStopWorking) {
    ApiClient nurse = server_->LoggedIn("nurse@clinic.example");
    ApiClient nurse_machine = server_->ClientWithToken("nurse@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ASSERT_EQ(admin.Post("/api/v1/users/nurse@clinic.example/disable", Json::object()).status, 200);
    EXPECT_EQ(nurse.Get("/api/v1/patients").status, 401);
    EXPECT_EQ(nurse_machine.Get("/api/v1/patients").status, 401);
}

// Found when the API was probed with hostile input (issue 15 §3): the public login took a body with two "email" keys
// and logged in as the second, a number beyond a double's range answered 500, and no Content-Type was checked.
TEST_P(ApiTest, TheLoginRefusesHostileJsonAndSaysWhy) {
    ApiClient client(server_->port());
    const std::string password = Json(std::string(kTestPassword)).dump();
    const ApiResponse twice = client.Send(
        "POST", "/api/v1/auth/login",
        R"({"email": "admin@clinic.example", "password": )" + password + R"(, "email": "nurse@clinic.example"})");
    EXPECT_EQ(twice.status, 400) << twice.text;
    EXPECT_EQ(twice.ErrorField(), "email");
    EXPECT_EQ(twice.body["error"]["message"], "is given twice; send each field once");
    EXPECT_EQ(twice.Header("set-cookie"), "");

    const ApiResponse huge =
        client.Send("POST", "/api/v1/auth/login", R"({"email": "nurse@clinic.example", "password": 1e309})");
    EXPECT_EQ(huge.status, 400) << huge.text;
    EXPECT_EQ(huge.ErrorField(), "password");

    const std::string login = Json{{"email", "nurse@clinic.example"}, {"password", std::string(kTestPassword)}}.dump();
    for (const std::string content_type : {"text/plain", "application/jsonp", "application/json; charset=iso-8859-1",
                                           "application/json;charset=utf-8;x=1", "multipart/form-data", ""}) {
        client.UseContentType(content_type);
        const ApiResponse refused = client.Send("POST", "/api/v1/auth/login", login);
        EXPECT_EQ(refused.status, 415) << content_type << ": " << refused.text;
        EXPECT_EQ(refused.ErrorCode(), "unsupported_media_type") << content_type;
        EXPECT_EQ(refused.ErrorField(), "Content-Type") << content_type;
        EXPECT_EQ(refused.body["error"]["message"],
                  "send the body as JSON, with Content-Type: application/json (charset=utf-8 is allowed)")
            << content_type;
    }
    // RFC 9110 §8.3.1: the type, subtype and parameter name compare case-insensitively, and so does the charset's
    // value (RFC 2978); whitespace around the ';' is allowed.
    for (const std::string content_type : {"application/json", "Application/JSON", "application/json; charset=utf-8",
                                           "application/json;charset=UTF-8", "application/json ; Charset=\"utf-8\""}) {
        ApiClient fresh(server_->port());
        fresh.UseContentType(content_type);
        const ApiResponse accepted = fresh.Send("POST", "/api/v1/auth/login", login);
        EXPECT_EQ(accepted.status, 200) << content_type << ": " << accepted.text;
    }
    // An empty body needs no Content-Type (a command whose fields are all optional).
    ApiClient nurse = server_->LoggedIn("nurse@clinic.example");
    nurse.UseContentType("");
    EXPECT_EQ(nurse.Send("POST", "/api/v1/auth/logout", "").status, 204);
}

TEST_P(ApiTest, BadInputIsRefusedPreciselyAndWritesNothing) {
    const std::string nurse_token = server_->CreateToken("nurse@clinic.example");
    ApiClient nurse(server_->port());
    nurse.UseToken(nurse_token);
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const std::int64_t audit_before = LatestAuditId(admin);

    const ApiResponse malformed = nurse.Send("POST", "/api/v1/patients", R"({"mrn": "MRN-1", )");
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(malformed.ErrorCode(), "invalid_argument");
    EXPECT_EQ(malformed.ErrorField(), "body");

    const ApiResponse not_object = nurse.Send("POST", "/api/v1/patients", "[1,2,3]");
    EXPECT_EQ(not_object.status, 400);
    EXPECT_EQ(not_object.ErrorField(), "body");

    Json wrong_type = kPatient;
    wrong_type["birth_date"] = 19800102;
    const ApiResponse typed = nurse.Post("/api/v1/patients", wrong_type);
    EXPECT_EQ(typed.status, 400);
    EXPECT_EQ(typed.ErrorField(), "birth_date");
    EXPECT_EQ(typed.body["error"]["message"], "must be a date YYYY-MM-DD (got a whole number)");

    Json unknown = kPatient;
    unknown["acute_suicidal_ideaton"] = true;
    const ApiResponse unknown_field = nurse.Post("/api/v1/patients", unknown);
    EXPECT_EQ(unknown_field.status, 400);
    EXPECT_EQ(unknown_field.ErrorField(), "acute_suicidal_ideaton");

    Json missing = kPatient;
    missing.erase("mrn");
    EXPECT_EQ(nurse.Post("/api/v1/patients", missing).ErrorField(), "mrn");

    // A body over the 1 MiB limit: the server answers as soon as the header announces it and closes, so the test
    // sends the header and a first slice only (writing all 2 MiB would race the close and could be reset).
    std::unique_ptr<adapters::http::testing::TestConnection> raw =
        adapters::http::testing::TestConnection::Connect(server_->port());
    ASSERT_NE(raw, nullptr);
    const std::string huge_body(2 << 20, ' ');
    const std::string request = adapters::http::testing::RequestText("POST", "/api/v1/patients", huge_body,
                                                                     "Authorization: Bearer " + nurse_token + "\r\n");
    ASSERT_TRUE(raw->Send(request.substr(0, request.size() - huge_body.size() + 1024)));
    const std::optional<adapters::http::testing::TestResponse> huge = raw->Read();
    ASSERT_TRUE(huge.has_value());
    EXPECT_EQ(huge->status, 413);
    EXPECT_EQ(Json::parse(huge->body)["error"]["code"], "payload_too_large");

    const ApiResponse bad_id = nurse.Get("/api/v1/patients/abc");
    EXPECT_EQ(bad_id.status, 400);
    EXPECT_EQ(bad_id.ErrorField(), "id");
    const ApiResponse bad_page = nurse.Get("/api/v1/patients?limit=0");
    EXPECT_EQ(bad_page.status, 400);
    EXPECT_EQ(bad_page.ErrorField(), "limit");

    // Out of range for the clinical core: 422 naming the field.
    const ApiResponse registered = nurse.Post("/api/v1/patients", kPatient);
    ASSERT_EQ(registered.status, 201);
    const std::string vitals = "/api/v1/patients/" + std::to_string(registered.body["id"].get<int>()) + "/vitals";
    const ApiResponse implausible = nurse.Post(vitals, {{"loinc", "8867-4"}, {"value", 900}, {"unit", "/min"}});
    EXPECT_EQ(implausible.status, 422) << implausible.text;
    EXPECT_EQ(implausible.ErrorField(), "value");

    // Nothing above wrote anything but the one registration and the vital sign's refusal wrote nothing either.
    EXPECT_EQ(AuditedActionsAfter(admin, audit_before), std::vector<std::string>{"patient.create"});
    EXPECT_EQ(nurse.Get("/api/v1/patients").body["items"].size(), 1U);
}

TEST_P(ApiTest, PatientUpdatesNeedTheCurrentEntityTag) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const ApiResponse registered = nurse.Post("/api/v1/patients", kPatient);
    ASSERT_EQ(registered.status, 201);
    EXPECT_EQ(registered.Header("etag"), "\"1\"");
    const std::string location = registered.Header("location");
    ASSERT_EQ(location, "/api/v1/patients/" + std::to_string(registered.body["id"].get<int>()));

    Json changed = kPatient;
    changed["family_name"] = "Changed";
    const ApiResponse unconditional = nurse.Put(location, changed);
    EXPECT_EQ(unconditional.status, 428);
    EXPECT_EQ(unconditional.ErrorCode(), "precondition_required");

    const ApiResponse updated = nurse.Put(location, changed, "If-Match: \"1\"\r\n");
    EXPECT_EQ(updated.status, 200) << updated.text;
    EXPECT_EQ(updated.Header("etag"), "\"2\"");
    EXPECT_EQ(updated.body["family_name"], "Changed");

    changed["family_name"] = "Lost update";
    const ApiResponse stale = nurse.Put(location, changed, "If-Match: \"1\"\r\n");
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(stale.ErrorCode(), "precondition_failed");
    const ApiResponse read = nurse.Get(location);
    EXPECT_EQ(read.body["family_name"], "Changed");
    EXPECT_EQ(read.Header("etag"), "\"2\"");
    EXPECT_EQ(nurse.Put(location, changed, "If-Match: W/\"2\"\r\n").status, 400);
}

TEST_P(ApiTest, ListsPageByCursor) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    for (int i = 1; i <= 5; ++i) {
        Json patient = kPatient;
        patient["mrn"] = "MRN-" + std::to_string(i);
        ASSERT_EQ(nurse.Post("/api/v1/patients", patient).status, 201);
    }
    std::vector<std::string> seen;
    std::string target = "/api/v1/patients?limit=2";
    for (int page = 0; page < 5; ++page) {
        const ApiResponse response = nurse.Get(target);
        ASSERT_EQ(response.status, 200);
        for (const Json& patient : response.body["items"]) {
            seen.push_back(patient["mrn"]);
        }
        if (!response.body.contains("next_after")) {
            break;
        }
        target = "/api/v1/patients?limit=2&after=" + std::to_string(response.body["next_after"].get<int>());
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"MRN-1", "MRN-2", "MRN-3", "MRN-4", "MRN-5"}));
}

TEST_P(ApiTest, QueryParametersAreDeclaredPerRouteAndEachMalformedValueIsNamed) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    const ApiResponse registered = nurse.Post("/api/v1/patients", kPatient);
    ASSERT_EQ(registered.status, 201);
    const std::string patient = "/api/v1/patients/" + std::to_string(registered.body["id"].get<int>());

    struct Refusal {
        std::string target;
        std::string field;
        std::string message;  // empty: any
    };
    const std::vector<Refusal> refusals = {
        {"/api/v1/patients?foo=1", "foo",
         "unknown query parameter 'foo'; this route accepts: limit, after, mrn, name, q"},
        {"/api/v1/patients?Limit=5", "Limit", ""},
        {"/api/v1/patients?limit=2&limit=3", "limit", "query parameter 'limit' is repeated; send it once"},
        {"/api/v1/patients?limit=abc", "limit", "must be an integer from 1 to 500"},
        {"/api/v1/patients?limit=0", "limit", ""},
        {"/api/v1/patients?limit=", "limit", ""},
        {"/api/v1/patients?after=-1", "after", ""},
        {"/api/v1/patients?mrn=MRN-1&name=Ada", "mrn", "search by mrn or by name, not both"},
        {"/api/v1/patients?name=+", "name", "is required"},
        {patient + "?verbose", "verbose", "unknown query parameter 'verbose'; this route accepts none"},
        {patient + "/vitals?after=3", "after", "unknown query parameter 'after'; this route accepts: limit, session"},
        {"/api/v1/sessions", "date", "is required: the day, YYYY-MM-DD"},
        {"/api/v1/sessions?date=2026-02-30", "date", "must be a calendar date YYYY-MM-DD (got \"2026-02-30\")"},
        {"/api/v1/sessions?date=tomorrow", "date", ""},
        {patient + "/history?kind=unknown", "kind", ""},
        {patient + "/notes?kind=unknown", "kind", ""},
        {"/api/v1/alerts?open=yes", "open", "must be true or false"},
        {"/api/v1/alerts?patient_id=abc", "patient_id", ""},
        {"/api/v1/alerts?notify=not-an-address", "notify", ""},
        {"/api/v1/audit?actor=", "actor", "must not be blank when given"},
        {"/api/v1/audit?action=Patient.Read", "action", ""},
        {"/api/v1/audit?from=2026-11-21T10:00:00Z&to=2026-11-21T09:00:00Z", "to", "must be later than from"},
        {"/api/v1/audit?from=2026-11-21", "from", ""},
        {"/healthz?verbose=1", "verbose", "unknown query parameter 'verbose'; this route accepts none"},
    };
    const std::int64_t audit_before = LatestAuditId(admin);
    for (const Refusal& refusal : refusals) {
        // Only an admin reads the audit log, and only staff in care read the clinical lists.
        ApiClient& caller = refusal.target.starts_with("/api/v1/audit") ? admin : nurse;
        const ApiResponse response = caller.Get(refusal.target);
        EXPECT_EQ(response.status, 400) << refusal.target << ": " << response.text;
        EXPECT_EQ(response.ErrorCode(), "invalid_argument") << refusal.target;
        EXPECT_EQ(response.ErrorField(), refusal.field) << refusal.target;
        if (!refusal.message.empty()) {
            EXPECT_EQ(response.body["error"]["message"], refusal.message) << refusal.target;
        }
    }
    const ApiResponse login = ApiClient(server_->port())
                                  .Send("POST", "/api/v1/auth/login?next=/",
                                        Json{{"email", "nurse@clinic.example"}, {"password", "x"}}.dump());
    EXPECT_EQ(login.status, 400);
    EXPECT_EQ(login.ErrorField(), "next");
    // Nothing refused was read: no audit entry but the one reading of the audit log to check it.
    EXPECT_EQ(AuditedActionsAfter(admin, audit_before), std::vector<std::string>{});

    // What is accepted still works, and an alert filter's address is read in any case.
    EXPECT_EQ(nurse.Get("/api/v1/alerts?notify=Nurse@Clinic.Example&open=true").status, 200);
    EXPECT_EQ(nurse.Get("/api/v1/alerts?notify=").status, 200);
    EXPECT_EQ(nurse.Get("/api/v1/sessions?date=2026-02-28").status, 200);
    EXPECT_EQ(admin.Get("/api/v1/audit?action=patient.create").body["items"].size(), 1U);
}

TEST_P(ApiTest, PatientsAreFoundByMrnOrNameAndTheSearchIsAudited) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    Json lovelace = kPatient;
    lovelace["mrn"] = "MRN-ADA";
    lovelace["family_name"] = "Lovelace";
    ASSERT_EQ(nurse.Post("/api/v1/patients", lovelace).status, 201);
    Json hopper = kPatient;
    hopper["mrn"] = "MRN-GRACE";
    hopper["given_name"] = "Grace";
    hopper["family_name"] = "Hopper";
    ASSERT_EQ(nurse.Post("/api/v1/patients", hopper).status, 201);

    const auto mrns = [&nurse](const std::string& query) {
        const ApiResponse response = nurse.Get("/api/v1/patients?" + query);
        EXPECT_EQ(response.status, 200) << query << ": " << response.text;
        std::vector<std::string> found;
        for (const Json& patient : response.body["items"]) {
            found.push_back(patient["mrn"]);
        }
        return found;
    };
    using Mrns = std::vector<std::string>;
    EXPECT_EQ(mrns("mrn=MRN-ADA"), Mrns{"MRN-ADA"});
    EXPECT_EQ(mrns("mrn=MRN"), Mrns{});
    EXPECT_EQ(mrns("name=lov"), Mrns{"MRN-ADA"});
    EXPECT_EQ(mrns("name=HOPPER%2C+g"), Mrns{"MRN-GRACE"});
    EXPECT_EQ(mrns("name=a&limit=1"), Mrns{"MRN-ADA"});  // Ada; Grace's names start with neither
    EXPECT_EQ(mrns(""), (Mrns{"MRN-ADA", "MRN-GRACE"}));

    const ApiResponse searches = admin.Get("/api/v1/audit?action=patient.search");
    ASSERT_EQ(searches.status, 200);
    std::vector<std::string> details;
    for (const Json& entry : searches.body["items"]) {
        details.push_back(entry["detail"]);
    }
    EXPECT_EQ(details, (std::vector<std::string>{"mrn=MRN-ADA", "mrn=MRN", "name=lov", "name=HOPPER, g", "name=a"}));
    EXPECT_FALSE(admin.Get("/api/v1/audit?action=patient.list").body["items"][0].contains("detail"));
}

TEST_P(ApiTest, VitalsRaiseAlertsInTheAnswer) {
    ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
    const ApiResponse registered = nurse.Post("/api/v1/patients", kPatient);
    ASSERT_EQ(registered.status, 201);
    const std::string base = registered.Header("location");
    const ApiResponse high =
        nurse.Post(base + "/vitals", {{"loinc", "85354-9"}, {"systolic", 185}, {"diastolic", 90}, {"unit", "mm[Hg]"}});
    ASSERT_EQ(high.status, 201) << high.text;
    ASSERT_EQ(high.body["alerts"].size(), 1U);
    EXPECT_EQ(high.body["alerts"][0]["rule"], "systolic_high");
    const ApiResponse normal =
        nurse.Post(base + "/vitals", {{"loinc", "85354-9"}, {"systolic", 120}, {"diastolic", 90}, {"unit", "mm[Hg]"}});
    EXPECT_TRUE(normal.body["alerts"].empty());
    const ApiResponse chart = nurse.Get(base + "/vitals");
    ASSERT_EQ(chart.status, 200);
    EXPECT_EQ(chart.body["items"].size(), 2U);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendTestName());

}  // namespace
}  // namespace kclinic::cli::testing
