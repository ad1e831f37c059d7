// The live channel as a client meets it, on a real `kclinic serve` over SQLite and over PostgreSQL, through the
// WebSocket client of adapters/http/testing: the board and a session's subscribers receive a breaching vital sign,
// then its alert, then a session step; the upgrade and the subscription are refused as docs/api.md says; and two
// server processes on one PostgreSQL database hand each other's events to their subscribers (issue 4 §3).
// No assertion depends on timing: every wait has a generous deadline, and a missing event fails the test.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/http/testing/live_test_client.hpp"
#include "adapters/storage/sql/sql_connection.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::http::testing::LiveMessage;
using adapters::http::testing::LiveOpening;
using adapters::http::testing::LiveTestClient;
using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

constexpr std::chrono::seconds kPatience{10};

const Json kSystolic185 = {{"loinc", "85354-9"}, {"systolic", 185}, {"diastolic", 90}, {"unit", "mm[Hg]"}};

std::string UtcToday() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[16];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return {text, length};
}

// The next message of `client` as JSON; null (with the reason in the failure) when it is not a text message.
Json NextJson(LiveTestClient& client) {
    const LiveMessage message = client.Next(kPatience);
    EXPECT_EQ(message.kind, LiveMessage::Kind::kText)
        << "instead of a message: kind " << static_cast<int>(message.kind) << ", close " << message.close_code << " "
        << message.close_reason << " " << message.text;
    return message.kind == LiveMessage::Kind::kText ? Json::parse(message.text, nullptr, false) : Json();
}

// A client of `port` with `token` that has subscribed to `topic` and read the answer; nullptr (with a test failure)
// when that did not happen.
std::unique_ptr<LiveTestClient> Subscribed(std::uint16_t port, const std::string& token, const Json& topic) {
    LiveOpening opening = LiveTestClient::OpenWithToken(port, token);
    EXPECT_EQ(opening.status, 101) << opening.body << opening.problem;
    if (opening.client == nullptr) {
        return nullptr;
    }
    EXPECT_TRUE(opening.client->SendJson({{"subscribe", topic}}));
    const Json answer = NextJson(*opening.client);
    EXPECT_EQ(answer.value("type", ""), "subscribed") << answer;
    return answer.value("type", "") == "subscribed" ? std::move(opening.client) : nullptr;
}

// The next two messages of `client` are the vital sign `vital_id` of `patient_id` and then the alert it raised.
void ExpectVitalThenAlert(LiveTestClient& client, std::int64_t patient_id, std::int64_t vital_id,
                          std::int64_t alert_id) {
    const Json vital = NextJson(client);
    EXPECT_EQ(vital.value("type", ""), "vital_sign") << vital;
    EXPECT_EQ(vital.value("patient_id", std::int64_t{0}), patient_id) << vital;
    ASSERT_TRUE(vital.contains("record")) << vital;
    EXPECT_EQ(vital["record"].value("id", std::int64_t{0}), vital_id) << vital;
    EXPECT_EQ(vital["record"].value("loinc", ""), "85354-9") << vital;
    EXPECT_EQ(vital["record"].value("systolic", 0.0), 185.0) << vital;
    const Json alert = NextJson(client);
    EXPECT_EQ(alert.value("type", ""), "alert") << alert;
    EXPECT_EQ(alert.value("patient_id", std::int64_t{0}), patient_id) << alert;
    ASSERT_TRUE(alert.contains("record")) << alert;
    EXPECT_EQ(alert["record"].value("id", std::int64_t{0}), alert_id) << alert;
    EXPECT_EQ(alert["record"].value("rule", ""), "systolic_high") << alert;
}

// A patient registered through `nurse`: their id.
std::int64_t Register(ApiClient& nurse, const std::string& mrn) {
    const ApiResponse registered = nurse.Post("/api/v1/patients", {{"mrn", mrn},
                                                                   {"given_name", "Ada"},
                                                                   {"family_name", "Example"},
                                                                   {"birth_date", "1980-03-14"},
                                                                   {"sex", "female"}});
    EXPECT_EQ(registered.status, 201) << registered.text;
    return registered.body.is_object() ? registered.body.value("id", std::int64_t{0}) : 0;
}

// Records SBP 185 for `patient_id` through `nurse`: the vital sign's id and its alert's.
std::pair<std::int64_t, std::int64_t> RecordBreachingVital(ApiClient& nurse, std::int64_t patient_id) {
    const ApiResponse recorded = nurse.Post("/api/v1/patients/" + std::to_string(patient_id) + "/vitals", kSystolic185);
    EXPECT_EQ(recorded.status, 201) << recorded.text;
    if (recorded.status != 201 || recorded.body["alerts"].size() != 1) {
        ADD_FAILURE() << "no alert in the answer: " << recorded.text;
        return {0, 0};
    }
    return {recorded.body.value("id", std::int64_t{0}), recorded.body["alerts"][0].value("id", std::int64_t{0})};
}

class LiveTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        for (const char* role : {"admin", "prescriber", "nurse", "front_desk"}) {
            server_->AddUser(std::string(role) + "@clinic.example", role);
        }
        nurse_token_ = server_->CreateToken("nurse@clinic.example");
        ApiClient nurse(server_->port());
        nurse.UseToken(nurse_token_);
        patient_id_ = Register(nurse, "MRN-L");
        ASSERT_NE(patient_id_, 0);
        server_->SignedScreening(patient_id_, "ketamine-iv");
        const ApiResponse started =
            server_->ClientWithToken("prescriber@clinic.example")
                .Post("/api/v1/patients/" + std::to_string(patient_id_) + "/courses", {{"indication", "TRD (F33.2)"},
                                                                                       {"protocol", "iv-induction"},
                                                                                       {"route", "iv"},
                                                                                       {"start_date", UtcToday()}});
        ASSERT_EQ(started.status, 201) << started.text;
        session_id_ = started.body["sessions"][0]["id"].get<std::int64_t>();
    }

    std::unique_ptr<ClinicServer> server_;
    std::string nurse_token_;
    std::int64_t patient_id_ = 0;
    std::int64_t session_id_ = 0;
};

TEST_P(LiveTest, BoardAndSessionSubscribersReceiveTheVitalItsAlertAndTheSessionStep) {
    const std::unique_ptr<LiveTestClient> board = Subscribed(server_->port(), nurse_token_, "board");
    ASSERT_NE(board, nullptr);
    LiveOpening watching = LiveTestClient::OpenWithToken(server_->port(), nurse_token_);
    ASSERT_NE(watching.client, nullptr) << watching.status << watching.body << watching.problem;
    LiveTestClient& session = *watching.client;
    ASSERT_TRUE(session.SendJson({{"subscribe", {{"session_id", session_id_}}}}));
    const Json subscribed = NextJson(session);
    EXPECT_EQ(subscribed,
              Json({{"type", "subscribed"}, {"topic", {{"session_id", session_id_}, {"patient_id", patient_id_}}}}));

    ApiClient nurse(server_->port());
    nurse.UseToken(nurse_token_);
    const auto [vital_id, alert_id] = RecordBreachingVital(nurse, patient_id_);
    ExpectVitalThenAlert(*board, patient_id_, vital_id, alert_id);
    ExpectVitalThenAlert(session, patient_id_, vital_id, alert_id);

    const ApiResponse checked_in = nurse.Post("/api/v1/sessions/" + std::to_string(session_id_) + "/check-in",
                                              {{"consent_confirmed", true}, {"escort_confirmed", true}});
    ASSERT_EQ(checked_in.status, 200) << checked_in.text;
    for (LiveTestClient* client : {board.get(), &session}) {
        const Json step = NextJson(*client);
        EXPECT_EQ(step.value("type", ""), "session_state") << step;
        EXPECT_EQ(step.value("session_id", std::int64_t{0}), session_id_) << step;
        EXPECT_EQ(step.value("patient_id", std::int64_t{0}), patient_id_) << step;
        ASSERT_TRUE(step.contains("record")) << step;
        EXPECT_EQ(step["record"].value("state", ""), "checked_in") << step;
    }

    // Unsubscribed, the session's client hears nothing of the next vital while the board still does.
    ASSERT_TRUE(session.SendJson({{"unsubscribe", true}}));
    EXPECT_EQ(NextJson(session), Json({{"type", "unsubscribed"}}));
    const auto [next_vital, next_alert] = RecordBreachingVital(nurse, patient_id_);
    ExpectVitalThenAlert(*board, patient_id_, next_vital, next_alert);
    EXPECT_EQ(session.Next(std::chrono::milliseconds{300}).kind, LiveMessage::Kind::kTimeout);
}

// The audit entries of `action` naming `patient_id`, as an admin reads them.
Json AuditEntries(ClinicServer& server, const std::string& action, std::int64_t patient_id) {
    const ApiResponse listed = server.ClientWithToken("admin@clinic.example")
                                   .Get("/api/v1/audit?action=" + action + "&patient_id=" + std::to_string(patient_id));
    EXPECT_EQ(listed.status, 200) << listed.text;
    return listed.status == 200 ? listed.body["items"] : Json::array();
}

// Issue 15 §7: who saw this patient's data, when. The audit log names the user and the patient of what the live
// channel pushed: the entry of the first event is written before that event reaches the client (so it is there as
// soon as the client has it, a kill -9 notwithstanding), and the end of the connection counts the events.
TEST_P(LiveTest, TheAuditLogNamesWhoReceivedAPatientsEventsAndHowMany) {
    std::unique_ptr<LiveTestClient> board = Subscribed(server_->port(), nurse_token_, "board");
    ASSERT_NE(board, nullptr);
    EXPECT_TRUE(AuditEntries(*server_, "live.receive", patient_id_).empty());

    ApiClient nurse(server_->port());
    nurse.UseToken(nurse_token_);
    RecordBreachingVital(nurse, patient_id_);
    const Json vital = NextJson(*board);
    EXPECT_EQ(vital.value("type", ""), "vital_sign") << vital;
    const Json received = AuditEntries(*server_, "live.receive", patient_id_);
    ASSERT_EQ(received.size(), 1U) << received;
    EXPECT_EQ(received[0]["actor"], "nurse@clinic.example") << received;
    EXPECT_EQ(received[0]["patient_id"], patient_id_) << received;
    EXPECT_EQ(received[0]["detail"], "topic=board") << received;
    EXPECT_EQ(NextJson(*board).value("type", ""), "alert");
    EXPECT_EQ(AuditEntries(*server_, "live.receive", patient_id_).size(), 1U);  // once per patient and connection

    ASSERT_TRUE(board->Close(1000));
    // The closing entry is written after the connection ended, on the server's time: await it.
    Json closed = Json::array();
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (closed.empty() && std::chrono::steady_clock::now() < deadline) {
        closed = AuditEntries(*server_, "live.close", patient_id_);
    }
    ASSERT_EQ(closed.size(), 1U) << closed;
    EXPECT_EQ(closed[0]["actor"], "nurse@clinic.example") << closed;
    EXPECT_EQ(closed[0]["detail"], "events=2") << closed;
}

TEST_P(LiveTest, UpgradesAndSubscriptionsAreRefusedAsDocumented) {
    const LiveOpening anonymous = LiveTestClient::Open(server_->port(), {});
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.client, nullptr);
    EXPECT_EQ(Json::parse(anonymous.body, nullptr, false)["error"]["code"], "unauthenticated") << anonymous.body;
    const LiveOpening forged = LiveTestClient::OpenWithToken(server_->port(), "not-a-token");
    EXPECT_EQ(forged.status, 401);
    EXPECT_EQ(forged.client, nullptr);

    // The front desk may open the channel (it is an API client) but subscribes to nothing clinical.
    LiveOpening desk =
        LiveTestClient::OpenWithToken(server_->port(), server_->CreateToken("front_desk@clinic.example"));
    ASSERT_NE(desk.client, nullptr) << desk.status << desk.body << desk.problem;
    ASSERT_TRUE(desk.client->SendJson({{"subscribe", "board"}}));
    const Json board_refused = NextJson(*desk.client);
    EXPECT_EQ(board_refused.value("type", ""), "error") << board_refused;
    EXPECT_EQ(board_refused["error"].value("code", ""), "permission_denied") << board_refused;
    ASSERT_TRUE(desk.client->SendJson({{"subscribe", {{"session_id", session_id_}}}}));
    const Json session_refused = NextJson(*desk.client);
    EXPECT_EQ(session_refused["error"].value("code", ""), "permission_denied") << session_refused;

    // A refused subscription leaves the connection open; an unknown session is named in the error.
    LiveOpening nurse = LiveTestClient::OpenWithToken(server_->port(), nurse_token_);
    ASSERT_NE(nurse.client, nullptr);
    ASSERT_TRUE(nurse.client->SendJson({{"subscribe", {{"session_id", 999999}}}}));
    const Json missing = NextJson(*nurse.client);
    EXPECT_EQ(missing["error"].value("code", ""), "not_found") << missing;
    EXPECT_EQ(missing["error"].value("field", ""), "subscribe.session_id") << missing;
    ASSERT_TRUE(nurse.client->SendText("{not json"));
    EXPECT_EQ(NextJson(*nurse.client).value("type", ""), "error");

    // Nothing the refused clients asked for reaches them.
    ApiClient writer(server_->port());
    writer.UseToken(nurse_token_);
    RecordBreachingVital(writer, patient_id_);
    EXPECT_EQ(desk.client->Next(std::chrono::milliseconds{300}).kind, LiveMessage::Kind::kTimeout);
    EXPECT_EQ(nurse.client->Next(std::chrono::milliseconds{300}).kind, LiveMessage::Kind::kTimeout);
}

// A count's discrepancy reaches the board of those who sign it (issue 14 §2): every prescriber while no medical
// director is designated, then the director alone; never the nurses who counted. Each board's next event after it is a
// vital sign of the clinic, so "nothing for you" is seen in order rather than waited for.
TEST_P(LiveTest, ACountDiscrepancyIsPushedToWhoSignsItAndNoOneElse) {
    server_->AddUser("director@clinic.example", "prescriber");
    server_->AddUser("rn2@clinic.example", "nurse");
    ApiClient nurse(server_->port());
    nurse.UseToken(nurse_token_);
    const ApiResponse received = nurse.Post("/api/v1/inventory/receipts", {{"product", "ketamine_50mg_ml_10ml"},
                                                                           {"lot_number", "K2611-04"},
                                                                           {"expires_on", "2099-06-30"},
                                                                           {"supplier", "Acme Wholesale"},
                                                                           {"invoice", "INV-1"},
                                                                           {"location", "safe"},
                                                                           {"containers", 1}});
    ASSERT_EQ(received.status, 201) << received.text;
    const Json vial = received.body["containers"][0]["id"];
    const auto count = [&](double ml) {
        const ApiResponse counted =
            nurse.Post("/api/v1/inventory/counts",
                       {{"location", "safe"},
                        {"found", {{{"container_id", vial}, {"amount", {{"ml", ml}}}}}},
                        {"witness", {{"email", "rn2@clinic.example"}, {"password", std::string(kTestPassword)}}}});
        EXPECT_EQ(counted.status, 201) << counted.text;
    };
    const auto expect_discrepancy = [](LiveTestClient& board, double found_ml) {
        const Json pushed = NextJson(board);
        EXPECT_EQ(pushed.value("type", ""), "count_discrepancy") << pushed;
        EXPECT_EQ(pushed["record"]["count"]["amount"]["ml"], found_ml) << pushed;
        EXPECT_EQ(pushed["record"]["resolution"], nullptr) << pushed;
    };
    const auto expect_vital_next = [](LiveTestClient& board, std::int64_t vital_id) {
        const Json next = NextJson(board);
        EXPECT_EQ(next.value("type", ""), "vital_sign") << next;
        EXPECT_EQ(next["record"].value("id", std::int64_t{0}), vital_id) << next;
    };
    const std::unique_ptr<LiveTestClient> nurse_board = Subscribed(server_->port(), nurse_token_, "board");
    const std::unique_ptr<LiveTestClient> prescriber_board =
        Subscribed(server_->port(), server_->CreateToken("prescriber@clinic.example"), "board");
    const std::unique_ptr<LiveTestClient> director_board =
        Subscribed(server_->port(), server_->CreateToken("director@clinic.example"), "board");
    ASSERT_TRUE(nurse_board && prescriber_board && director_board);

    // No medical director yet: every prescriber is told, once per discrepancy; the nurses are not.
    count(9.5);
    expect_discrepancy(*prescriber_board, 9.5);
    expect_discrepancy(*director_board, 9.5);
    std::int64_t vital = RecordBreachingVital(nurse, patient_id_).first;
    for (LiveTestClient* board : {nurse_board.get(), prescriber_board.get(), director_board.get()}) {
        expect_vital_next(*board, vital);
        EXPECT_EQ(NextJson(*board).value("type", ""), "alert");
    }

    // Once an admin designates the medical director, the director alone.
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    ASSERT_EQ(admin.Post("/api/v1/users/director@clinic.example/medical-director", Json::object()).status, 200);
    count(9.0);
    expect_discrepancy(*director_board, 9.0);
    vital = RecordBreachingVital(nurse, patient_id_).first;
    for (LiveTestClient* board : {nurse_board.get(), prescriber_board.get(), director_board.get()}) {
        expect_vital_next(*board, vital);
    }

    // The alerts stay open until the director signs: both are the director's, none is anyone else's.
    ApiClient director = server_->ClientWithToken("director@clinic.example");
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    const ApiResponse alerts = director.Get("/api/v1/inventory/discrepancy-alerts");
    ASSERT_EQ(alerts.status, 200) << alerts.text;
    ASSERT_EQ(alerts.body.size(), 2U) << alerts.text;
    EXPECT_EQ(prescriber.Get("/api/v1/inventory/discrepancy-alerts").body, Json::array());
    EXPECT_EQ(nurse.Get("/api/v1/inventory/discrepancy-alerts").body, Json::array());
    const std::string resolve =
        "/api/v1/inventory/entries/" + std::to_string(alerts.body[0]["count"]["id"].get<std::int64_t>()) + "/resolve";
    EXPECT_EQ(prescriber.Post(resolve, {{"explanation", "spill"}}).status, 403);
    EXPECT_EQ(director.Get("/api/v1/inventory/discrepancy-alerts").body.size(), 2U);
    ASSERT_EQ(director.Post(resolve, {{"explanation", "spill while drawing, witnessed"}}).status, 200);
    const ApiResponse left = director.Get("/api/v1/inventory/discrepancy-alerts");
    ASSERT_EQ(left.body.size(), 1U) << left.text;
    EXPECT_EQ(left.body[0]["count"]["id"], alerts.body[1]["count"]["id"]);
}

TEST_P(LiveTest, ShutdownClosesEveryLiveClientWithGoingAway) {
    const std::unique_ptr<LiveTestClient> board = Subscribed(server_->port(), nurse_token_, "board");
    ASSERT_NE(board, nullptr);
    // The server waits for the client's answer to its close frame, so the client reads while the server stops.
    std::future<int> stopped = std::async(std::launch::async, [this] { return server_->Stop(); });
    const LiveMessage closed = board->Next(kPatience);
    EXPECT_EQ(stopped.get(), 0);
    EXPECT_EQ(closed.kind, LiveMessage::Kind::kClose);
    EXPECT_EQ(closed.close_code, 1001);
    EXPECT_EQ(closed.close_reason, "server shutting down");
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName());

// NOTIFY reaches only sessions LISTENing when it commits, and a relay LISTENs on its own thread after the server
// has printed its URL: wait (at most kPatience) until `listeners` backends on the database have run their LISTEN,
// so that no event of the test can be sent before a process listens for it.
bool WaitForListeners(adapters::storage::contract::TestDatabase& database, std::int64_t listeners) {
    Result<std::unique_ptr<adapters::storage::sql::SqlConnection>> connection = database.ConnectDirectly();
    if (!connection.ok()) {
        ADD_FAILURE() << connection.error().ToString();
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (std::chrono::steady_clock::now() < deadline) {
        Result<std::vector<adapters::storage::sql::SqlRow>> rows =
            (*connection)
                ->Query(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle' AND "
                    "query LIKE 'LISTEN %'",
                    {});
        if (rows.ok() && !rows->empty() && std::get<std::int64_t>(rows->front().columns.at(0)) >= listeners) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    }
    ADD_FAILURE() << "fewer than " << listeners << " server processes LISTEN after " << kPatience.count() << " s";
    return false;
}

// Issue 4 §3: several `kclinic serve` processes share one PostgreSQL database behind a load balancer; an event written
// through one reaches the live subscribers of every other, in both directions, and each process's own subscribers
// receive its events once (a process skips its own notifications).
TEST(LiveAcrossProcessesTest, TwoServersOnOnePostgresDatabaseRelayEachOthersEvents) {
    const std::unique_ptr<ClinicServer> a = ClinicServer::Start(Backend::kPostgres);
    ASSERT_NE(a, nullptr);
    const std::unique_ptr<ClinicServer> b = ClinicServer::StartBeside(*a);
    ASSERT_NE(b, nullptr);
    a->AddUser("nurse@clinic.example", "nurse");
    ApiClient nurse_a = a->ClientWithToken("nurse@clinic.example");
    ApiClient nurse_b = b->ClientWithToken("nurse@clinic.example");
    const std::int64_t patient_id = Register(nurse_a, "MRN-R");
    ASSERT_NE(patient_id, 0);
    ASSERT_TRUE(WaitForListeners(a->database(), 2));

    const std::unique_ptr<LiveTestClient> on_a = Subscribed(a->port(), a->CreateToken("nurse@clinic.example"), "board");
    const std::unique_ptr<LiveTestClient> on_b = Subscribed(b->port(), b->CreateToken("nurse@clinic.example"), "board");
    ASSERT_NE(on_a, nullptr);
    ASSERT_NE(on_b, nullptr);

    const auto [vital_via_a, alert_via_a] = RecordBreachingVital(nurse_a, patient_id);
    ExpectVitalThenAlert(*on_b, patient_id, vital_via_a, alert_via_a);
    ExpectVitalThenAlert(*on_a, patient_id, vital_via_a, alert_via_a);

    const auto [vital_via_b, alert_via_b] = RecordBreachingVital(nurse_b, patient_id);
    ExpectVitalThenAlert(*on_a, patient_id, vital_via_b, alert_via_b);
    ExpectVitalThenAlert(*on_b, patient_id, vital_via_b, alert_via_b);

    // No process echoes an event back: nothing else arrives on either side.
    EXPECT_EQ(on_a->Next(std::chrono::milliseconds{300}).kind, LiveMessage::Kind::kTimeout);
    EXPECT_EQ(on_b->Next(std::chrono::milliseconds{300}).kind, LiveMessage::Kind::kTimeout);
}

}  // namespace
}  // namespace kclinic::cli::testing
