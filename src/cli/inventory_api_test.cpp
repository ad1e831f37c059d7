// The controlled-substance log's routes on a real `kclinic serve` over SQLite and over PostgreSQL, with a real HTTP
// client: a nurse receives stock, draws for a real infusion and wastes the remainder before a witness who confirms
// with their own credentials in the same request (password or their own API token; never the nurse's session), a
// count with a second counter opens a discrepancy the prescriber signs, and the inspector's reports come out as JSON
// and CSV.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/json/clinical_json.hpp"
#include "cli/testing/clinic_server.hpp"

namespace kclinic::cli::testing {
namespace {

using adapters::storage::contract::BackendTestName;
using Json = nlohmann::json;

std::string UtcToday() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return adapters::json::FormatTime(today).substr(0, 10);
}

class InventoryApiTest : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        server_ = ClinicServer::Start(GetParam());
        ASSERT_NE(server_, nullptr);
        for (const char* role : {"admin", "prescriber", "nurse", "therapist"}) {
            server_->AddUser(std::string(role) + "@clinic.example", role);
        }
        server_->AddUser("rn2@clinic.example", "nurse");
    }

    // A dosing IV session of a new patient and its running 35-mg ketamine infusion, through the API; its id.
    std::int64_t KetamineAdministration() {
        ApiClient nurse = server_->ClientWithToken("nurse@clinic.example");
        ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
        const std::int64_t patient_id = RegisterPatient(nurse, "MRN-CS", "Ada", "Example", "female");
        const std::string patient = "/api/v1/patients/" + std::to_string(patient_id);
        // The address the dispensing log names (21 CFR 1304.22(c)); too long a one is refused.
        Json demographics = {{"mrn", "MRN-CS"},          {"given_name", "Ada"},
                             {"family_name", "Example"}, {"birth_date", "1980-03-14"},
                             {"sex", "female"},          {"address", std::string(501, 'x')}};
        EXPECT_EQ(nurse.Put(patient, demographics, "If-Match: \"1\"\r\n").ErrorField(), "address");
        demographics["address"] = "12 Example Street\nSpringfield, IL 62701";
        const ApiResponse addressed = nurse.Put(patient, demographics, "If-Match: \"1\"\r\n");
        EXPECT_EQ(addressed.status, 200) << addressed.text;
        EXPECT_EQ(addressed.body["address"], "12 Example Street\nSpringfield, IL 62701");
        EXPECT_EQ(nurse.Post(patient + "/weights", {{"weight_kg", 70}}).status, 201);
        server_->SignedScreening(patient_id, "ketamine-iv");
        const ApiResponse started = prescriber.Post(
            patient + "/courses",
            {{"indication", "TRD (F33.2)"}, {"protocol", "iv-induction"}, {"route", "iv"}, {"start_date", UtcToday()}});
        EXPECT_EQ(started.status, 201) << started.text;
        const std::string session =
            "/api/v1/sessions/" + std::to_string(started.body["sessions"][0]["id"].get<std::int64_t>());
        EXPECT_EQ(nurse.Post(session + "/check-in", {{"consent_confirmed", true}, {"escort_confirmed", true}}).status,
                  200);
        EXPECT_EQ(nurse
                      .Post(patient + "/vitals",
                            {{"loinc", "85354-9"}, {"systolic", 122}, {"diastolic", 78}, {"unit", "mm[Hg]"}})
                      .status,
                  201);
        EXPECT_EQ(nurse.Post(session + "/pre-dose", Json::object()).status, 200);
        EXPECT_EQ(prescriber
                      .Post(session + "/dose-order", {{"route", "iv"},
                                                      {"weight_kg", 70},
                                                      {"mg_per_kg", 0.5},
                                                      {"minutes", 40},
                                                      {"concentration_mg_per_ml", 10}})
                      .status,
                  201);
        EXPECT_EQ(nurse.Send("POST", session + "/start-dosing", "").status, 200);
        const ApiResponse given = nurse.Post(
            session + "/administrations",
            {{"drug", "ketamine"}, {"route", "iv"}, {"dose_mg", 35}, {"rate_mg_per_h", 52.5}, {"lot_number", "K1"}});
        EXPECT_EQ(given.status, 201) << given.text;
        return given.body.value("id", std::int64_t{0});
    }

    std::unique_ptr<ClinicServer> server_;
};

TEST_P(InventoryApiTest, ADrawAndItsWitnessedWasteBalanceAndTheReportsShowThem) {
    ApiClient nurse = server_->LoggedIn("nurse@clinic.example");
    ApiClient prescriber = server_->ClientWithToken("prescriber@clinic.example");
    ApiClient therapist = server_->ClientWithToken("therapist@clinic.example");
    const std::string password(kTestPassword);

    const Json receipt = {{"product", "ketamine_50mg_ml_10ml"},
                          {"lot_number", "K2611-04"},
                          {"expires_on", "2099-06-30"},
                          {"supplier", "Acme Wholesale"},
                          {"invoice", "INV-88121"},
                          {"location", "safe"},
                          {"containers", 2}};
    EXPECT_EQ(therapist.Post("/api/v1/inventory/receipts", receipt).status, 403);
    const ApiResponse received = nurse.Post("/api/v1/inventory/receipts", receipt);
    ASSERT_EQ(received.status, 201) << received.text;
    ASSERT_EQ(received.body["containers"].size(), 2U);
    const Json& first = received.body["containers"][0];
    EXPECT_EQ(first["balance"]["on_hand"], Json({{"units", 10000}, {"mg", 500.0}, {"ml", 10.0}}));
    EXPECT_EQ(first["location"], "safe");
    const std::string vial = "/api/v1/inventory/containers/" + std::to_string(first["id"].get<std::int64_t>());

    const std::int64_t administration = KetamineAdministration();
    EXPECT_EQ(nurse
                  .Post(vial + "/draws", {{"administration_id", administration},
                                          {"drawn", {{"mg", 50}}},
                                          {"given", {{"mg", 35}, {"ml", 0.7}}}})
                  .ErrorField(),
              "given.ml");
    const ApiResponse drawn = nurse.Post(
        vial + "/draws", {{"administration_id", administration}, {"drawn", {{"mg", 50}}}, {"given", {{"mg", 35}}}});
    ASSERT_EQ(drawn.status, 201) << drawn.text;
    const Json draw = drawn.body["entries"].back();
    EXPECT_EQ(draw["kind"], "draw");
    EXPECT_EQ(draw["given"]["mg"], 35.0);
    EXPECT_EQ(drawn.body["balance"]["in_hand"]["mg"], 15.0);
    const std::int64_t draw_id = draw["id"].get<std::int64_t>();

    const Json waste = {{"draw_entry_id", draw_id}, {"amount", {{"mg", 15}}}, {"reason", "remainder"}};
    // The witness confirms with their own credentials, in the same request; never the nurse herself.
    Json own = waste;
    own["witness"] = {{"email", "nurse@clinic.example"}, {"password", password}};
    const ApiResponse self_witnessed = nurse.Post(vial + "/waste", own);
    EXPECT_EQ(self_witnessed.status, 403) << self_witnessed.text;
    EXPECT_EQ(self_witnessed.ErrorField(), "witness");
    Json wrong = waste;
    wrong["witness"] = {{"email", "rn2@clinic.example"}, {"password", "not their password"}};
    const ApiResponse wrong_password = nurse.Post(vial + "/waste", wrong);
    EXPECT_EQ(wrong_password.status, 401) << wrong_password.text;
    EXPECT_EQ(wrong_password.ErrorField(), "witness");
    Json unlicensed = waste;
    unlicensed["witness"] = {{"token", server_->CreateToken("therapist@clinic.example", "witness")}};
    EXPECT_EQ(nurse.Post(vial + "/waste", unlicensed).status, 403);
    Json no_witness = waste;
    EXPECT_EQ(nurse.Post(vial + "/waste", no_witness).ErrorField(), "witness");
    EXPECT_EQ(nurse.Get(vial).body["entries"].size(), 2U);  // nothing of the refused ones was written

    Json witnessed = waste;
    witnessed["witness"] = {{"email", "rn2@clinic.example"}, {"password", password}};
    const ApiResponse wasted = nurse.Post(vial + "/waste", witnessed);
    ASSERT_EQ(wasted.status, 201) << wasted.text;
    EXPECT_EQ(wasted.body["entries"].back()["witness"], "rn2@clinic.example");
    const Json& balance = wasted.body["balance"];
    EXPECT_EQ(balance["given"]["mg"], 35.0);
    EXPECT_EQ(balance["wasted"]["ml"], 0.3);
    EXPECT_EQ(balance["in_hand"]["units"], 0);
    EXPECT_EQ(balance["on_hand"]["ml"], 9.0);
    EXPECT_TRUE(wasted.body["open_draws"].empty());

    // The witness may also confirm with their own API token.
    const ApiResponse broken =
        nurse.Post(vial + "/waste", {{"amount", {{"ml", 0.5}}},
                                     {"reason", "vial dropped"},
                                     {"witness", {{"token", server_->CreateToken("rn2@clinic.example", "witness")}}}});
    ASSERT_EQ(broken.status, 201) << broken.text;

    // A count of the safe by two: the second vial is found short.
    const std::int64_t second = received.body["containers"][1]["id"].get<std::int64_t>();
    const ApiResponse counted = nurse.Post("/api/v1/inventory/counts",
                                           {{"location", "safe"},
                                            {"found",
                                             {{{"container_id", first["id"]}, {"amount", {{"ml", 8.5}}}},
                                              {{"container_id", second}, {"amount", {{"ml", 9.9}}}}}},
                                            {"witness", {{"email", "rn2@clinic.example"}, {"password", password}}}});
    ASSERT_EQ(counted.status, 201) << counted.text;
    const ApiResponse open = prescriber.Get("/api/v1/inventory/discrepancies?open=true");
    ASSERT_EQ(open.status, 200) << open.text;
    ASSERT_EQ(open.body.size(), 1U);
    const std::int64_t count_id = open.body[0]["count"]["id"].get<std::int64_t>();
    EXPECT_EQ(open.body[0]["count"]["expected"]["ml"], 10.0);
    const std::string resolve = "/api/v1/inventory/entries/" + std::to_string(count_id) + "/resolve";
    EXPECT_EQ(nurse.Post(resolve, {{"explanation", "spill"}}).status, 403);  // the medical director signs
    // An admin designates the medical director: a prescriber; from then on only they sign.
    ApiClient admin = server_->ClientWithToken("admin@clinic.example");
    EXPECT_EQ(prescriber.Post("/api/v1/users/prescriber@clinic.example/medical-director", Json::object()).status, 403);
    EXPECT_EQ(admin.Post("/api/v1/users/nurse@clinic.example/medical-director", Json::object()).ErrorField(), "email");
    server_->AddUser("director@clinic.example", "prescriber");
    const ApiResponse designated = admin.Post("/api/v1/users/director@clinic.example/medical-director", Json::object());
    ASSERT_EQ(designated.status, 200) << designated.text;
    EXPECT_EQ(designated.body["medical_director"], true);
    const ApiResponse not_director = prescriber.Post(resolve, {{"explanation", "spill"}});
    EXPECT_EQ(not_director.status, 403);
    EXPECT_EQ(not_director.ErrorField(), "actor");
    ASSERT_EQ(admin.Post("/api/v1/users/prescriber@clinic.example/medical-director", Json::object()).status, 200);
    const ApiResponse resolved = prescriber.Post(resolve, {{"explanation", "0.1 mL left in the hub on drawing"}});
    ASSERT_EQ(resolved.status, 200) << resolved.text;
    EXPECT_EQ(resolved.body["resolution"]["recorded_by"], "prescriber@clinic.example");
    EXPECT_TRUE(prescriber.Get("/api/v1/inventory/discrepancies?open=true").body.empty());

    // The inspector's reports.
    const std::string from = "2000-01-01T00:00:00Z";
    const std::string to = "2100-01-01T00:00:00Z";
    const ApiResponse log =
        prescriber.Get("/api/v1/inventory/reports/dispensing?drug=ketamine&from=" + from + "&to=" + to);
    ASSERT_EQ(log.status, 200) << log.text;
    ASSERT_EQ(log.body.size(), 1U);
    EXPECT_EQ(log.body[0]["wasted"]["mg"], 15.0);
    EXPECT_EQ(log.body[0]["waste_witnesses"], Json::array({"rn2@clinic.example"}));
    EXPECT_EQ(log.body[0]["patient"]["given_name"], "Ada");
    EXPECT_EQ(log.body[0]["patient"]["family_name"], "Example");
    EXPECT_EQ(log.body[0]["patient"]["address"], "12 Example Street\nSpringfield, IL 62701");
    const ApiResponse csv =
        prescriber.Get("/api/v1/inventory/reports/dispensing?drug=ketamine&format=csv&from=" + from + "&to=" + to);
    ASSERT_EQ(csv.status, 200) << csv.text;
    EXPECT_EQ(csv.Header("content-type").substr(0, 8), "text/csv");
    EXPECT_NE(csv.text.find("drawn_mg,given_mg"), std::string::npos) << csv.text;
    EXPECT_NE(csv.text.find(",50,35,0,15,rn2@clinic.example,"), std::string::npos) << csv.text;
    EXPECT_NE(csv.text.find("patient_id,patient_given_name,patient_family_name,patient_address"), std::string::npos)
        << csv.text;
    // The address on one line, so a draw is one CSV row.
    EXPECT_NE(csv.text.find(",Ada,Example,\"12 Example Street, Springfield, IL 62701\","), std::string::npos)
        << csv.text;
    const ApiResponse inventory = prescriber.Get("/api/v1/inventory/reports/inventory");
    ASSERT_EQ(inventory.status, 200) << inventory.text;
    EXPECT_EQ(inventory.body["lines"].size(), 2U);
    const ApiResponse losses = prescriber.Get("/api/v1/inventory/reports/losses?format=csv&from=" + from + "&to=" + to);
    ASSERT_EQ(losses.status, 200) << losses.text;
    EXPECT_NE(losses.text.find("vial dropped"), std::string::npos) << losses.text;
    EXPECT_NE(losses.text.find("0.1 mL left in the hub"), std::string::npos) << losses.text;
    EXPECT_EQ(prescriber.Get("/api/v1/inventory/reports/losses?from=" + to + "&to=" + from).ErrorField(), "to");
    EXPECT_EQ(prescriber.Get("/api/v1/inventory/reports/inventory?format=pdf").ErrorField(), "format");
}

INSTANTIATE_TEST_SUITE_P(Backends, InventoryApiTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendTestName{});

}  // namespace
}  // namespace kclinic::cli::testing
